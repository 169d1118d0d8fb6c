#pragma once

#include "topologymodel.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <optional>

namespace vigil::models {

// Where the topology picture puts its boxes and links: a pure function of the scene, the size of
// each box (measured by the painter from its text and fonts) and the widget's size. No fonts, no
// painting; TopologyWidget paints what this computed, and the unit tests check the geometry.
//
// The picture is laid out top-down like the data path in "scene" coordinates, row by row: the
// front (PgBouncer and HAProxy; PgBouncer in a row above HAProxy when it sends clients through
// HAProxy), then the leader and the members that left the DCS view ("gone" ghosts), then the
// replicas by depth (direct replicas, cascades from those, ...). Each row is centred. The scene is
// then scaled to fit the widget (shrunk when space is short, grown up to maxScale when there is
// room) and centred horizontally; the event lines are placed under it, unscaled.
struct TopologyLayoutMetrics
{
    qreal gapX = 0;           // between two boxes of a row (scene units)
    qreal gapY = 0;           // between two rows (scene units)
    qreal emptyRowHeight = 0; // a row without boxes, e.g. the front when there is none
    qreal captionHeight = 0;  // the "NO LEADER" caption's line (scene units)
    // An edge label's line (scene units): the gap under PgBouncer grows so that the labels of
    // its routes, one above the other, fit between the rows.
    qreal labelHeight = 0;
    qreal eventsHeight = 0; // kept free under the picture for the event lines (widget units)
    qreal eventsGap = 0;    // from the picture's bottom to the first event line (widget units)
    qreal margin = 16;      // around the picture (widget units)
    qreal maxScale = 1.5;
};

struct TopologyLayoutBox
{
    QString key; // a member's name, or haproxyKey() / pgbouncerKey()
    int row = 0;
    QRectF rect; // scene coordinates
};

struct TopologyLayoutEdge
{
    enum class Kind
    {
        HaproxyRoute,   // HAProxy's read-write backend → a member
        PgbouncerRoute, // PgBouncer → a member or HAProxy (route: one of its proven routes)
        Replication,    // upstream → replica that receives WAL from it
        NotStreaming,   // leader → a replica that streams from no member
        NotVisible,     // leader → a replica whose stream no SQL answer shows (unknown)
    };
    Kind kind = Kind::Replication;
    QString from, to; // box keys
    QPointF start;    // bottom centre of `from` (scene coordinates)
    QPointF end;      // top centre of `to` (scene coordinates)
    // A proven route's edge: its index in the proxy's TopologyProxy::routes; -1 for the others.
    int route = -1;
    // Where along the edge its label sits (0 start, 1 end): edges that share their two boxes
    // are spread side by side, their labels one above the other.
    qreal labelAt = 0.5;
};

struct TopologyLayout
{
    static QString haproxyKey() { return QStringLiteral("@haproxy"); }
    static QString pgbouncerKey() { return QStringLiteral("@pgbouncer"); }

    QList<TopologyLayoutBox> boxes;  // row by row, left to right (the painting order)
    QList<TopologyLayoutEdge> edges; // HAProxy's, PgBouncer's, then the members' (painting order)
    int rowCount = 0;
    int leaderRow = 1;
    QSizeF sceneSize;                      // the picture, without the event lines under it
    qreal scale = 1;                       // widget = offset + scene * scale
    QPointF offset;                        // widget coordinates of the scene's origin
    std::optional<QRectF> noLeaderCaption; // scene coordinates; set when the cluster has no leader
    QPointF eventsTopLeft;                 // widget coordinates of the first event line
    qreal eventsWidth = 0;                 // widget units

    bool contains(const QString &key) const { return indexOf(key) >= 0; }
    QRectF rect(const QString &key) const;     // scene coordinates; empty when there is no such box
    QRectF onScreen(const QString &key) const; // widget coordinates; empty when not laid out
    QRectF toWidget(const QRectF &sceneRect) const;

private:
    int indexOf(const QString &key) const;
};

// `boxSizes` holds the size of each box by key: every node of the scene, and the proxies that are
// configured. A box without a size is laid out empty (0×0).
TopologyLayout layoutTopology(const TopologyScene &scene, const QHash<QString, QSizeF> &boxSizes,
                              const TopologyLayoutMetrics &metrics, const QSizeF &widgetSize);

} // namespace vigil::models
