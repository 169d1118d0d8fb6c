// Ring buffer, time-series store, downsampling and the chart history (rates from counters).
#include "models/charthistory.h"
#include "models/downsampling.h"
#include "models/ringbuffer.h"
#include "models/timeseriesstore.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <QFile>
#include <cmath>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::models;

namespace {
qint64 residentBytes()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * 4096 : -1;
}
} // namespace

TEST(RingBuffer, CopiesAndMovesKeepTheOrderOfAWrappedRing)
{
    RingBuffer<int> ring(3);
    for (int i = 1; i <= 5; ++i)
        ring.push(i); // 3, 4, 5 with the start moved
    const RingBuffer<int> copy = ring;
    ASSERT_EQ(copy.size(), 3u);
    EXPECT_EQ(copy.capacity(), 3u);
    EXPECT_EQ(copy[0], 3);
    EXPECT_EQ(copy.back(), 5);
    RingBuffer<int> moved = std::move(ring);
    EXPECT_EQ(moved[0], 3);
    EXPECT_EQ(ring.capacity(), 0u); // NOLINT(bugprone-use-after-move): the moved-from state
    ring.push(9);                   // a moved-from ring takes nothing, safely
    EXPECT_TRUE(ring.empty());
    moved = copy;
    moved.push(6);
    EXPECT_EQ(moved[0], 4);
    EXPECT_EQ(copy[0], 3);
}

// A day-long ring is reserved, not touched: its pages become resident only as samples come.
TEST(RingBuffer, ALargeRingCostsResidentMemoryOnlyAsItFills)
{
    const qint64 before = residentBytes();
    ASSERT_GT(before, 0);
    RingBuffer<float> ring(std::size_t(64) << 20); // 256 MiB of floats
    const qint64 reserved = residentBytes() - before;
    EXPECT_LT(reserved, qint64(64) << 20) << "a new ring made " << reserved << " bytes resident";
    for (int i = 0; i < (16 << 20); ++i) // 64 MiB of samples
        ring.push(float(i));
    const qint64 filled = residentBytes() - before;
    EXPECT_GT(filled, qint64(48) << 20) << "64 MiB of samples made only " << filled;
    EXPECT_EQ(ring.back(), float((16 << 20) - 1));
}

TEST(RingBuffer, OverwritesOldestAndKeepsOrder)
{
    RingBuffer<int> ring(4);
    EXPECT_TRUE(ring.empty());
    for (int i = 1; i <= 3; ++i)
        ring.push(i);
    EXPECT_EQ(ring.size(), 3u);
    EXPECT_EQ(ring.front(), 1);
    for (int i = 4; i <= 10; ++i)
        ring.push(i);
    ASSERT_EQ(ring.size(), 4u);
    EXPECT_TRUE(ring.full());
    EXPECT_EQ(ring[0], 7);
    EXPECT_EQ(ring[3], 10);
    EXPECT_EQ(ring.back(), 10);
    // The two spans cover the elements in order.
    std::vector<int> all;
    const auto spans = ring.spans();
    for (const int *p = spans.first.first; p != spans.first.second; ++p)
        all.push_back(*p);
    for (const int *p = spans.second.first; p != spans.second.second; ++p)
        all.push_back(*p);
    EXPECT_EQ(all, (std::vector<int>{7, 8, 9, 10}));
    ring.clear();
    EXPECT_EQ(ring.size(), 0u);
}

TEST(TimeSeriesStore, SharedClockGapsAndLateSeries)
{
    TimeSeriesStore store(5);
    const int a = store.seriesIndex(QStringLiteral("a"));
    store.append(1000, {{a, 1.0}});
    store.append(2000, {});                               // a has a gap
    const int b = store.seriesIndex(QStringLiteral("b")); // appears late: back-filled with NaN
    store.append(3000, {{a, 3.0}, {b, 30.0}});
    EXPECT_EQ(store.size(), 3);
    EXPECT_TRUE(std::isnan(store.valueAt(a, 1)));
    EXPECT_TRUE(std::isnan(store.valueAt(b, 0)));
    EXPECT_FLOAT_EQ(store.valueAt(b, 2), 30.0f);
    // A clock step backwards keeps the axis monotonic.
    store.append(2500, {{a, 4.0}});
    EXPECT_EQ(store.timeAt(3), 3001);
    for (int i = 0; i < 10; ++i)
        store.append(4000 + i * 1000, {{a, double(i)}});
    EXPECT_EQ(store.size(), 5);
    EXPECT_EQ(store.firstTime(), 9000);
    EXPECT_EQ(store.lowerBound(10500), 2);
    EXPECT_EQ(store.lowerBound(0), 0);
    EXPECT_EQ(store.lowerBound(99999), 5);
}

TEST(TimeSeriesStore, DayOfSecondsFitsInAFewMegabytes)
{
    // 24 h of 1 s samples for 30 series: the rings are allocated once, floats + one clock.
    TimeSeriesStore store(ChartHistory::kDefaultCapacity);
    for (int s = 0; s < 30; ++s)
        store.seriesIndex(QStringLiteral("s%1").arg(s));
    EXPECT_LT(store.memoryBytes(), 12u * 1024 * 1024);
    EXPECT_GT(store.memoryBytes(), 10u * 1024 * 1024);
}

TEST(Downsampling, MinMaxKeepsSpikesAndBoundsPointCount)
{
    TimeSeriesStore store(100000);
    const int s = store.seriesIndex(QStringLiteral("lag"));
    for (int i = 0; i < 86400; ++i) {
        double v = 100.0 + (i % 7);
        if (i == 40000)
            v = 1e9; // a one-second spike
        if (i == 60000)
            v = -5; // a dip
        store.append(qint64(i) * 1000, {{s, v}});
    }
    const QList<QPointF> pts = minMaxDownsample(store, s, 0, 86399000, 800);
    EXPECT_LE(pts.size(), 1600);
    EXPECT_GT(pts.size(), 800);
    double maxY = -1e18, minY = 1e18;
    for (int i = 0; i < pts.size(); ++i) {
        maxY = qMax(maxY, pts[i].y());
        minY = qMin(minY, pts[i].y());
        if (i > 0) {
            EXPECT_GT(pts[i].x(), pts[i - 1].x()); // time order
        }
    }
    EXPECT_DOUBLE_EQ(maxY, 1e9);
    EXPECT_DOUBLE_EQ(minY, -5);

    // Few samples in the window: all of them, untouched.
    const QList<QPointF> few = minMaxDownsample(store, s, 10000, 19000, 800);
    EXPECT_EQ(few.size(), 10);
    EXPECT_DOUBLE_EQ(few.first().x(), 10000);
}

TEST(Downsampling, SkipsGaps)
{
    TimeSeriesStore store(10);
    const int s = store.seriesIndex(QStringLiteral("x"));
    store.append(0, {{s, 1}});
    store.append(1000, {});
    store.append(2000, {{s, 3}});
    const QList<QPointF> pts = rawPoints(store, s, 0, 5000);
    ASSERT_EQ(pts.size(), 2);
    EXPECT_DOUBLE_EQ(pts[1].y(), 3);
}

TEST(Downsampling, LttbKeepsEndsPeaksAndCount)
{
    QList<QPointF> points;
    for (int i = 0; i < 10000; ++i)
        points.append(QPointF(i, i == 5000 ? 1000.0 : std::sin(i / 100.0)));
    const QList<QPointF> out = lttbDownsample(points, 500);
    ASSERT_EQ(out.size(), 500);
    EXPECT_EQ(out.first(), points.first());
    EXPECT_EQ(out.last(), points.last());
    bool peak = false;
    for (const QPointF &p : out)
        peak = peak || p.y() == 1000.0;
    EXPECT_TRUE(peak);
    EXPECT_EQ(lttbDownsample(points.mid(0, 100), 500).size(), 100);
}

TEST(ChartHistory, LagConnectionsAndRatesFromCounters)
{
    ChartHistory history;
    test::SandboxShape shape;
    auto s1 = test::healthySnapshot(shape);
    test::setLag(s1, QStringLiteral("node2"), 4096, 0.25);
    history.ingest(s1);

    shape.sequence = 2;
    shape.takenAt = shape.takenAt.addSecs(2);
    auto s2 = test::healthySnapshot(shape);
    history.ingest(s2);

    const auto lag = history.series(ChartHistory::Chart::LagBytes);
    ASSERT_EQ(lag.size(), 2);
    EXPECT_EQ(lag[0].label, QStringLiteral("node2"));
    EXPECT_FLOAT_EQ(history.store().valueAt(lag[0].index, 0), 4096.0f);

    const auto conns = history.series(ChartHistory::Chart::ConnectionsByState);
    ASSERT_EQ(conns.size(), 3);
    // "idle": 20 on the leader + 2 on each replica.
    for (const auto &c : conns)
        if (c.label == QStringLiteral("idle")) {
            EXPECT_FLOAT_EQ(history.store().valueAt(c.index, 1), 24.0f);
        }

    // Transactions: leader +25 and each replica +1 per sequence, over 2 s.
    const auto tx = history.series(ChartHistory::Chart::Transactions);
    ASSERT_EQ(tx.size(), 1);
    EXPECT_EQ(tx[0].label, QStringLiteral("hokm_game"));
    EXPECT_TRUE(
        std::isnan(history.store().valueAt(tx[0].index, 0))); // no rate without a previous sample
    EXPECT_FLOAT_EQ(history.store().valueAt(tx[0].index, 1), (25.0f + 1 + 1) / 2);
    const auto tuples = history.series(ChartHistory::Chart::Tuples);
    ASSERT_EQ(tuples.size(), 2);
    EXPECT_EQ(tuples[0].label, QStringLiteral("hokm_game inserted"));
    EXPECT_FLOAT_EQ(history.store().valueAt(tuples[0].index, 1), 5.0f);
    EXPECT_FLOAT_EQ(history.store().valueAt(tuples[1].index, 1), 15.0f);

    // Counters going down (a promoted replica, a stats reset) give no negative rate.
    shape.sequence = 3;
    shape.takenAt = shape.takenAt.addSecs(1);
    auto s3 = test::healthySnapshot(shape);
    for (auto &m : s3.members)
        for (auto &c : m.databaseCounters)
            c.xactCommit = 10;
    history.ingest(s3);
    const float rate = history.store().valueAt(tx[0].index, 2);
    EXPECT_TRUE(std::isnan(rate)) << rate;
    EXPECT_EQ(history.revision(), 3u);
}
