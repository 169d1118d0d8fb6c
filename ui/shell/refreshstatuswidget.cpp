#include "ui/shell/refreshstatuswidget.h"

#include "models/statussummary.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

namespace vigil::ui {

RefreshStatusWidget::RefreshStatusWidget(QWidget *parent)
    : QWidget(parent)
    , m_dot(new QLabel(this))
    , m_label(new QLabel(this))
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("RefreshStatus"));
    m_label->setObjectName(QStringLiteral("refreshText"));
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 0, 2, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_label, 1);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &RefreshStatusWidget::refresh);
    m_tick->start();
    refresh();
}

void RefreshStatusWidget::setSnapshot(const services::ClusterSnapshotPtr &snapshot, int intervalMs)
{
    m_snapshot = snapshot;
    m_intervalMs = intervalMs;
    refresh();
}

void RefreshStatusWidget::setMessage(const QString &message)
{
    m_message = message;
    refresh();
}

QString RefreshStatusWidget::text() const
{
    return m_label->text();
}

void RefreshStatusWidget::refresh()
{
    const models::Freshness f =
        models::freshness(m_snapshot.get(), QDateTime::currentDateTimeUtc(), m_intervalMs);
    QString t = (!m_snapshot && !m_message.isEmpty()) ? m_message : f.text;
    if (!f.staleMembers.isEmpty())
        t += QLatin1Char(' ') + tr("Stale: %1.").arg(f.staleMembers.join(QStringLiteral("; ")));
    if (m_label->text() != t)
        m_label->setText(t);
    const QColor c = models::healthColor(f.health);
    m_dot->setText(
        QStringLiteral("<span style=\"color:%1; font-size:large\">●</span>").arg(c.name()));
    m_dot->setToolTip(models::healthName(f.health));
}

} // namespace vigil::ui
