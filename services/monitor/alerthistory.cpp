#include "services/monitor/alerthistory.h"

#include "services/core/error.h"
#include "services/core/jsonlfile.h"

#include <QStandardPaths>

namespace vigil::services {

AlertHistory::AlertHistory(QString filePath)
    : m_filePath(std::move(filePath))
{
}

QString AlertHistory::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/alerts.jsonl");
}

QJsonObject AlertHistory::toJson(const AlertEvent &e)
{
    QJsonObject o{
        {QStringLiteral("when"), e.at.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("event"), alertEventKindName(e.kind)},
        {QStringLiteral("cluster"), e.cluster},
        {QStringLiteral("code"), findingCodeName(e.code)},
        {QStringLiteral("member"), e.member},
        {QStringLiteral("severity"), severityName(e.severity)},
        {QStringLiteral("message"), e.message},
    };
    if (e.kind == AlertEvent::Kind::Escalated || e.kind == AlertEvent::Kind::Deescalated ||
        e.kind == AlertEvent::Kind::Cleared)
        o.insert(QStringLiteral("previous_severity"), severityName(e.previousSeverity));
    if (!e.by.isEmpty())
        o.insert(QStringLiteral("who"), e.by);
    if (e.lastedSeconds >= 0)
        o.insert(QStringLiteral("lasted_seconds"), e.lastedSeconds);
    return o;
}

std::optional<AlertEvent> AlertHistory::fromJson(const QJsonObject &o)
{
    const auto kind = alertEventKindFromName(o.value(QStringLiteral("event")).toString());
    const QDateTime at =
        QDateTime::fromString(o.value(QStringLiteral("when")).toString(), Qt::ISODateWithMs);
    if (!kind || !at.isValid())
        return std::nullopt;
    AlertEvent e;
    e.kind = *kind;
    e.at = at.toUTC();
    e.cluster = o.value(QStringLiteral("cluster")).toString();
    e.code = findingCodeFromName(o.value(QStringLiteral("code")).toString())
                 .value_or(Finding::Code::Other);
    e.member = o.value(QStringLiteral("member")).toString();
    e.severity = severityFromName(o.value(QStringLiteral("severity")).toString())
                     .value_or(Finding::Severity::Unknown);
    e.previousSeverity = severityFromName(o.value(QStringLiteral("previous_severity")).toString())
                             .value_or(e.severity);
    e.message = o.value(QStringLiteral("message")).toString();
    e.by = o.value(QStringLiteral("who")).toString();
    e.lastedSeconds = o.value(QStringLiteral("lasted_seconds")).toInteger(-1);
    return e;
}

bool AlertHistory::append(const AlertEvent &event, QString *error) const
{
    return JsonlFile(m_filePath, Tr::tr("the alert history")).append(toJson(event), error);
}

QList<AlertEvent> AlertHistory::readAll() const
{
    QList<AlertEvent> events;
    for (const QJsonObject &object : JsonlFile(m_filePath).readAll())
        if (auto e = fromJson(object))
            events.append(*e);
    return events;
}

} // namespace vigil::services
