#pragma once

#include <QDBusConnection>
#include <QObject>

namespace vigil::models {

// Sends freedesktop desktop notifications (org.freedesktop.Notifications.Notify) on a D-Bus
// connection, the session bus by default. Never blocks: the call is asynchronous, and when no
// notification server answers (no session bus, no server registered, an error or no reply
// within the deadline) `failed` is emitted with what was to be shown, so the caller can show it
// another way (the tray icon's balloon). Qt Core + DBus only.
class DesktopNotifications : public QObject
{
    Q_OBJECT
public:
    explicit DesktopNotifications(QObject *parent = nullptr);
    DesktopNotifications(const QDBusConnection &connection, QObject *parent = nullptr);

    // urgency: 2 (critical: stays until dismissed) or 1 (normal).
    void send(const QString &summary, const QString &body, bool critical);

    static constexpr int kTimeoutMs = 3000;

Q_SIGNALS:
    void sent(uint id, const QString &summary);
    void failed(const QString &summary, const QString &body, bool critical, const QString &reason);

private:
    QDBusConnection m_connection;
};

} // namespace vigil::models
