#include "services/core/auditlog.h"

#include "services/core/error.h"
#include "services/core/jsonlfile.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QStandardPaths>
#include <pwd.h>
#include <unistd.h>

namespace vigil::services {

namespace {
bool looksSecret(const QString &key)
{
    static const QRegularExpression re(
        QStringLiteral("pass(word|wd|phrase)?|secret|token|private.?key|credential|^pw$"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(key).hasMatch();
}

QJsonValue redactValue(const QJsonValue &value)
{
    if (value.isObject())
        return AuditLog::redacted(value.toObject());
    if (value.isArray()) {
        QJsonArray out;
        for (const auto &v : value.toArray())
            out.append(redactValue(v));
        return out;
    }
    return value;
}
} // namespace

AuditLog::AuditLog(QString filePath)
    : m_filePath(std::move(filePath))
{
}

QString AuditLog::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/audit.jsonl");
}

QString AuditLog::currentOsUser()
{
    if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER");
}

QJsonObject AuditLog::redacted(const QJsonObject &parameters)
{
    QJsonObject out;
    for (auto it = parameters.begin(); it != parameters.end(); ++it)
        out.insert(it.key(), looksSecret(it.key()) ? QJsonValue(QStringLiteral("<redacted>"))
                                                   : redactValue(it.value()));
    return out;
}

QJsonObject AuditLog::toJson(const AuditEntry &e)
{
    return QJsonObject{
        {QStringLiteral("when"), e.when.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("who"), e.osUser},
        {QStringLiteral("cluster"), e.cluster},
        {QStringLiteral("member"), e.member},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("parameters"), redacted(e.parameters)},
        {QStringLiteral("result"), e.result},
        {QStringLiteral("server_answer"), e.serverAnswer},
    };
}

AuditEntry AuditLog::fromJson(const QJsonObject &o)
{
    AuditEntry e;
    e.when = QDateTime::fromString(o.value(QStringLiteral("when")).toString(), Qt::ISODateWithMs);
    e.osUser = o.value(QStringLiteral("who")).toString();
    e.cluster = o.value(QStringLiteral("cluster")).toString();
    e.member = o.value(QStringLiteral("member")).toString();
    e.action = o.value(QStringLiteral("action")).toString();
    e.parameters = o.value(QStringLiteral("parameters")).toObject();
    e.result = o.value(QStringLiteral("result")).toString();
    e.serverAnswer = o.value(QStringLiteral("server_answer")).toString();
    return e;
}

bool AuditLog::append(AuditEntry entry, QString *error)
{
    if (!entry.when.isValid())
        entry.when = QDateTime::currentDateTimeUtc();
    if (entry.osUser.isEmpty())
        entry.osUser = currentOsUser();
    return JsonlFile(m_filePath, Tr::tr("the audit log")).append(toJson(entry), error);
}

QList<AuditEntry> AuditLog::readAll() const
{
    QList<AuditEntry> entries;
    for (const QJsonObject &object : JsonlFile(m_filePath).readAll())
        entries.append(fromJson(object));
    return entries;
}

} // namespace vigil::services
