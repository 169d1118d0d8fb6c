#include "ui/shell/alerttray.h"

#include "models/health.h"

#include <QPainter>
#include <QSystemTrayIcon>
#include <QWidget>

namespace vigil::ui {

AlertTray::AlertTray(QWidget *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_icon = new QSystemTrayIcon(this);
    connect(m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (!m_window || reason == QSystemTrayIcon::Context)
                    return;
                m_window->showNormal();
                m_window->raise();
                m_window->activateWindow();
            });
    setCounts({});
    m_icon->show();
}

QIcon AlertTray::iconFor(services::Finding::Severity worst)
{
    // A filled disc in the health colour with a dark ring, readable on light and dark panels.
    QPixmap pm(64, 64);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(40, 40, 40), 4));
    p.setBrush(models::healthColor(models::fromSeverity(worst)));
    p.drawEllipse(QRectF(4, 4, 56, 56));
    return QIcon(pm);
}

QString AlertTray::toolTipFor(const models::AlertsModel::Counts &c)
{
    if (c.total() == 0)
        return tr("Vigil: no active alerts");
    QStringList parts;
    if (c.critical > 0)
        parts << tr("%n critical", nullptr, c.critical);
    if (c.warning > 0)
        parts << tr("%n warning(s)", nullptr, c.warning);
    if (c.unknown > 0)
        parts << tr("%n unknown", nullptr, c.unknown);
    return tr("Vigil: %1 (%2 not acknowledged)")
        .arg(parts.join(QStringLiteral(", ")))
        .arg(c.unacknowledged);
}

void AlertTray::setCounts(const models::AlertsModel::Counts &counts)
{
    m_toolTip = toolTipFor(counts);
    if (!m_icon)
        return;
    if (counts.worst != m_worst || m_icon->icon().isNull()) {
        m_worst = counts.worst;
        m_icon->setIcon(iconFor(counts.worst));
    }
    m_icon->setToolTip(m_toolTip);
}

void AlertTray::showMessage(const QString &summary, const QString &body, bool critical)
{
    if (m_icon)
        m_icon->showMessage(summary, body,
                            critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information,
                            critical ? 0 : 10000);
}

} // namespace vigil::ui
