#pragma once

#include "models/alertsmodel.h"

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QWidget;

namespace vigil::ui {

// The tray icon of the alerts: its colour is the worst active severity across every watched
// cluster (green when none), its tooltip counts them, a click raises the main window. It also
// shows the notifications that found no desktop notification server (AlertNotifier's
// fallbackRequested) as balloon messages. Absent when the desktop has no system tray
// (QSystemTrayIcon::isSystemTrayAvailable()): then isAvailable() is false and nothing is shown.
class AlertTray : public QObject
{
    Q_OBJECT
public:
    explicit AlertTray(QWidget *window, QObject *parent = nullptr);

    bool isAvailable() const { return m_icon != nullptr; }
    void setCounts(const models::AlertsModel::Counts &counts);
    void showMessage(const QString &summary, const QString &body, bool critical);

    static QIcon iconFor(services::Finding::Severity worst);
    static QString toolTipFor(const models::AlertsModel::Counts &counts);
    QString toolTip() const { return m_toolTip; }

private:
    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_icon = nullptr;
    QString m_toolTip;
    services::Finding::Severity m_worst = services::Finding::Severity::Unknown;
};

} // namespace vigil::ui
