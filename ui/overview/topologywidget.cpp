#include "ui/overview/topologywidget.h"

#include "models/formatting.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <cmath>

namespace vigil::ui {

using models::Health;
using models::TopologyNode;
using models::TopologyProxy;

namespace {

struct Fonts
{
    QFont title, body, small;
    explicit Fonts(const QFont &base)
        : title(base)
        , body(base)
        , small(base)
    {
        title.setBold(true);
        title.setPointSizeF(base.pointSizeF() * 1.25);
        small.setPointSizeF(base.pointSizeF() * 0.9);
    }
};

struct Line
{
    QString text;
    const QFont *font;
    QColor color;
};

QColor text(const QPalette &p)
{
    return p.color(QPalette::WindowText);
}
QColor muted(const QPalette &p)
{
    QColor c = p.color(QPalette::WindowText);
    c.setAlphaF(0.65f);
    return c;
}

QList<Line> nodeLines(const TopologyNode &n, const Fonts &f, const QPalette &pal)
{
    QList<Line> lines;
    QString head = n.name;
    lines.append({head, &f.title, text(pal)});
    QString role = n.roleText;
    if (n.formerLeader && !n.gone)
        role = n.role == services::PatroniRole::Unknown
                   ? TopologyWidget::tr("former leader")
                   : role + QStringLiteral(" · ") + TopologyWidget::tr("former leader");
    lines.append(
        {role, &f.body, n.isLeader() ? models::healthColor(Health::Ok).darker(130) : text(pal)});
    QString state = n.state.isEmpty() ? TopologyWidget::tr("state unknown") : n.state;
    if (n.timeline)
        state += QStringLiteral(" · ") + TopologyWidget::tr("TL %1").arg(*n.timeline);
    lines.append({state, &f.body,
                  n.health == Health::Ok
                      ? text(pal)
                      : models::healthColor(models::memberStateHealth(n.state) == Health::Ok
                                                ? Health::Unknown
                                                : models::memberStateHealth(n.state))});
    if (!n.isLeader() && !n.gone) {
        QString lag =
            TopologyWidget::tr("lag %1 · %2")
                .arg(models::formatBytes(n.lagBytes), models::formatSeconds(n.lagSeconds));
        lines.append({lag, &f.body,
                      models::lagHealth(n.lagBytes, n.lagSeconds) == Health::Ok
                          ? text(pal)
                          : models::healthColor(models::lagHealth(n.lagBytes, n.lagSeconds))});
    }
    if (!n.gone) {
        const QString rest = n.restOk ? TopologyWidget::tr("REST ✓") : TopologyWidget::tr("REST ✗");
        const QString sql = n.sqlOk ? TopologyWidget::tr("SQL ✓") : TopologyWidget::tr("SQL ✗");
        lines.append({rest + QStringLiteral("   ") + sql, &f.small,
                      (n.restOk && n.sqlOk) ? muted(pal) : models::healthColor(Health::Critical)});
    }
    if (!n.flags.isEmpty())
        lines.append({n.flags.join(QStringLiteral(" · ")), &f.small,
                      models::healthColor(Health::Warning).darker(120)});
    if (!n.problem.isEmpty())
        lines.append({n.problem, &f.small,
                      models::healthColor(n.gone ? Health::Unknown : Health::Critical)});
    return lines;
}

QList<Line> proxyLines(const TopologyProxy &p, const Fonts &f, const QPalette &pal)
{
    QList<Line> lines;
    lines.append({p.title, &f.title, text(pal)});
    lines.append({p.status, &f.body, text(pal)});
    if (!p.problem.isEmpty())
        lines.append({p.problem, &f.small, models::healthColor(Health::Critical)});
    return lines;
}

QSizeF measure(const QList<Line> &lines, qreal minWidth, qreal maxWidth)
{
    qreal w = minWidth, h = 0;
    for (const Line &l : lines) {
        QFontMetricsF fm(*l.font);
        w = std::max(w, fm.horizontalAdvance(l.text) + 28);
        h += fm.lineSpacing();
    }
    return {std::min(w, maxWidth), h + 22};
}

void drawBox(QPainter &p, const QRectF &r, const QList<Line> &lines, Health health, bool dashed,
             bool emphasise, const QPalette &pal)
{
    const QColor accent = models::healthColor(health);
    QPainterPath path;
    path.addRoundedRect(r, 8, 8);
    QColor fill = pal.color(QPalette::Base);
    if (dashed)
        fill = pal.color(QPalette::Window);
    p.fillPath(path, fill);
    // The health band on the left edge: colour plus the words inside, never colour alone.
    QPainterPath band;
    band.addRoundedRect(QRectF(r.left(), r.top(), 10, r.height()), 5, 5);
    p.fillPath(band, dashed ? models::healthColor(Health::Unknown) : accent);
    QPen pen(dashed ? models::healthColor(Health::Unknown) : accent, emphasise ? 3.0 : 1.6);
    if (dashed)
        pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.drawPath(path);

    qreal y = r.top() + 10;
    for (const Line &l : lines) {
        QFontMetricsF fm(*l.font);
        p.setFont(*l.font);
        p.setPen(dashed ? muted(pal) : l.color);
        const QString t = fm.elidedText(l.text, Qt::ElideRight, r.width() - 28);
        p.drawText(QPointF(r.left() + 18, y + fm.ascent()), t);
        y += fm.lineSpacing();
    }
}

void drawArrow(QPainter &p, QPointF from, QPointF to, const QColor &color, qreal width, bool dashed,
               const QString &label, const QFont &font, const QPalette &pal)
{
    QPen pen(color, width);
    pen.setStyle(dashed ? Qt::DashLine : Qt::SolidLine);
    pen.setCapStyle(Qt::RoundCap);
    p.setPen(pen);
    // A gentle S-curve from the bottom of one box to the top of the other.
    QPainterPath path(from);
    const qreal dy = (to.y() - from.y()) / 2;
    path.cubicTo(from + QPointF(0, dy), to - QPointF(0, dy), to);
    p.drawPath(path);
    // Arrow head pointing down into `to`.
    const qreal s = 6 + width;
    QPolygonF head({to, to + QPointF(-s * 0.6, -s), to + QPointF(s * 0.6, -s)});
    p.setBrush(color);
    p.setPen(Qt::NoPen);
    p.drawPolygon(head);
    p.setBrush(Qt::NoBrush);
    if (!label.isEmpty()) {
        p.setFont(font);
        QFontMetricsF fm(font);
        const QPointF mid = path.pointAtPercent(0.5);
        QRectF lr(0, 0, fm.horizontalAdvance(label) + 10, fm.height() + 2);
        lr.moveCenter(mid);
        QColor bg = pal.color(QPalette::Window);
        bg.setAlphaF(0.9f);
        p.fillRect(lr, bg);
        p.setPen(color.darker(115));
        p.drawText(lr, Qt::AlignCenter, label);
    }
}

} // namespace

TopologyWidget::TopologyWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("TopologyWidget"));
    setAttribute(Qt::WA_OpaquePaintEvent, true);
    setAutoFillBackground(false);
    setMouseTracking(true);
}

void TopologyWidget::setModel(models::TopologyModel *model)
{
    if (m_model == model)
        return;
    disconnect(m_connection);
    m_model = model;
    if (m_model)
        m_connection =
            connect(m_model, &models::TopologyModel::changed, this, qOverload<>(&QWidget::update));
    update();
}

QSize TopologyWidget::sizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.averageCharWidth() * 110, fm.lineSpacing() * 26};
}

QSize TopologyWidget::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.averageCharWidth() * 50, fm.lineSpacing() * 12};
}

bool TopologyWidget::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(e);
        for (auto it = m_nodeRects.constBegin(); it != m_nodeRects.constEnd(); ++it)
            if (it.value().contains(help->pos())) {
                QToolTip::showText(help->globalPos(), m_nodeToolTips.value(it.key()), this);
                return true;
            }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

void TopologyWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Window));
    m_nodeRects.clear();
    m_nodeToolTips.clear();

    const Fonts fonts(font());
    if (!m_model || m_model->scene().nodes.isEmpty()) {
        p.setFont(fonts.title);
        p.setPen(muted(pal));
        const QString msg =
            (m_model && !m_model->scene().discoveryProblem.isEmpty())
                ? tr("Cannot read the cluster view: %1").arg(m_model->scene().discoveryProblem)
                : tr("Waiting for the first view of the cluster…");
        p.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, msg);
        return;
    }
    const models::TopologyScene &scene = m_model->scene();

    // Layout in "scene" coordinates, then scaled to fit the widget.
    const qreal gapX = QFontMetricsF(fonts.body).averageCharWidth() * 4;
    const qreal gapY = QFontMetricsF(fonts.body).lineSpacing() * 2.6;
    const qreal maxBoxWidth = QFontMetricsF(fonts.body).averageCharWidth() * 44;
    const qreal minBoxWidth = QFontMetricsF(fonts.body).averageCharWidth() * 26;

    struct Placed
    {
        QRectF rect;
        QList<Line> lines;
    };
    // Rows: 0 front (proxies), 1 leader + ghosts, 2.. replicas by depth.
    using Row = QList<QPair<QString, Placed>>;
    QList<Row> rows;
    auto addToRow = [&](int row, const QString &key, const QList<Line> &lines) {
        while (rows.size() <= row)
            rows.append(Row());
        Placed pl;
        pl.lines = lines;
        pl.rect = QRectF(QPointF(0, 0), measure(lines, minBoxWidth, maxBoxWidth));
        rows[row].append({key, pl});
    };
    const bool haveFront = scene.haproxy.configured || scene.pgbouncer.configured;
    // PgBouncer in front of HAProxy (the usual stack): the clients' path top-down, one row each.
    const bool chain = scene.pgbouncer.configured && scene.haproxy.configured &&
                       scene.pgbouncer.routesTo.contains(QLatin1String("@haproxy"));
    const int leaderRow = chain ? 2 : 1;
    if (scene.pgbouncer.configured)
        addToRow(0, QStringLiteral("@pgbouncer"), proxyLines(scene.pgbouncer, fonts, pal));
    if (scene.haproxy.configured)
        addToRow(chain ? 1 : 0, QStringLiteral("@haproxy"), proxyLines(scene.haproxy, fonts, pal));
    if (!haveFront)
        rows.append(Row());
    QHash<QString, const TopologyNode *> byName;
    for (const TopologyNode &n : scene.nodes) {
        byName.insert(n.name, &n);
        const int row = n.gone || n.isLeader() ? leaderRow : leaderRow + n.depth;
        addToRow(row, n.name, nodeLines(n, fonts, pal));
    }
    // Without a leader the replicas still sit in row 2, the empty leader slot says so.
    const bool noLeader = scene.leader.isEmpty();

    // Row heights and widths; centre each row.
    qreal y = 0, sceneWidth = 0;
    QList<qreal> rowWidths;
    for (auto &row : rows) {
        qreal w = 0, h = 0;
        for (auto &e : row) {
            w += e.second.rect.width();
            h = std::max(h, e.second.rect.height());
        }
        w += gapX * std::max<qsizetype>(0, row.size() - 1);
        rowWidths << w;
        sceneWidth = std::max(sceneWidth, w);
        for (auto &e : row)
            e.second.rect.moveTop(y);
        y += (row.isEmpty() ? QFontMetricsF(fonts.body).lineSpacing() * 2 : h) + gapY;
    }
    const qreal eventsHeight = QFontMetricsF(fonts.small).lineSpacing() * 5.5;
    const qreal sceneHeight = y - gapY; // the picture, without the event lines under it
    for (int r = 0; r < rows.size(); ++r) {
        qreal x = (sceneWidth - rowWidths[r]) / 2;
        for (auto &e : rows[r]) {
            e.second.rect.moveLeft(x);
            x += e.second.rect.width() + gapX;
        }
    }
    // Replicas under their upstream when that makes a tidy picture (a single child).
    QHash<QString, QRectF> rects;
    for (auto &row : rows)
        for (auto &e : row)
            rects.insert(e.first, e.second.rect);

    const qreal margin = 16;
    // Fit the picture: shrink when space is short, grow (up to 1.5x) when there is room, so the
    // boxes stay readable from a distance on a large screen.
    const qreal scale =
        std::min({1.5, (width() - 2 * margin) / std::max<qreal>(1, sceneWidth),
                  (height() - 2 * margin - eventsHeight) / std::max<qreal>(1, sceneHeight)});
    const qreal offsetX = (width() - sceneWidth * scale) / 2;
    const qreal offsetY =
        margin +
        std::max<qreal>(0, (height() - 2 * margin - eventsHeight - sceneHeight * scale) / 3);
    p.translate(offsetX, offsetY);
    p.scale(scale, scale);

    // Links first, boxes on top.
    const QColor okLink = models::healthColor(Health::Ok);
    const QColor badLink = models::healthColor(Health::Critical);
    if (scene.haproxy.configured) {
        const QRectF hp = rects.value(QStringLiteral("@haproxy"));
        for (const QString &target : scene.haproxy.routesTo) {
            if (!rects.contains(target))
                continue;
            const QRectF t = rects.value(target);
            const bool toLeader = target == scene.leader;
            drawArrow(p, QPointF(hp.center().x(), hp.bottom()), QPointF(t.center().x(), t.top()),
                      toLeader ? okLink : badLink, 2.4, false, tr("read-write"), fonts.small, pal);
        }
    }
    if (scene.pgbouncer.configured) {
        const QRectF pb = rects.value(QStringLiteral("@pgbouncer"));
        for (const QString &target : scene.pgbouncer.routesTo) {
            if (!rects.contains(target))
                continue;
            const QRectF t = rects.value(target);
            const bool ok = target == QLatin1String("@haproxy") || target == scene.leader;
            drawArrow(p, QPointF(pb.center().x(), pb.bottom()), QPointF(t.center().x(), t.top()),
                      ok ? okLink : badLink, 2.4, false, scene.pgbouncer.routeLabel, fonts.small,
                      pal);
        }
    }
    for (const TopologyNode &n : scene.nodes) {
        if (n.gone || n.isLeader())
            continue;
        const QRectF t = rects.value(n.name);
        if (!n.upstream.isEmpty() && rects.contains(n.upstream)) {
            const QRectF s = rects.value(n.upstream);
            QString label = n.syncState.isEmpty() ? tr("WAL") : n.syncState;
            if (n.lagBytes)
                label += QStringLiteral(" · ") + models::formatBytes(n.lagBytes);
            const Health lh = models::lagHealth(n.lagBytes, n.lagSeconds);
            const QColor c = !n.streaming ? models::healthColor(Health::Warning)
                             : (lh == Health::Ok || lh == Health::Unknown)
                                 ? QColor(0x4a, 0x6f, 0xa5)
                                 : models::healthColor(lh);
            const bool sync =
                n.syncState == QLatin1String("sync") || n.syncState == QLatin1String("quorum");
            drawArrow(p, QPointF(s.center().x(), s.bottom()), QPointF(t.center().x(), t.top()), c,
                      sync ? 3.0 : 1.8, !n.streaming, label, fonts.small, pal);
        } else if (!scene.leader.isEmpty() && rects.contains(scene.leader)) {
            const QRectF s = rects.value(scene.leader);
            drawArrow(p, QPointF(s.center().x(), s.bottom()), QPointF(t.center().x(), t.top()),
                      models::healthColor(Health::Critical), 1.4, true, tr("not streaming"),
                      fonts.small, pal);
        }
    }

    for (auto &row : rows)
        for (auto &e : row) {
            const QString &key = e.first;
            if (key == QLatin1String("@haproxy")) {
                drawBox(p, e.second.rect, e.second.lines, scene.haproxy.health, false, false, pal);
                continue;
            }
            if (key == QLatin1String("@pgbouncer")) {
                drawBox(p, e.second.rect, e.second.lines, scene.pgbouncer.health, false, false,
                        pal);
                continue;
            }
            const TopologyNode *n = byName.value(key);
            drawBox(p, e.second.rect, e.second.lines, n->health, n->gone, n->isLeader(), pal);
            const QRectF onScreen(e.second.rect.topLeft() * scale + QPointF(offsetX, offsetY),
                                  e.second.rect.size() * scale);
            m_nodeRects.insert(key, onScreen);
            QStringList tip;
            for (const Line &l : e.second.lines)
                tip << l.text.toHtmlEscaped();
            m_nodeToolTips.insert(key, tip.join(QStringLiteral("<br>")));
        }

    if (noLeader && rows.size() > leaderRow) {
        p.setFont(fonts.title);
        p.setPen(models::healthColor(Health::Critical));
        const qreal rowY =
            !rows[leaderRow].isEmpty() ? rows[leaderRow].first().second.rect.top() : gapY;
        QRectF slot(0, rowY - QFontMetricsF(fonts.title).lineSpacing() * 1.3, sceneWidth,
                    QFontMetricsF(fonts.title).lineSpacing());
        p.drawText(slot, Qt::AlignCenter, tr("NO LEADER"));
    }

    // The newest events: a failover is visible as it happens, with its times. Drawn unscaled,
    // across the whole width, under the picture.
    p.resetTransform();
    const qreal eventsLeft = std::max<qreal>(margin, offsetX);
    const qreal eventsWidth = width() - eventsLeft - margin;
    qreal ey = offsetY + sceneHeight * scale + QFontMetricsF(fonts.small).lineSpacing() * 1.2;
    p.setFont(fonts.small);
    const QFontMetricsF efm(fonts.small);
    int shown = 0;
    for (const models::TopologyEvent &e : m_model->events()) {
        if (shown++ == 4)
            break;
        p.setPen(Qt::NoPen);
        p.setBrush(models::healthColor(e.severity));
        p.drawEllipse(QPointF(eventsLeft + 6, ey + efm.ascent() / 2 + 1), 4, 4);
        p.setBrush(Qt::NoBrush);
        p.setPen(shown == 1 ? text(pal) : muted(pal));
        p.drawText(
            QPointF(eventsLeft + 18, ey + efm.ascent()),
            efm.elidedText(QStringLiteral("%1  %2").arg(
                               e.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")), e.text),
                           Qt::ElideRight, eventsWidth - 18));
        ey += efm.lineSpacing();
    }
}

} // namespace vigil::ui
