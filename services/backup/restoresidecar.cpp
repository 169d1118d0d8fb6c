#include "services/backup/restoresidecar.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace vigil::services {

namespace {

constexpr int kFormat = 1;

QJsonObject tableToJson(const RestoreTableCheck &t)
{
    return {{QStringLiteral("schema"), t.schema},
            {QStringLiteral("table"), t.name},
            {QStringLiteral("columns"), QJsonArray::fromStringList(t.columns)},
            {QStringLiteral("bytes"), double(t.sourceBytes)},
            // Text, not a JSON number: a row count of a large table must not lose digits.
            {QStringLiteral("rows"), QString::number(t.source.rows.value_or(0))},
            {QStringLiteral("checksum"), t.source.checksum}};
}

RestoreTableCheck tableFromJson(const QJsonObject &o)
{
    RestoreTableCheck t;
    t.schema = o.value(QStringLiteral("schema")).toString();
    t.name = o.value(QStringLiteral("table")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("columns")).toArray())
        t.columns << v.toString();
    t.sourceBytes = qint64(o.value(QStringLiteral("bytes")).toDouble());
    bool ok = false;
    const qint64 rows = o.value(QStringLiteral("rows")).toString().toLongLong(&ok);
    if (ok)
        t.source.rows = rows;
    t.source.checksum = o.value(QStringLiteral("checksum")).toString();
    return t;
}

} // namespace

QString restoreSidecarPath(const QString &dumpFile)
{
    return dumpFile + QStringLiteral(".counts.json");
}

QString writeRestoreSidecar(const QString &dumpFile, const RestoreSidecar &sidecar)
{
    QJsonArray tables;
    for (const RestoreTableCheck &t : sidecar.tables)
        tables.append(tableToJson(t));
    const QJsonObject root{{QStringLiteral("format"), kFormat},
                           {QStringLiteral("database"), sidecar.database},
                           {QStringLiteral("encoding"), sidecar.encoding},
                           {QStringLiteral("source_host"), sidecar.sourceHost},
                           {QStringLiteral("snapshot"), sidecar.snapshot},
                           {QStringLiteral("checksum"), restoreTestChecksumDescription()},
                           {QStringLiteral("tables"), tables}};
    QSaveFile f(restoreSidecarPath(dumpFile));
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 || !f.commit())
        return Tr::tr("Cannot write %1: %2").arg(f.fileName(), f.errorString());
    return {};
}

std::optional<RestoreSidecar> readRestoreSidecar(const QString &dumpFile, QString *error)
{
    QFile f(restoreSidecarPath(dumpFile));
    if (!f.exists())
        return std::nullopt;
    QJsonParseError pe;
    const QJsonDocument doc =
        f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll(), &pe) : QJsonDocument();
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toInt() != kFormat) {
        if (error)
            *error = Tr::tr("%1 is not a restore-test sidecar Vigil can read.").arg(f.fileName());
        return std::nullopt;
    }
    RestoreSidecar s;
    s.database = root.value(QStringLiteral("database")).toString();
    s.encoding = root.value(QStringLiteral("encoding")).toString();
    s.sourceHost = root.value(QStringLiteral("source_host")).toString();
    s.snapshot = root.value(QStringLiteral("snapshot")).toString();
    for (const QJsonValue &v : root.value(QStringLiteral("tables")).toArray())
        s.tables.append(tableFromJson(v.toObject()));
    return s;
}

} // namespace vigil::services
