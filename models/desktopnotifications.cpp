#include "models/desktopnotifications.h"

#include "models/tr.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>
#include <QVariantMap>

namespace vigil::models {

DesktopNotifications::DesktopNotifications(QObject *parent)
    : DesktopNotifications(QDBusConnection::sessionBus(), parent)
{
}

DesktopNotifications::DesktopNotifications(const QDBusConnection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
}

void DesktopNotifications::send(const QString &summary, const QString &body, bool critical)
{
    if (!m_connection.isConnected()) {
        Q_EMIT failed(summary, body, critical, Tr::tr("There is no D-Bus session bus."));
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"),
        QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    QVariantMap hints{{QStringLiteral("urgency"), QVariant::fromValue(uchar(critical ? 2 : 1))}};
    if (!QGuiApplication::desktopFileName().isEmpty())
        hints.insert(QStringLiteral("desktop-entry"), QGuiApplication::desktopFileName());
    // app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout (-1: the
    // server's default; 0 for critical: until dismissed).
    call << QGuiApplication::applicationName() << uint(0) << QStringLiteral("vigil") << summary
         << body << QStringList() << hints << int(critical ? 0 : -1);
    auto *watcher = new QDBusPendingCallWatcher(m_connection.asyncCall(call, kTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, watcher, summary, body, critical] {
                watcher->deleteLater();
                const QDBusPendingReply<uint> reply = *watcher;
                if (reply.isError())
                    Q_EMIT failed(summary, body, critical, reply.error().message());
                else
                    Q_EMIT sent(reply.value(), summary);
            });
}

} // namespace vigil::models
