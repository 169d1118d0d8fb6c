#include "services/patroni/configchange.h"

#include "services/core/error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace vigil::services {

QString configValueText(const QJsonValue &v)
{
    if (v.isUndefined())
        return Tr::tr("(unset)");
    if (v.isNull())
        return QStringLiteral("null");
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    return QString::fromUtf8(
        QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
            .toJson(QJsonDocument::Compact));
}

namespace {

void collectLines(const QString &prefix, const QJsonObject &a, const QJsonObject &b,
                  QStringList &out)
{
    QStringList keys = a.keys();
    for (const QString &k : b.keys())
        if (!keys.contains(k))
            keys << k;
    keys.sort();
    for (const QString &k : keys) {
        const QString path = prefix.isEmpty() ? k : prefix + QLatin1Char('.') + k;
        const QJsonValue va = a.value(k), vb = b.value(k);
        // A group added or removed as a whole is listed leaf by leaf too.
        const bool groups = (va.isObject() || va.isUndefined()) &&
                            (vb.isObject() || vb.isUndefined()) && (va.isObject() || vb.isObject());
        if (groups) {
            collectLines(path, va.toObject(), vb.toObject(), out);
        } else if (va != vb) {
            out << QStringLiteral("%1: %2 → %3")
                       .arg(path, configValueText(va),
                            vb.isUndefined() ? Tr::tr("(removed)") : configValueText(vb));
        }
    }
}

// Sets or removes keys[i..] below `object`; see setConfigValue.
QString setAt(QJsonObject &object, const QStringList &keys, int i,
              const std::optional<QJsonValue> &value)
{
    const QString &key = keys.at(i);
    if (i == keys.size() - 1) {
        if (value)
            object.insert(key, *value);
        else
            object.remove(key);
        return {};
    }
    const QJsonValue child = object.value(key);
    if (!child.isUndefined() && !child.isNull() && !child.isObject())
        return Tr::tr("%1 is %2, not a group of settings.")
            .arg(keys.mid(0, i + 1).join(QLatin1Char('.')), configValueText(child));
    if (!value && !child.isObject())
        return {}; // nothing there to remove
    QJsonObject sub = child.toObject();
    if (QString e = setAt(sub, keys, i + 1, value); !e.isEmpty())
        return e;
    object.insert(key, sub);
    return {};
}

void collectMismatches(const QString &prefix, const QJsonObject &patch, const QJsonObject &config,
                       QStringList &out)
{
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        const QJsonValue sent = it.value(), now = config.value(it.key());
        if (sent.isObject()) {
            collectMismatches(path, sent.toObject(), now.toObject(), out);
        } else if (sent.isNull()) {
            if (!now.isUndefined() && !now.isNull())
                out << Tr::tr("%1: removed, but /config still shows %2")
                           .arg(path, configValueText(now));
        } else if (now != sent &&
                   (now.isUndefined() || configValueText(now) != configValueText(sent))) {
            out << Tr::tr("%1: sent %2, /config shows %3")
                       .arg(path, configValueText(sent), configValueText(now));
        }
    }
}

} // namespace

QJsonValue configValueFromText(const QString &text, const QJsonValue &original)
{
    static const QRegularExpression number(QStringLiteral("^-?[0-9]+(\\.[0-9]+)?$"));
    const bool isBool = text == QLatin1String("true") || text == QLatin1String("false");
    const bool isNumber = number.match(text).hasMatch();
    if (original.isBool())
        return isBool ? QJsonValue(text == QLatin1String("true")) : QJsonValue(text);
    if (original.isDouble())
        return isNumber ? QJsonValue(text.toDouble()) : QJsonValue(text);
    if (original.isUndefined() || original.isNull()) {
        if (isNumber)
            return text.toDouble();
        if (isBool)
            return text == QLatin1String("true");
        if (text == QLatin1String("null"))
            return QJsonValue::Null;
    }
    return text;
}

QStringList configPathKeys(const QString &path)
{
    QStringList keys = path.split(QLatin1Char('.'));
    if (keys.size() > 3 && keys.at(0) == QLatin1String("postgresql") &&
        keys.at(1) == QLatin1String("parameters"))
        keys = {keys.at(0), keys.at(1), keys.mid(2).join(QLatin1Char('.'))};
    for (const QString &k : keys)
        if (k.trimmed().isEmpty())
            return {};
    return keys;
}

QString setConfigValue(QJsonObject &config, const QString &path,
                       const std::optional<QJsonValue> &value)
{
    const QStringList keys = configPathKeys(path);
    if (keys.isEmpty())
        return Tr::tr("'%1' is not a setting's name (e.g. loop_wait or "
                      "postgresql.parameters.max_connections).")
            .arg(path);
    return setAt(config, keys, 0, value);
}

QJsonValue configValue(const QJsonObject &config, const QString &path)
{
    const QStringList keys = configPathKeys(path);
    QJsonValue v = keys.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(config);
    for (const QString &k : keys)
        v = v.isObject() ? v.toObject().value(k) : QJsonValue(QJsonValue::Undefined);
    return v;
}

QStringList configPatchMismatches(const QJsonObject &patch, const QJsonObject &config)
{
    QStringList out;
    collectMismatches({}, patch, config, out);
    return out;
}

QJsonObject configMergePatch(const QJsonObject &current, const QJsonObject &edited)
{
    QJsonObject patch;
    for (auto it = current.begin(); it != current.end(); ++it)
        if (!edited.contains(it.key()))
            patch.insert(it.key(), QJsonValue::Null);
    for (auto it = edited.begin(); it != edited.end(); ++it) {
        const QJsonValue old = current.value(it.key());
        if (old.isObject() && it.value().isObject()) {
            const QJsonObject sub = configMergePatch(old.toObject(), it.value().toObject());
            if (!sub.isEmpty())
                patch.insert(it.key(), sub);
        } else if (old != it.value()) {
            patch.insert(it.key(), it.value());
        }
    }
    return patch;
}

QStringList configChangeLines(const QJsonObject &current, const QJsonObject &edited)
{
    QStringList out;
    collectLines({}, current, edited, out);
    return out;
}

bool parameterNeedsRestart(const QString &name)
{
    // SELECT name FROM pg_settings WHERE context = 'postmaster' (PostgreSQL 15).
    static const QSet<QString> postmaster = {
        QStringLiteral("archive_mode"),
        QStringLiteral("autovacuum_freeze_max_age"),
        QStringLiteral("autovacuum_max_workers"),
        QStringLiteral("autovacuum_multixact_freeze_max_age"),
        QStringLiteral("bonjour"),
        QStringLiteral("bonjour_name"),
        QStringLiteral("cluster_name"),
        QStringLiteral("config_file"),
        QStringLiteral("data_directory"),
        QStringLiteral("data_sync_retry"),
        QStringLiteral("dynamic_shared_memory_type"),
        QStringLiteral("event_source"),
        QStringLiteral("external_pid_file"),
        QStringLiteral("hba_file"),
        QStringLiteral("hot_standby"),
        QStringLiteral("huge_pages"),
        QStringLiteral("huge_page_size"),
        QStringLiteral("ident_file"),
        QStringLiteral("ignore_invalid_pages"),
        QStringLiteral("jit_provider"),
        QStringLiteral("listen_addresses"),
        QStringLiteral("logging_collector"),
        QStringLiteral("max_connections"),
        QStringLiteral("max_files_per_process"),
        QStringLiteral("max_locks_per_transaction"),
        QStringLiteral("max_logical_replication_workers"),
        QStringLiteral("max_pred_locks_per_transaction"),
        QStringLiteral("max_prepared_transactions"),
        QStringLiteral("max_replication_slots"),
        QStringLiteral("max_wal_senders"),
        QStringLiteral("max_worker_processes"),
        QStringLiteral("min_dynamic_shared_memory"),
        QStringLiteral("old_snapshot_threshold"),
        QStringLiteral("port"),
        QStringLiteral("recovery_prefetch"),
        QStringLiteral("recovery_target"),
        QStringLiteral("recovery_target_action"),
        QStringLiteral("recovery_target_inclusive"),
        QStringLiteral("recovery_target_lsn"),
        QStringLiteral("recovery_target_name"),
        QStringLiteral("recovery_target_time"),
        QStringLiteral("recovery_target_timeline"),
        QStringLiteral("recovery_target_xid"),
        QStringLiteral("reserved_connections"),
        QStringLiteral("shared_buffers"),
        QStringLiteral("shared_memory_type"),
        QStringLiteral("shared_preload_libraries"),
        QStringLiteral("superuser_reserved_connections"),
        QStringLiteral("track_activity_query_size"),
        QStringLiteral("track_commit_timestamp"),
        QStringLiteral("unix_socket_directories"),
        QStringLiteral("unix_socket_group"),
        QStringLiteral("unix_socket_permissions"),
        QStringLiteral("wal_buffers"),
        QStringLiteral("wal_decode_buffer_size"),
        QStringLiteral("wal_level"),
        QStringLiteral("wal_log_hints"),
    };
    return postmaster.contains(name.toLower());
}

QStringList restartRequiredParameters(const QJsonObject &patch)
{
    QStringList out;
    const QJsonObject params = patch.value(QStringLiteral("postgresql"))
                                   .toObject()
                                   .value(QStringLiteral("parameters"))
                                   .toObject();
    for (auto it = params.begin(); it != params.end(); ++it)
        if (parameterNeedsRestart(it.key()))
            out << it.key();
    out.sort();
    return out;
}

} // namespace vigil::services
