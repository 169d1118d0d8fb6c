#include "ui/wall/walltile.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace vigil::ui {

namespace {

// One line of text in `font`, elided to the width, advancing `y`.
void drawLine(QPainter &p, const QRectF &area, double &y, const QFont &font, const QString &text,
              Qt::Alignment align = Qt::AlignLeft)
{
    p.setFont(font);
    const QFontMetricsF fm(font);
    const QString shown = fm.elidedText(text, Qt::ElideRight, area.width());
    p.drawText(QRectF(area.left(), y, area.width(), fm.height()), align | Qt::AlignVCenter, shown);
    y += fm.height();
}

// Lines of base size the text takes: name 1.45, headline 1.2, members, connections and lag 1
// each, the note 0.85 and a gap; each alert slot a bold line and two lines of text at 0.8, with
// a quarter line between alerts.
constexpr double kFixedLines = 6.6;
constexpr double kAlertScale = 0.8;
constexpr double kLinesPerAlert = kAlertScale * 3.25;

QFont sized(const QFont &base, double px, bool bold)
{
    QFont f = base;
    f.setPixelSize(std::max(9, int(px)));
    f.setBold(bold);
    return f;
}

} // namespace

WallTile::WallTile(const QString &profileName, QWidget *parent)
    : QWidget(parent)
    , m_profileName(profileName)
{
    setObjectName(QStringLiteral("wallTile"));
    setFocusPolicy(Qt::StrongFocus);
    setContextMenuPolicy(Qt::NoContextMenu);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_summary.name = profileName;
}

void WallTile::setSummary(const models::WallTileSummary &summary)
{
    m_summary = summary;
    update();
}

QColor WallTile::background(const models::WallTileSummary &s)
{
    if (s.connecting)
        return QColor(0x3c, 0x40, 0x48);
    switch (s.health) {
    case models::Health::Ok:
        return QColor(0x1b, 0x6e, 0x34); // green, 6.2:1 with white
    case models::Health::Warning:
        return QColor(0xf2, 0xb0, 0x1e); // amber, 10:1 with black
    case models::Health::Critical:
        return QColor(0xb0, 0x1e, 0x1e); // red, 6.6:1 with white
    case models::Health::Unknown:
        break;
    }
    return QColor(0x3c, 0x40, 0x48); // slate, 10:1 with white
}

QColor WallTile::foreground(const models::WallTileSummary &s)
{
    return !s.connecting && s.health == models::Health::Warning ? QColor(Qt::black)
                                                                : QColor(Qt::white);
}

WallTile::TextLayout WallTile::textLayout(double areaHeight)
{
    TextLayout t;
    t.alertSlots = models::WallTileState::kMaxAlerts;
    while (t.alertSlots > 1 &&
           areaHeight / (kFixedLines + kLinesPerAlert * t.alertSlots) < kMinBasePx)
        --t.alertSlots;
    t.basePx = areaHeight / (kFixedLines + kLinesPerAlert * t.alertSlots);
    return t;
}

QRectF WallTile::textArea(const QSizeF &size)
{
    const QRectF r = QRectF(QPointF(0, 0), size).adjusted(2, 2, -2, -2);
    const double margin = std::max(6.0, r.height() * 0.05);
    return r.adjusted(margin, margin * 0.8, -margin, -margin * 0.8);
}

void WallTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().color(QPalette::Window).darker(300));
    const QRectF r = QRectF(rect()).adjusted(2, 2, -2, -2);
    const double radius = std::min(r.width(), r.height()) * 0.04;
    QPainterPath path;
    path.addRoundedRect(r, radius, radius);
    p.fillPath(path, background(m_summary));
    const QColor fg = foreground(m_summary);
    if (hasFocus()) {
        p.setPen(QPen(fg, std::max(3.0, r.height() * 0.02)));
        p.drawPath(path);
    }
    const QRectF area = textArea(size());
    const TextLayout layout = textLayout(area.height());
    const double base = layout.basePx;
    const QFont f = font();
    p.setPen(fg);
    double y = area.top();
    drawLine(p, area, y, sized(f, base * 1.45, true), m_summary.name);
    drawLine(p, area, y, sized(f, base * 1.2, true), m_summary.headline);
    if (!m_summary.connecting) {
        drawLine(p, area, y, sized(f, base, false), m_summary.members);
        drawLine(p, area, y, sized(f, base, false), m_summary.connections);
        drawLine(p, area, y, sized(f, base, false), m_summary.lag);
    }
    const QString note = !m_summary.freshness.isEmpty() ? m_summary.freshness : m_summary.change;
    if (!note.isEmpty())
        drawLine(p, area, y, sized(f, base * 0.85, true), note);
    y += base * 0.3;
    paintAlerts(p, QRectF(area.left(), y, area.width(), area.bottom() - y), base * kAlertScale,
                layout.alertSlots);
}

void WallTile::paintAlerts(QPainter &p, QRectF area, double basePx, int alertSlots) const
{
    // Each alert: "CRITICAL · 2 min" in bold, then its sentence on up to two lines; the last
    // slot says how many newer-than-shown alerts did not fit ("· +2 more").
    const QFont text = sized(font(), basePx, false);
    const QFont bold = sized(font(), basePx, true);
    const QFontMetricsF fm(text);
    const int shown = std::min(alertSlots, int(m_summary.alerts.size()));
    const int hidden = int(m_summary.alerts.size()) - shown;
    double y = area.top();
    for (int i = 0; i < shown; ++i) {
        const models::WallAlert &a = m_summary.alerts.at(i);
        if (y + 2 * fm.height() > area.bottom() + 1)
            break;
        const QString severity = models::healthName(a.severity).toUpper();
        drawLine(p, area, y, bold,
                 i + 1 == shown && hidden > 0
                     ? tr("%1 · %2 · +%n more", nullptr, hidden).arg(severity, a.age)
                     : tr("%1 · %2").arg(severity, a.age));
        const double lines = y + 3 * fm.height() <= area.bottom() + 1 ? 2 : 1;
        const QRectF box(area.left(), y, area.width(), fm.height() * lines);
        p.setFont(text);
        // Word-wrapped, the second line elided when the sentence is longer.
        if (lines < 2 || fm.horizontalAdvance(a.text) <= box.width()) {
            p.drawText(box, Qt::AlignLeft | Qt::AlignTop,
                       fm.elidedText(a.text, Qt::ElideRight, box.width()));
        } else {
            // Break at the last space that fits the first line.
            int cut = a.text.size();
            while (cut > 0 && fm.horizontalAdvance(a.text.left(cut)) > box.width())
                cut = a.text.lastIndexOf(QLatin1Char(' '), cut - 1);
            if (cut <= 0)
                cut = a.text.size() / 2;
            p.drawText(QRectF(box.left(), y, box.width(), fm.height()), Qt::AlignLeft,
                       a.text.left(cut));
            p.drawText(QRectF(box.left(), y + fm.height(), box.width(), fm.height()), Qt::AlignLeft,
                       fm.elidedText(a.text.mid(cut).trimmed(), Qt::ElideRight, box.width()));
        }
        y += box.height() + fm.height() * 0.25;
    }
}

void WallTile::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        Q_EMIT activated(m_profileName);
    event->accept(); // other buttons: nothing, and nothing for a parent either
}

void WallTile::mouseDoubleClickEvent(QMouseEvent *event)
{
    // A zoom as well (when the click before it has not zoomed already), nothing else.
    if (event->button() == Qt::LeftButton)
        Q_EMIT activated(m_profileName);
    event->accept();
}

void WallTile::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        Q_EMIT activated(m_profileName);
        return;
    case Qt::Key_Left:
        Q_EMIT moveRequested(-1, 0);
        return;
    case Qt::Key_Right:
        Q_EMIT moveRequested(1, 0);
        return;
    case Qt::Key_Up:
        Q_EMIT moveRequested(0, -1);
        return;
    case Qt::Key_Down:
        Q_EMIT moveRequested(0, 1);
        return;
    default:
        QWidget::keyPressEvent(event); // ignored: the wall sees it (Esc)
    }
}

} // namespace vigil::ui
