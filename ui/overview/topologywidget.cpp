#include "ui/overview/topologywidget.h"

#include "models/formatting.h"
#include "models/topologylayout.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <cmath>

namespace vigil::ui {

using models::Health;
using models::TopologyLayout;
using models::TopologyLayoutEdge;
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

QList<Line> proxyLines(const TopologyProxy &p, const Fonts &f, const QPalette &pal,
                       bool withRouteLines = false)
{
    QList<Line> lines;
    lines.append({p.title, &f.title, text(pal)});
    lines.append({p.status, &f.body, text(pal)});
    // HAProxy's ports as probed, in the box (an edge to a replica would cross the leader's row).
    if (withRouteLines)
        for (const models::TopologyRoute &r : p.routes)
            lines.append({r.label, &f.small,
                          r.health == Health::Ok ? muted(pal) : models::healthColor(r.health)});
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
               const QString &label, const QFont &font, const QPalette &pal, qreal labelAt = 0.5)
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
        const QPointF mid = path.pointAtPercent(labelAt);
        QRectF lr(0, 0, fm.horizontalAdvance(label) + 10, fm.height() + 2);
        lr.moveCenter(mid);
        QColor bg = pal.color(QPalette::Window);
        bg.setAlphaF(0.9f);
        p.fillRect(lr, bg);
        p.setPen(color.darker(115));
        p.drawText(lr, Qt::AlignCenter, label);
    }
}

using BoxTexts = QHash<QString, QList<Line>>;

// The lines of every box, by layout key: the configured proxies and every member.
BoxTexts boxTexts(const models::TopologyScene &scene, const Fonts &f, const QPalette &pal)
{
    BoxTexts texts;
    if (scene.pgbouncer.configured)
        texts.insert(TopologyLayout::pgbouncerKey(), proxyLines(scene.pgbouncer, f, pal));
    if (scene.haproxy.configured)
        texts.insert(TopologyLayout::haproxyKey(), proxyLines(scene.haproxy, f, pal, true));
    for (const TopologyNode &n : scene.nodes)
        texts.insert(n.name, nodeLines(n, f, pal));
    return texts;
}

QHash<QString, QSizeF> measureBoxes(const BoxTexts &texts, const Fonts &f)
{
    const QFontMetricsF body(f.body);
    const qreal maxBoxWidth = body.averageCharWidth() * 44;
    const qreal minBoxWidth = body.averageCharWidth() * 26;
    QHash<QString, QSizeF> sizes;
    for (auto it = texts.constBegin(); it != texts.constEnd(); ++it)
        sizes.insert(it.key(), measure(it.value(), minBoxWidth, maxBoxWidth));
    return sizes;
}

// The gaps of the layout grow with the font, so the picture does on a war-room screen.
models::TopologyLayoutMetrics layoutMetrics(const Fonts &f)
{
    const QFontMetricsF body(f.body), small(f.small);
    models::TopologyLayoutMetrics m;
    m.gapX = body.averageCharWidth() * 4;
    m.gapY = body.lineSpacing() * 2.6;
    m.emptyRowHeight = body.lineSpacing() * 2;
    m.captionHeight = QFontMetricsF(f.title).lineSpacing();
    m.labelHeight = small.height() + 4;
    m.eventsHeight = small.lineSpacing() * 5.5;
    m.eventsGap = small.lineSpacing() * 1.2;
    return m;
}

QHash<QString, const TopologyNode *> nodesByName(const models::TopologyScene &scene)
{
    QHash<QString, const TopologyNode *> byName;
    for (const TopologyNode &n : scene.nodes)
        byName.insert(n.name, &n);
    return byName;
}

bool isProxy(const QString &key)
{
    return key == TopologyLayout::haproxyKey() || key == TopologyLayout::pgbouncerKey();
}

void paintWaiting(QPainter &p, const QRect &area, const models::TopologyModel *model,
                  const Fonts &fonts, const QPalette &pal)
{
    p.setFont(fonts.title);
    p.setPen(muted(pal));
    const QString msg = (model && !model->scene().discoveryProblem.isEmpty())
                            ? TopologyWidget::tr("Cannot read the cluster view: %1")
                                  .arg(model->scene().discoveryProblem)
                            : TopologyWidget::tr("Waiting for the first view of the cluster…");
    p.drawText(area.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, msg);
}

// WAL from the upstream: thick when synchronous, dashed when not streaming, coloured by lag.
void paintReplicationLink(QPainter &p, const TopologyLayoutEdge &e, const TopologyNode &n,
                          const Fonts &fonts, const QPalette &pal)
{
    QString label = n.syncState.isEmpty() ? TopologyWidget::tr("WAL") : n.syncState;
    if (n.lagBytes)
        label += QStringLiteral(" · ") + models::formatBytes(n.lagBytes);
    const Health lh = models::lagHealth(n.lagBytes, n.lagSeconds);
    const QColor c = !n.streaming ? models::healthColor(Health::Warning)
                     : (lh == Health::Ok || lh == Health::Unknown) ? QColor(0x4a, 0x6f, 0xa5)
                                                                   : models::healthColor(lh);
    const bool sync =
        n.syncState == QLatin1String("sync") || n.syncState == QLatin1String("quorum");
    drawArrow(p, e.start, e.end, c, sync ? 3.0 : 1.8, !n.streaming, label, fonts.small, pal);
}

// A proven route of a proxy: coloured by what it reached against what it is for, dashed while
// nothing proved it.
void paintRoute(QPainter &p, const TopologyLayoutEdge &e, const models::TopologyRoute &route,
                const Fonts &fonts, const QPalette &pal)
{
    const QColor c = route.health == Health::Unknown ? models::healthColor(Health::Unknown)
                                                     : models::healthColor(route.health);
    drawArrow(p, e.start, e.end, c, 2.4, !route.proven, route.label, fonts.small, pal, e.labelAt);
}

// In scene coordinates (the painter is scaled), before the boxes so that these sit on top.
void paintLinks(QPainter &p, const TopologyLayout &layout, const models::TopologyScene &scene,
                const Fonts &fonts, const QPalette &pal)
{
    const QColor okLink = models::healthColor(Health::Ok);
    const QColor badLink = models::healthColor(Health::Critical);
    const auto byName = nodesByName(scene);
    for (const TopologyLayoutEdge &e : layout.edges) {
        switch (e.kind) {
        case TopologyLayoutEdge::Kind::HaproxyRoute:
            drawArrow(p, e.start, e.end, e.to == scene.leader ? okLink : badLink, 2.4, false,
                      TopologyWidget::tr("read-write"), fonts.small, pal, e.labelAt);
            break;
        case TopologyLayoutEdge::Kind::PgbouncerRoute: {
            if (e.route >= 0 && e.route < scene.pgbouncer.routes.size()) {
                paintRoute(p, e, scene.pgbouncer.routes.at(e.route), fonts, pal);
                break;
            }
            const bool ok = e.to == TopologyLayout::haproxyKey() || e.to == scene.leader;
            drawArrow(p, e.start, e.end, ok ? okLink : badLink, 2.4, false,
                      scene.pgbouncer.routeLabel, fonts.small, pal);
            break;
        }
        case TopologyLayoutEdge::Kind::Replication:
            paintReplicationLink(p, e, *byName.value(e.to), fonts, pal);
            break;
        case TopologyLayoutEdge::Kind::NotStreaming:
            drawArrow(p, e.start, e.end, models::healthColor(Health::Critical), 1.4, true,
                      TopologyWidget::tr("not streaming"), fonts.small, pal);
            break;
        case TopologyLayoutEdge::Kind::NotVisible:
            drawArrow(p, e.start, e.end, models::healthColor(Health::Unknown), 1.4, true,
                      TopologyWidget::tr("unknown (no SQL)"), fonts.small, pal);
            break;
        }
    }
}

// In scene coordinates; the "NO LEADER" caption over the empty leader slot when there is one.
void paintBoxes(QPainter &p, const TopologyLayout &layout, const models::TopologyScene &scene,
                const BoxTexts &texts, const Fonts &fonts, const QPalette &pal)
{
    const auto byName = nodesByName(scene);
    for (const models::TopologyLayoutBox &b : layout.boxes) {
        const QList<Line> lines = texts.value(b.key);
        if (b.key == TopologyLayout::haproxyKey()) {
            drawBox(p, b.rect, lines, scene.haproxy.health, false, false, pal);
        } else if (b.key == TopologyLayout::pgbouncerKey()) {
            drawBox(p, b.rect, lines, scene.pgbouncer.health, false, false, pal);
        } else {
            const TopologyNode *n = byName.value(b.key);
            drawBox(p, b.rect, lines, n->health, n->gone, n->isLeader(), pal);
        }
    }
    if (layout.noLeaderCaption) {
        p.setFont(fonts.title);
        p.setPen(models::healthColor(Health::Critical));
        p.drawText(*layout.noLeaderCaption, Qt::AlignCenter, TopologyWidget::tr("NO LEADER"));
    }
}

// The newest events: a failover is visible as it happens, with its times. Drawn unscaled,
// across the whole width, under the picture.
void paintEvents(QPainter &p, const TopologyLayout &layout,
                 const QList<models::TopologyEvent> &events, const Fonts &fonts,
                 const QPalette &pal)
{
    const qreal eventsLeft = layout.eventsTopLeft.x();
    qreal ey = layout.eventsTopLeft.y();
    p.setFont(fonts.small);
    const QFontMetricsF efm(fonts.small);
    int shown = 0;
    for (const models::TopologyEvent &e : events) {
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
                           Qt::ElideRight, layout.eventsWidth - 18));
        ey += efm.lineSpacing();
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
        paintWaiting(p, rect(), m_model, fonts, pal);
        return;
    }
    const models::TopologyScene &scene = m_model->scene();
    const BoxTexts texts = boxTexts(scene, fonts, pal);
    const TopologyLayout layout =
        models::layoutTopology(scene, measureBoxes(texts, fonts), layoutMetrics(fonts), size());

    p.translate(layout.offset);
    p.scale(layout.scale, layout.scale);
    paintLinks(p, layout, scene, fonts, pal);
    paintBoxes(p, layout, scene, texts, fonts, pal);
    p.resetTransform();
    paintEvents(p, layout, m_model->events(), fonts, pal);

    // Where each member was drawn, for nodeRect() and the tooltips.
    for (const models::TopologyLayoutBox &b : layout.boxes) {
        if (isProxy(b.key))
            continue;
        m_nodeRects.insert(b.key, layout.toWidget(b.rect));
        QStringList tip;
        for (const Line &l : texts.value(b.key))
            tip << l.text.toHtmlEscaped();
        m_nodeToolTips.insert(b.key, tip.join(QStringLiteral("<br>")));
    }
}

} // namespace vigil::ui
