#include "ui/overview/connectiongauge.h"

#include "models/health.h"

#include <QPainter>
#include <QPainterPath>

namespace vigil::ui {

ConnectionGauge::ConnectionGauge(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ConnectionGauge::setValues(const QString &label, int used, int maximum)
{
    if (label == m_label && used == m_used && maximum == m_max)
        return;
    m_label = label;
    m_used = used;
    m_max = maximum;
    setToolTip(text());
    setAccessibleDescription(text());
    update();
}

QString ConnectionGauge::text() const
{
    if (m_max <= 0)
        return tr("%1: %2 connections (max_connections unknown)").arg(m_label).arg(m_used);
    return tr("%1: %2 of %3 connections (%4 %)")
        .arg(m_label)
        .arg(m_used)
        .arg(m_max)
        .arg(qRound(100.0 * m_used / m_max));
}

QSize ConnectionGauge::sizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.averageCharWidth() * 60, fm.lineSpacing() * 2 + 14};
}

QSize ConnectionGauge::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.averageCharWidth() * 30, fm.lineSpacing() * 2 + 14};
}

void ConnectionGauge::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    const QFontMetricsF fm(font());
    const QRectF textRect(0, 0, width(), fm.lineSpacing());
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, text());

    const QRectF bar(1, fm.lineSpacing() + 4, width() - 2, height() - fm.lineSpacing() - 8);
    QPainterPath frame;
    frame.addRoundedRect(bar, 3, 3);
    p.fillPath(frame, palette().color(QPalette::Base));
    const double fraction = m_max > 0 ? std::min(1.0, double(m_used) / m_max) : 0.0;
    const models::Health h =
        m_max > 0 ? models::connectionsHealth(fraction) : models::Health::Unknown;
    QPainterPath fill;
    fill.addRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * fraction, bar.height()), 3, 3);
    p.fillPath(fill, models::healthColor(h));
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawPath(frame);

    // Threshold marks with their labels.
    for (const auto &[f, severity] :
         {std::pair{models::kConnectionsWarnFraction, models::Health::Warning},
          std::pair{models::kConnectionsCriticalFraction, models::Health::Critical}}) {
        const qreal x = bar.left() + bar.width() * f;
        p.setPen(QPen(models::healthColor(severity), 2, Qt::SolidLine));
        p.drawLine(QPointF(x, bar.top() - 3), QPointF(x, bar.bottom() + 3));
        const QString mark = QStringLiteral("%1 %").arg(qRound(f * 100));
        p.drawText(QRectF(x - 40, 0, 36, fm.lineSpacing()), Qt::AlignRight | Qt::AlignVCenter,
                   mark);
    }
}

} // namespace vigil::ui
