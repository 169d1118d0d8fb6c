#include "models/alertnotifier.h"

#include "models/desktopnotifications.h"
#include "models/formatting.h"

namespace vigil::models {

AlertNotifier::AlertNotifier(DesktopNotifications *sender, QObject *parent)
    : QObject(parent)
    , m_sender(sender)
{
    if (m_sender)
        connect(m_sender, &DesktopNotifications::failed, this,
                [this](const QString &summary, const QString &body, bool critical) {
                    Q_EMIT fallbackRequested(summary, body, critical);
                });
}

bool AlertNotifier::shouldNotify(const services::AlertEvent &e)
{
    using K = services::AlertEvent::Kind;
    const auto critical = services::Finding::Severity::Critical;
    switch (e.kind) {
    case K::Raised:
    case K::Escalated:
        return e.severity == critical;
    case K::Cleared:
        return e.previousSeverity == critical;
    case K::Deescalated:
    case K::Acknowledged:
        return false;
    }
    return false;
}

AlertNotifier::Message AlertNotifier::messageFor(const services::AlertEvent &e)
{
    using K = services::AlertEvent::Kind;
    Message m;
    const QString where = e.member.isEmpty() ? e.cluster : tr("%1 on %2").arg(e.member, e.cluster);
    switch (e.kind) {
    case K::Cleared:
        m.summary = tr("Cleared: %1").arg(where);
        m.body = tr("%1\nThe alert lasted %2.").arg(e.message, formatDuration(e.lastedSeconds));
        m.critical = false;
        break;
    case K::Escalated:
        m.summary = tr("Now critical: %1").arg(where);
        m.body = e.message;
        m.critical = true;
        break;
    default:
        m.summary = tr("Critical: %1").arg(where);
        m.body = e.message;
        m.critical = true;
        break;
    }
    return m;
}

void AlertNotifier::setClusterEnabled(const QString &cluster, bool enabled)
{
    if (enabled)
        m_mutedClusters.remove(cluster);
    else
        m_mutedClusters.insert(cluster);
}

void AlertNotifier::handle(const services::AlertEvent &event)
{
    if (!m_enabled || !isClusterEnabled(event.cluster) || !shouldNotify(event))
        return;
    const Message m = messageFor(event);
    if (m_sender)
        m_sender->send(m.summary, m.body, m.critical);
    else
        Q_EMIT fallbackRequested(m.summary, m.body, m.critical);
}

} // namespace vigil::models
