#include "models/topologylayout.h"

#include <algorithm>

namespace vigil::models {

namespace {

using Row = QList<TopologyLayoutBox>;

// Rows: the front (proxies) on top, then the leader with the ghosts, then replicas by depth.
QList<Row> assignRows(const TopologyScene &scene, const QHash<QString, QSizeF> &boxSizes,
                      bool chain, int leaderRow)
{
    QList<Row> rows;
    auto add = [&](int row, const QString &key) {
        while (rows.size() <= row)
            rows.append(Row());
        rows[row].append({key, row, QRectF(QPointF(0, 0), boxSizes.value(key))});
    };
    if (scene.pgbouncer.configured)
        add(0, TopologyLayout::pgbouncerKey());
    if (scene.haproxy.configured)
        add(chain ? 1 : 0, TopologyLayout::haproxyKey());
    if (!scene.haproxy.configured && !scene.pgbouncer.configured)
        rows.append(Row()); // an empty front keeps the leader in its row
    for (const TopologyNode &n : scene.nodes)
        add(n.gone || n.isLeader() ? leaderRow : leaderRow + n.depth, n.name);
    return rows;
}

// Stacks the rows top-down and centres each one; returns the scene's size (without the gap under
// the last row).
QSizeF stackRows(QList<Row> &rows, const TopologyLayoutMetrics &m, qreal firstGap)
{
    qreal y = 0, sceneWidth = 0;
    QList<qreal> rowWidths;
    for (Row &row : rows) {
        qreal w = 0, h = 0;
        for (const TopologyLayoutBox &b : row) {
            w += b.rect.width();
            h = std::max(h, b.rect.height());
        }
        w += m.gapX * std::max<qsizetype>(0, row.size() - 1);
        rowWidths << w;
        sceneWidth = std::max(sceneWidth, w);
        for (TopologyLayoutBox &b : row)
            b.rect.moveTop(y);
        y += (row.isEmpty() ? m.emptyRowHeight : h) + (rowWidths.size() == 1 ? firstGap : m.gapY);
    }
    for (int r = 0; r < rows.size(); ++r) {
        qreal x = (sceneWidth - rowWidths[r]) / 2;
        for (TopologyLayoutBox &b : rows[r]) {
            b.rect.moveLeft(x);
            x += b.rect.width() + m.gapX;
        }
    }
    return {sceneWidth, y - m.gapY};
}

// Shrinks the picture when space is short, grows it (up to maxScale) when there is room, so the
// boxes stay readable from a distance on a large screen; centred, a little above the middle.
void fit(TopologyLayout &out, const TopologyLayoutMetrics &m, const QSizeF &widget)
{
    const qreal sceneWidth = out.sceneSize.width(), sceneHeight = out.sceneSize.height();
    out.scale = std::min(
        {m.maxScale, (widget.width() - 2 * m.margin) / std::max<qreal>(1, sceneWidth),
         (widget.height() - 2 * m.margin - m.eventsHeight) / std::max<qreal>(1, sceneHeight)});
    const qreal offsetX = (widget.width() - sceneWidth * out.scale) / 2;
    const qreal offsetY = m.margin + std::max<qreal>(0, (widget.height() - 2 * m.margin -
                                                         m.eventsHeight - sceneHeight * out.scale) /
                                                            3);
    out.offset = QPointF(offsetX, offsetY);
    // The event lines: unscaled, across the whole width, under the picture.
    const qreal eventsLeft = std::max<qreal>(m.margin, offsetX);
    out.eventsWidth = widget.width() - eventsLeft - m.margin;
    out.eventsTopLeft = QPointF(eventsLeft, offsetY + sceneHeight * out.scale + m.eventsGap);
}

void addEdge(TopologyLayout &out, TopologyLayoutEdge::Kind kind, const QString &from,
             const QString &to, int route = -1)
{
    const QRectF s = out.rect(from), t = out.rect(to);
    out.edges.append({kind, from, to, QPointF(s.center().x(), s.bottom()),
                      QPointF(t.center().x(), t.top()), route});
}

// Edges between the same two boxes (PgBouncer's routes to HAProxy, say) side by side: their ends
// spread over the middle half of each box, their labels staggered along the edge.
void spreadParallelEdges(TopologyLayout &out)
{
    QHash<QString, QList<int>> byPair;
    for (int i = 0; i < out.edges.size(); ++i)
        byPair[out.edges.at(i).from + QLatin1Char('>') + out.edges.at(i).to].append(i);
    for (const QList<int> &group : std::as_const(byPair)) {
        const int n = int(group.size());
        if (n < 2)
            continue;
        for (int k = 0; k < n; ++k) {
            TopologyLayoutEdge &e = out.edges[group.at(k)];
            const qreal f = qreal(k) / (n - 1) - 0.5; // -0.5 .. 0.5
            e.start.rx() += f * out.rect(e.from).width() / 2;
            e.end.rx() += f * out.rect(e.to).width() / 2;
            e.labelAt = qreal(k + 1) / (n + 1);
        }
    }
}

// Links in painting order: HAProxy's routes, PgBouncer's, then each replica's link from its
// upstream (or a "not streaming" link from the leader when it has none).
void addEdges(TopologyLayout &out, const TopologyScene &scene)
{
    using Kind = TopologyLayoutEdge::Kind;
    if (scene.haproxy.configured) {
        for (const QString &target : scene.haproxy.routesTo)
            if (out.contains(target))
                addEdge(out, Kind::HaproxyRoute, TopologyLayout::haproxyKey(), target);
    }
    // PgBouncer's proven routes replace the plain "where it points" edges once probed.
    if (scene.pgbouncer.configured && !scene.pgbouncer.routes.isEmpty()) {
        for (int i = 0; i < scene.pgbouncer.routes.size(); ++i)
            if (out.contains(scene.pgbouncer.routes.at(i).target))
                addEdge(out, Kind::PgbouncerRoute, TopologyLayout::pgbouncerKey(),
                        scene.pgbouncer.routes.at(i).target, i);
    } else if (scene.pgbouncer.configured) {
        for (const QString &target : scene.pgbouncer.routesTo)
            if (out.contains(target))
                addEdge(out, Kind::PgbouncerRoute, TopologyLayout::pgbouncerKey(), target);
    }
    for (const TopologyNode &n : scene.nodes) {
        if (n.gone || n.isLeader())
            continue;
        if (!n.upstream.isEmpty() && out.contains(n.upstream))
            addEdge(out, Kind::Replication, n.upstream, n.name);
        else if (!scene.leader.isEmpty() && out.contains(scene.leader))
            addEdge(out, n.replicationVisible ? Kind::NotStreaming : Kind::NotVisible, scene.leader,
                    n.name);
    }
}

} // namespace

int TopologyLayout::indexOf(const QString &key) const
{
    // The last box of a key wins, as a later insert into a hash would.
    for (int i = int(boxes.size()) - 1; i >= 0; --i)
        if (boxes.at(i).key == key)
            return i;
    return -1;
}

QRectF TopologyLayout::rect(const QString &key) const
{
    const int i = indexOf(key);
    return i < 0 ? QRectF() : boxes.at(i).rect;
}

QRectF TopologyLayout::toWidget(const QRectF &r) const
{
    return QRectF(r.topLeft() * scale + offset, r.size() * scale);
}

QRectF TopologyLayout::onScreen(const QString &key) const
{
    const int i = indexOf(key);
    return i < 0 ? QRectF() : toWidget(boxes.at(i).rect);
}

TopologyLayout layoutTopology(const TopologyScene &scene, const QHash<QString, QSizeF> &boxSizes,
                              const TopologyLayoutMetrics &metrics, const QSizeF &widgetSize)
{
    TopologyLayout out;
    // PgBouncer in front of HAProxy (the usual stack): the clients' path top-down, one row each.
    const bool chain = scene.pgbouncer.configured && scene.haproxy.configured &&
                       scene.pgbouncer.routesTo.contains(TopologyLayout::haproxyKey());
    out.leaderRow = chain ? 2 : 1;
    QList<Row> rows = assignRows(scene, boxSizes, chain, out.leaderRow);
    // PgBouncer's route labels stacked under it: one line each, and room for the arrows.
    const qsizetype labels = scene.pgbouncer.configured ? scene.pgbouncer.routes.size() : 0;
    const qreal firstGap = std::max(metrics.gapY, (labels + 1.5) * metrics.labelHeight);
    out.sceneSize = stackRows(rows, metrics, firstGap);
    out.rowCount = int(rows.size());
    for (const Row &row : rows)
        out.boxes += row;
    fit(out, metrics, widgetSize);
    addEdges(out, scene);
    spreadParallelEdges(out);
    // Without a leader the replicas still sit below the leader's row; a caption says so.
    if (scene.leader.isEmpty() && rows.size() > out.leaderRow) {
        const Row &row = rows.at(out.leaderRow);
        const qreal rowY = !row.isEmpty() ? row.first().rect.top() : metrics.gapY;
        out.noLeaderCaption = QRectF(0, rowY - metrics.captionHeight * 1.3, out.sceneSize.width(),
                                     metrics.captionHeight);
    }
    return out;
}

} // namespace vigil::models
