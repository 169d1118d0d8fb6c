#include "models/health.h"

#include "models/tr.h"

#include <QBrush>
#include <QCoreApplication>

namespace vigil::models {

namespace {
} // namespace

Health connectionsHealth(double f)
{
    if (f >= kConnectionsCriticalFraction)
        return Health::Critical;
    if (f >= kConnectionsWarnFraction)
        return Health::Warning;
    return Health::Ok;
}

Health lagHealth(const std::optional<qint64> &bytes, const std::optional<double> &seconds)
{
    if (!bytes && !seconds)
        return Health::Unknown;
    Health h = Health::Ok;
    if (bytes)
        h = worse(h, *bytes >= kLagCriticalBytes ? Health::Critical
                     : *bytes >= kLagWarnBytes   ? Health::Warning
                                                 : Health::Ok);
    if (seconds)
        h = worse(h, *seconds >= kLagCriticalSeconds ? Health::Critical
                     : *seconds >= kLagWarnSeconds   ? Health::Warning
                                                     : Health::Ok);
    return h;
}

Health memberStateHealth(const QString &state)
{
    const QString s = state.trimmed().toLower();
    // Patroni 3.0.2 says "running" for a healthy replica, newer releases "streaming".
    if (s == QLatin1String("running") || s == QLatin1String("streaming"))
        return Health::Ok;
    if (s.isEmpty())
        return Health::Unknown;
    if (s == QLatin1String("stopped") || s == QLatin1String("crashed") ||
        s == QLatin1String("start failed") || s.contains(QLatin1String("fail")))
        return Health::Critical;
    if (s.contains(QLatin1String("start")) || s.contains(QLatin1String("stop")) ||
        s.contains(QLatin1String("restart")) || s.contains(QLatin1String("creating")) ||
        s.contains(QLatin1String("initializing")) || s.contains(QLatin1String("recovery")) ||
        s.contains(QLatin1String("bootstrap")))
        return Health::Warning;
    return Health::Unknown;
}

Health channelHealth(const services::ChannelStatus &c)
{
    switch (c.state) {
    case services::ChannelStatus::State::Ok:
        return Health::Ok;
    case services::ChannelStatus::State::Unknown:
        return Health::Unknown;
    case services::ChannelStatus::State::Unreachable:
    case services::ChannelStatus::State::Unresponsive:
        return Health::Critical;
    }
    return Health::Unknown;
}

Health fromSeverity(services::Finding::Severity s)
{
    switch (s) {
    case services::Finding::Severity::Ok:
        return Health::Ok;
    case services::Finding::Severity::Warning:
        return Health::Warning;
    case services::Finding::Severity::Critical:
        return Health::Critical;
    case services::Finding::Severity::Unknown:
        return Health::Unknown;
    }
    return Health::Unknown;
}

int healthRank(Health h)
{
    switch (h) {
    case Health::Ok:
        return 0;
    case Health::Unknown:
        return 1;
    case Health::Warning:
        return 2;
    case Health::Critical:
        return 3;
    }
    return 1;
}

Health worse(Health a, Health b)
{
    return healthRank(a) >= healthRank(b) ? a : b;
}

QColor healthColor(Health h)
{
    switch (h) {
    case Health::Ok:
        return QColor(0x2e, 0x9d, 0x4f); // green
    case Health::Warning:
        return QColor(0xe0, 0x9b, 0x14); // amber
    case Health::Critical:
        return QColor(0xd6, 0x33, 0x2f); // red
    case Health::Unknown:
        return QColor(0x8a, 0x8f, 0x98); // grey
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QString healthName(Health h)
{
    switch (h) {
    case Health::Ok:
        return Tr::tr("OK");
    case Health::Warning:
        return Tr::tr("Warning");
    case Health::Critical:
        return Tr::tr("Critical");
    case Health::Unknown:
        return Tr::tr("Unknown");
    }
    return Tr::tr("Unknown");
}

QString channelText(const services::ChannelStatus &c)
{
    // libpq's messages span lines ("...refused\n\tIs the server running..."): one line here.
    const QString reason =
        (c.error.message.isEmpty() ? c.error.toText() : c.error.message).simplified();
    switch (c.state) {
    case services::ChannelStatus::State::Ok:
        return c.latencyMs >= 0 ? Tr::tr("OK (%1 ms)").arg(c.latencyMs) : Tr::tr("OK");
    case services::ChannelStatus::State::Unknown:
        return Tr::tr("Not checked");
    case services::ChannelStatus::State::Unreachable:
        return reason.isEmpty() ? Tr::tr("Unreachable") : Tr::tr("Unreachable: %1").arg(reason);
    case services::ChannelStatus::State::Unresponsive:
        return reason.isEmpty() ? Tr::tr("No answer before the deadline")
                                : Tr::tr("No answer: %1").arg(reason);
    }
    return {};
}

QVariant highlightBackground(int level)
{
    switch (level) {
    case 1:
        return QBrush(QColor(255, 236, 179)); // amber
    case 2:
        return QBrush(QColor(255, 205, 210)); // red
    default:
        return {};
    }
}

} // namespace vigil::models
