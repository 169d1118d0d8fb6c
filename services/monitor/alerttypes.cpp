#include "services/monitor/alerttypes.h"

namespace vigil::services {

QString alertKey(Finding::Code code, const QString &member)
{
    return findingCodeName(code) + QLatin1Char('/') + member;
}

QString Alert::key() const
{
    return alertKey(code, member);
}

QString alertEventKindName(AlertEvent::Kind kind)
{
    switch (kind) {
    case AlertEvent::Kind::Raised:
        return QStringLiteral("raised");
    case AlertEvent::Kind::Escalated:
        return QStringLiteral("escalated");
    case AlertEvent::Kind::Deescalated:
        return QStringLiteral("deescalated");
    case AlertEvent::Kind::Acknowledged:
        return QStringLiteral("acknowledged");
    case AlertEvent::Kind::Cleared:
        return QStringLiteral("cleared");
    }
    return QStringLiteral("raised");
}

std::optional<AlertEvent::Kind> alertEventKindFromName(const QString &name)
{
    for (auto k :
         {AlertEvent::Kind::Raised, AlertEvent::Kind::Escalated, AlertEvent::Kind::Deescalated,
          AlertEvent::Kind::Acknowledged, AlertEvent::Kind::Cleared})
        if (alertEventKindName(k) == name)
            return k;
    return std::nullopt;
}

std::optional<Finding::Code> findingCodeFromName(const QString &name)
{
    for (int i = 0; i <= int(Finding::Code::Other); ++i)
        if (findingCodeName(Finding::Code(i)) == name)
            return Finding::Code(i);
    return std::nullopt;
}

std::optional<Finding::Severity> severityFromName(const QString &name)
{
    for (auto s : {Finding::Severity::Ok, Finding::Severity::Warning, Finding::Severity::Critical,
                   Finding::Severity::Unknown})
        if (severityName(s) == name)
            return s;
    return std::nullopt;
}

int severityRank(Finding::Severity severity)
{
    switch (severity) {
    case Finding::Severity::Ok:
        return 0;
    case Finding::Severity::Unknown:
        return 1;
    case Finding::Severity::Warning:
        return 2;
    case Finding::Severity::Critical:
        return 3;
    }
    return 0;
}

} // namespace vigil::services
