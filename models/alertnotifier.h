#pragma once

#include "services/monitor/alerttypes.h"

#include <QObject>
#include <QSet>

namespace vigil::models {

class DesktopNotifications;

// Decides which alert events reach people and with what words: every new CRITICAL alert (raised
// critical, or escalated to critical) and every clear of an alert that was critical. Sends them
// as desktop notifications (DesktopNotifications, D-Bus); when that fails (no notification
// server), emits fallbackRequested so the tray icon shows them (QSystemTrayIcon::showMessage,
// ui/shell/alerttray.h). Off when disabled (the View menu's setting), and for the clusters whose
// profile opted out (ClusterProfile::desktopNotifications): their events send nothing, neither
// a notification nor a tray message (the tray's colour, fed by AlertsModel, still counts their
// alerts). No Widgets.
class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    struct Message
    {
        QString summary;
        QString body;
        bool critical = false;
    };

    // sender: not owned; null: every notification goes to fallbackRequested.
    explicit AlertNotifier(DesktopNotifications *sender, QObject *parent = nullptr);

    void setEnabled(bool enabled) { m_enabled = enabled; }
    bool isEnabled() const { return m_enabled; }
    // Per cluster (the profile name, AlertEvent::cluster): on unless turned off here.
    void setClusterEnabled(const QString &cluster, bool enabled);
    bool isClusterEnabled(const QString &cluster) const
    {
        return !m_mutedClusters.contains(cluster);
    }

    static bool shouldNotify(const services::AlertEvent &event);
    static Message messageFor(const services::AlertEvent &event);

    // Notifies when enabled, enabled for the event's cluster and shouldNotify(event).
    void handle(const services::AlertEvent &event);

Q_SIGNALS:
    void fallbackRequested(const QString &summary, const QString &body, bool critical);

private:
    DesktopNotifications *m_sender;
    bool m_enabled = true;
    QSet<QString> m_mutedClusters;
};

} // namespace vigil::models
