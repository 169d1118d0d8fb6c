// The topology picture's layout as a pure function: rows top-down like the data path, nothing
// overlapping, everything inside the widget at any size, links between the right boxes.
#include "models/topologylayout.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil;
using models::TopologyLayout;
using models::TopologyLayoutEdge;
using Kind = models::TopologyLayoutEdge::Kind;

namespace {

models::TopologyNode node(const QString &name, services::PatroniRole role, int depth,
                          const QString &upstream = QString())
{
    models::TopologyNode n;
    n.name = name;
    n.role = role;
    n.depth = depth;
    n.upstream = upstream;
    n.streaming = !upstream.isEmpty();
    return n;
}

// PgBouncer → HAProxy → node1 (leader); node2 and node3 replicas of node1, node4 cascades from
// node3, node5 streams from nobody, old1 left the DCS view.
models::TopologyScene fullScene()
{
    using services::PatroniRole;
    models::TopologyScene s;
    s.leader = QStringLiteral("node1");
    s.nodes = {node(QStringLiteral("node1"), PatroniRole::Leader, 0),
               node(QStringLiteral("node2"), PatroniRole::Replica, 1, QStringLiteral("node1")),
               node(QStringLiteral("node3"), PatroniRole::Replica, 1, QStringLiteral("node1")),
               node(QStringLiteral("node5"), PatroniRole::Replica, 1),
               node(QStringLiteral("node4"), PatroniRole::Replica, 2, QStringLiteral("node3")),
               node(QStringLiteral("old1"), PatroniRole::Unknown, 0)};
    s.nodes.last().gone = true;
    s.haproxy.configured = true;
    s.haproxy.routesTo = {QStringLiteral("node1")};
    s.pgbouncer.configured = true;
    s.pgbouncer.routesTo = {TopologyLayout::haproxyKey()};
    return s;
}

QHash<QString, QSizeF> sizesFor(const models::TopologyScene &s)
{
    QHash<QString, QSizeF> sizes;
    int i = 0;
    for (const models::TopologyNode &n : s.nodes) {
        sizes.insert(n.name, QSizeF(180 + 20 * (i % 3), 110 + 10 * (i % 2)));
        ++i;
    }
    if (s.haproxy.configured)
        sizes.insert(TopologyLayout::haproxyKey(), QSizeF(220, 70));
    if (s.pgbouncer.configured)
        sizes.insert(TopologyLayout::pgbouncerKey(), QSizeF(260, 70));
    return sizes;
}

models::TopologyLayoutMetrics metrics()
{
    models::TopologyLayoutMetrics m;
    m.gapX = 28;
    m.gapY = 44;
    m.emptyRowHeight = 34;
    m.captionHeight = 21;
    m.eventsHeight = 82;
    m.eventsGap = 18;
    return m;
}

const QList<QSizeF> kSizes = {{1100, 700}, {520, 380}, {1900, 1100}, {300, 900}, {1400, 300}};

const models::TopologyLayoutBox *boxOf(const TopologyLayout &l, const QString &key)
{
    for (const auto &b : l.boxes)
        if (b.key == key)
            return &b;
    return nullptr;
}

} // namespace

TEST(TopologyLayout, RowsFollowTheDataPathTopDown)
{
    const auto scene = fullScene();
    const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), metrics(), {1100, 700});
    EXPECT_EQ(l.leaderRow, 2) << "PgBouncer sends clients through HAProxy: one row each";
    EXPECT_EQ(l.rowCount, 5);
    const QMap<QString, int> expected = {
        {TopologyLayout::pgbouncerKey(), 0}, {TopologyLayout::haproxyKey(), 1},
        {QStringLiteral("node1"), 2},        {QStringLiteral("old1"), 2},
        {QStringLiteral("node2"), 3},        {QStringLiteral("node3"), 3},
        {QStringLiteral("node5"), 3},        {QStringLiteral("node4"), 4}};
    ASSERT_EQ(l.boxes.size(), expected.size());
    for (const auto &b : l.boxes) {
        EXPECT_EQ(b.row, expected.value(b.key, -1)) << b.key.toStdString();
        EXPECT_EQ(b.rect.size(), sizesFor(scene).value(b.key)) << "boxes keep their measured size";
    }
    // Painting order: row by row, left to right in the scene's order.
    for (int i = 1; i < l.boxes.size(); ++i) {
        const auto &a = l.boxes.at(i - 1), &b = l.boxes.at(i);
        EXPECT_TRUE(a.row < b.row || (a.row == b.row && a.rect.right() < b.rect.left()))
            << a.key.toStdString() << " before " << b.key.toStdString();
        if (a.row < b.row) {
            EXPECT_LT(a.rect.bottom(), b.rect.top());
        }
    }
    EXPECT_FALSE(l.noLeaderCaption);
}

TEST(TopologyLayout, EachRowIsCentred)
{
    const auto scene = fullScene();
    const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), metrics(), {1100, 700});
    for (int row = 0; row < l.rowCount; ++row) {
        qreal left = 1e9, right = -1e9;
        for (const auto &b : l.boxes)
            if (b.row == row) {
                left = std::min(left, b.rect.left());
                right = std::max(right, b.rect.right());
            }
        EXPECT_NEAR((left + right) / 2, l.sceneSize.width() / 2, 1e-9) << "row " << row;
        EXPECT_GE(left, 0);
        EXPECT_LE(right, l.sceneSize.width() + 1e-9);
    }
}

TEST(TopologyLayout, NothingOverlapsAndEverythingIsInsideTheWidgetAtAnySize)
{
    const auto scene = fullScene();
    const auto m = metrics();
    for (const QSizeF &size : kSizes) {
        const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), m, size);
        const QRectF widget(QPointF(0, 0), size);
        const QRectF inner = widget.adjusted(m.margin, m.margin, -m.margin, -m.margin);
        for (int i = 0; i < l.boxes.size(); ++i) {
            const QRectF r = l.onScreen(l.boxes.at(i).key);
            EXPECT_TRUE(inner.contains(r)) << l.boxes.at(i).key.toStdString() << " at "
                                           << size.width() << "x" << size.height();
            for (int j = i + 1; j < l.boxes.size(); ++j)
                EXPECT_FALSE(r.intersects(l.onScreen(l.boxes.at(j).key)))
                    << l.boxes.at(i).key.toStdString() << " and "
                    << l.boxes.at(j).key.toStdString();
            // The event lines sit under the picture and their reserved room fits in the widget.
            EXPECT_GE(l.eventsTopLeft.y(), r.bottom());
        }
        EXPECT_LE(l.eventsTopLeft.y() - m.eventsGap + m.eventsHeight, size.height() - m.margin);
        EXPECT_GE(l.eventsTopLeft.x(), m.margin);
        EXPECT_NEAR(l.eventsTopLeft.x() + l.eventsWidth, size.width() - m.margin, 1e-9);
    }
}

TEST(TopologyLayout, ShrinksWhenNarrowAndGrowsAtMostToMaxScale)
{
    const auto scene = fullScene();
    const auto m = metrics();
    const TopologyLayout narrow = models::layoutTopology(scene, sizesFor(scene), m, {300, 900});
    EXPECT_LT(narrow.scale, 1.0);
    EXPECT_NEAR(narrow.sceneSize.width() * narrow.scale, 300 - 2 * m.margin, 1e-9)
        << "the width limits the picture";
    const TopologyLayout low = models::layoutTopology(scene, sizesFor(scene), m, {1400, 300});
    EXPECT_NEAR(low.sceneSize.height() * low.scale, 300 - 2 * m.margin - m.eventsHeight, 1e-9)
        << "the height limits the picture";
    const TopologyLayout huge = models::layoutTopology(scene, sizesFor(scene), m, {4000, 3000});
    EXPECT_DOUBLE_EQ(huge.scale, m.maxScale);
    // Centred horizontally at every size.
    for (const auto &[l, width] :
         {std::pair{narrow, 300.0}, std::pair{low, 1400.0}, std::pair{huge, 4000.0}}) {
        const qreal right = l.offset.x() + l.sceneSize.width() * l.scale;
        EXPECT_NEAR(l.offset.x(), width - right, 1e-9) << width;
    }
    EXPECT_EQ(huge.onScreen(QStringLiteral("node1")),
              huge.toWidget(huge.rect(QStringLiteral("node1"))));
    EXPECT_DOUBLE_EQ(huge.onScreen(QStringLiteral("node1")).width(),
                     huge.rect(QStringLiteral("node1")).width() * 1.5);
}

TEST(TopologyLayout, EdgesConnectTheRightBoxes)
{
    const auto scene = fullScene();
    const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), metrics(), {1100, 700});
    struct Expected
    {
        Kind kind;
        QString from, to;
    };
    const QList<Expected> expected = {
        {Kind::HaproxyRoute, TopologyLayout::haproxyKey(), QStringLiteral("node1")},
        {Kind::PgbouncerRoute, TopologyLayout::pgbouncerKey(), TopologyLayout::haproxyKey()},
        {Kind::Replication, QStringLiteral("node1"), QStringLiteral("node2")},
        {Kind::Replication, QStringLiteral("node1"), QStringLiteral("node3")},
        {Kind::NotStreaming, QStringLiteral("node1"), QStringLiteral("node5")},
        {Kind::Replication, QStringLiteral("node3"), QStringLiteral("node4")},
    };
    ASSERT_EQ(l.edges.size(), expected.size()) << "no link to or from the ghost";
    for (int i = 0; i < expected.size(); ++i) {
        const TopologyLayoutEdge &e = l.edges.at(i);
        EXPECT_EQ(e.kind, expected.at(i).kind) << i;
        EXPECT_EQ(e.from, expected.at(i).from) << i;
        EXPECT_EQ(e.to, expected.at(i).to) << i;
        const QRectF from = l.rect(e.from), to = l.rect(e.to);
        EXPECT_EQ(e.start, QPointF(from.center().x(), from.bottom())) << i;
        EXPECT_EQ(e.end, QPointF(to.center().x(), to.top())) << i;
        EXPECT_LT(e.start.y(), e.end.y()) << "links point down the data path";
    }
}

TEST(TopologyLayout, AStreamNoSqlAnswerShowsIsDrawnAsNotVisible)
{
    auto scene = fullScene();
    for (auto &n : scene.nodes)
        if (n.name == QLatin1String("node5"))
            n.replicationVisible = false;
    const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), metrics(), {1100, 700});
    int seen = 0;
    for (const auto &e : l.edges)
        if (e.to == QLatin1String("node5")) {
            ++seen;
            EXPECT_EQ(e.kind, Kind::NotVisible);
            EXPECT_EQ(e.from, QStringLiteral("node1"));
        }
    EXPECT_EQ(seen, 1);
}

TEST(TopologyLayout, RoutesToUnknownTargetsAreLeftOut)
{
    auto scene = fullScene();
    scene.haproxy.routesTo = {QStringLiteral("node1"), QStringLiteral("elsewhere")};
    scene.nodes[2].upstream = QStringLiteral("vanished"); // node3: its sender is not drawn
    const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), metrics(), {1100, 700});
    int haproxy = 0;
    for (const auto &e : l.edges) {
        EXPECT_NE(e.to, QStringLiteral("elsewhere"));
        haproxy += e.kind == Kind::HaproxyRoute;
        if (e.to == QLatin1String("node3")) {
            EXPECT_EQ(e.kind, Kind::NotStreaming);
            EXPECT_EQ(e.from, QStringLiteral("node1"));
        }
    }
    EXPECT_EQ(haproxy, 1);
}

TEST(TopologyLayout, FrontRows)
{
    // Both proxies, PgBouncer straight to the members: one front row.
    auto scene = fullScene();
    scene.pgbouncer.routesTo = {QStringLiteral("node1")};
    TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), metrics(), {1100, 700});
    EXPECT_EQ(l.leaderRow, 1);
    EXPECT_EQ(boxOf(l, TopologyLayout::pgbouncerKey())->row, 0);
    EXPECT_EQ(boxOf(l, TopologyLayout::haproxyKey())->row, 0);
    EXPECT_LT(boxOf(l, TopologyLayout::pgbouncerKey())->rect.right(),
              boxOf(l, TopologyLayout::haproxyKey())->rect.left());

    // No proxies: an empty front row keeps the leader where it would be.
    scene.haproxy = {};
    scene.pgbouncer = {};
    const auto m = metrics();
    l = models::layoutTopology(scene, sizesFor(scene), m, {1100, 700});
    EXPECT_EQ(l.leaderRow, 1);
    EXPECT_EQ(l.rowCount, 4);
    EXPECT_FALSE(l.contains(TopologyLayout::haproxyKey()));
    EXPECT_DOUBLE_EQ(l.rect(QStringLiteral("node1")).top(), m.emptyRowHeight + m.gapY);
    for (const auto &e : l.edges)
        EXPECT_TRUE(e.kind == Kind::Replication || e.kind == Kind::NotStreaming);
}

TEST(TopologyLayout, NoLeaderCaptionAboveTheLeaderRow)
{
    auto scene = fullScene();
    scene.leader.clear();
    scene.nodes[0].role = services::PatroniRole::Replica; // node1 lost the lock, still leads row 2
    scene.nodes[0].depth = 1;
    const auto m = metrics();
    const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), m, {1100, 700});
    ASSERT_TRUE(l.noLeaderCaption);
    const QRectF ghost = l.rect(QStringLiteral("old1"));
    EXPECT_EQ(boxOf(l, QStringLiteral("old1"))->row, l.leaderRow);
    EXPECT_DOUBLE_EQ(l.noLeaderCaption->top(), ghost.top() - m.captionHeight * 1.3);
    EXPECT_DOUBLE_EQ(l.noLeaderCaption->height(), m.captionHeight);
    EXPECT_DOUBLE_EQ(l.noLeaderCaption->width(), l.sceneSize.width());
    EXPECT_LT(l.noLeaderCaption->bottom(), ghost.top()) << "over the leader's row, not on it";
    for (const auto &e : l.edges)
        EXPECT_NE(e.kind, Kind::NotStreaming) << "there is no leader to draw from";
}

TEST(TopologyLayout, ABoxWithoutASizeIsLaidOutEmpty)
{
    auto scene = fullScene();
    auto sizes = sizesFor(scene);
    sizes.remove(QStringLiteral("node5"));
    const TopologyLayout l = models::layoutTopology(scene, sizes, metrics(), {1100, 700});
    EXPECT_TRUE(l.contains(QStringLiteral("node5")));
    EXPECT_TRUE(l.rect(QStringLiteral("node5")).isEmpty());
    EXPECT_TRUE(l.onScreen(QStringLiteral("nobody")).isNull());
}

TEST(TopologyLayout, ProvenRoutesAreOneEdgeEachSpreadApart)
{
    auto scene = fullScene();
    scene.pgbouncer.routes = {
        {TopologyLayout::haproxyKey(), QStringLiteral("read-write"), models::Health::Ok, true},
        {TopologyLayout::haproxyKey(), QStringLiteral("read-only"), models::Health::Ok, true}};
    scene.haproxy.routes = {
        {QStringLiteral("node2"), QStringLiteral("read-only :5001"), models::Health::Ok, true}};
    const TopologyLayout l = models::layoutTopology(scene, sizesFor(scene), metrics(), {1100, 700});
    QList<TopologyLayoutEdge> bouncer, haproxyProbes;
    for (const TopologyLayoutEdge &e : l.edges) {
        if (e.kind == Kind::PgbouncerRoute)
            bouncer << e;
        if (e.kind == Kind::HaproxyRoute && e.route >= 0)
            haproxyProbes << e;
    }
    ASSERT_EQ(bouncer.size(), 2) << "the proven routes replace the plain edge";
    EXPECT_EQ(bouncer[0].route, 0);
    EXPECT_EQ(bouncer[1].route, 1);
    EXPECT_LT(bouncer[0].start.x(), bouncer[1].start.x()) << "side by side";
    EXPECT_LT(bouncer[0].end.x(), bouncer[1].end.x());
    EXPECT_NE(bouncer[0].labelAt, bouncer[1].labelAt) << "labels one above the other";
    const QRectF pb = l.rect(TopologyLayout::pgbouncerKey());
    EXPECT_GT(bouncer[0].start.x(), pb.left());
    EXPECT_LT(bouncer[1].start.x(), pb.right());
    EXPECT_TRUE(haproxyProbes.isEmpty()) << "HAProxy's probed ports are lines in its box";

    // The gap under PgBouncer holds its labels one above the other.
    auto m = metrics();
    m.labelHeight = 30; // 3.5 lines of 30 > gapY 44
    const TopologyLayout tall = models::layoutTopology(scene, sizesFor(scene), m, {1900, 1100});
    const qreal gap = tall.rect(TopologyLayout::haproxyKey()).top() -
                      tall.rect(TopologyLayout::pgbouncerKey()).bottom();
    EXPECT_GE(gap, 3.5 * 30);
}
