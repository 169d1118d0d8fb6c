// The capacity view's arithmetic: least-squares fit, the data volume's fill projection, the
// growth a day, and which mount point holds the data.
#include "models/capacitymath.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>
#include <limits>

using namespace vigil::models;

namespace {

constexpr qint64 kNow = 1'790'000'000'000; // 2026-09-21, an epoch-sized x as Prometheus gives
constexpr double kGiB = 1024.0 * 1024 * 1024;

// `days` days of a point every `stepHours` hours ending at kNow: value(daysBeforeNow).
template <typename F> QList<QPointF> series(double days, double stepHours, F value)
{
    QList<QPointF> out;
    const qint64 step = qint64(stepHours * 3600 * 1000);
    for (qint64 t = kNow - qint64(days * kMsPerDay); t <= kNow; t += step)
        out.append(QPointF(double(t), value(double(kNow - t) / kMsPerDay)));
    return out;
}

} // namespace

TEST(CapacityMath, FitRecoversSlopeAndValueOfAStraightLine)
{
    // 100 GiB free now, 2 GiB more for every day back: 2 GiB less a day.
    const auto points = series(30, 1, [](double ago) { return (100 + 2 * ago) * kGiB; });
    const auto fit = fitLine(points);
    ASSERT_TRUE(fit.has_value());
    EXPECT_NEAR(fit->slopePerDay / kGiB, -2.0, 1e-6);
    EXPECT_NEAR(fit->valueAt(kNow) / kGiB, 100.0, 1e-4);
    EXPECT_EQ(fit->points, points.size());
    EXPECT_EQ(fit->lastMs, kNow);
    EXPECT_DOUBLE_EQ(fit->lastValue, 100 * kGiB);
}

TEST(CapacityMath, GrowingUseFillsOnTheProjectedDay)
{
    const auto points = series(30, 1, [](double ago) { return (100 + 2 * ago) * kGiB; });
    const FillProjection p = projectFill(points, kNow);
    ASSERT_EQ(p.state, FillProjection::State::Filling);
    EXPECT_NEAR(p.daysLeft, 50.0, 1e-3);
    EXPECT_NEAR(double(p.fillsAtMs - kNow) / kMsPerDay, 50.0, 1e-3);
    EXPECT_NEAR(p.changePerDay / kGiB, -2.0, 1e-6);
    EXPECT_DOUBLE_EQ(p.freeBytes, 100 * kGiB);
    EXPECT_EQ(p.sinceMs, kNow - 30 * kMsPerDay);
    // Asked a day later (the data ends at kNow), one day less is left.
    EXPECT_NEAR(projectFill(points, kNow + kMsPerDay).daysLeft, 49.0, 1e-3);
}

TEST(CapacityMath, ProjectionStartsFromTheNewestPointNotTheFittedLine)
{
    // The same fall, but last night 50 GiB were freed: the new free space counts at once.
    auto points = series(30, 1, [](double ago) { return (100 + 2 * ago) * kGiB; });
    points.last().setY(150 * kGiB);
    const FillProjection p = projectFill(points, kNow);
    ASSERT_EQ(p.state, FillProjection::State::Filling);
    EXPECT_NEAR(p.daysLeft, 150 * kGiB / -p.changePerDay, 1e-6);
    EXPECT_GT(p.daysLeft, 70.0);
}

TEST(CapacityMath, FlatTrendIsNotFilling)
{
    // Constant, and constant with tiny noise whose slope would give a date centuries away.
    EXPECT_EQ(projectFill(series(30, 1, [](double) { return 80 * kGiB; }), kNow).state,
              FillProjection::State::NotFilling);
    int i = 0;
    const auto noisy = series(30, 1, [&](double) { return 80 * kGiB + ((i++ % 2) ? 4096 : 0); });
    const FillProjection p = projectFill(noisy, kNow);
    EXPECT_EQ(p.state, FillProjection::State::NotFilling) << p.daysLeft;
}

TEST(CapacityMath, ShrinkingUseIsNotFilling)
{
    const auto points = series(30, 1, [](double ago) { return (100 - 1 * ago) * kGiB; });
    const FillProjection p = projectFill(points, kNow);
    EXPECT_EQ(p.state, FillProjection::State::NotFilling);
    EXPECT_NEAR(p.changePerDay / kGiB, 1.0, 1e-6);
}

TEST(CapacityMath, TooFewPointsOrTooShortASpanGiveNoProjection)
{
    EXPECT_EQ(projectFill({}, kNow).state, FillProjection::State::TooFewPoints);
    const QList<QPointF> two = {{double(kNow - kMsPerDay), 2 * kGiB}, {double(kNow), kGiB}};
    EXPECT_EQ(projectFill(two, kNow).state, FillProjection::State::TooFewPoints);
    // Many points, but within ten minutes: a burst says nothing about next month.
    QList<QPointF> burst;
    for (int i = 0; i < 100; ++i)
        burst.append(QPointF(double(kNow - 600'000 + i * 6000), (100 - i) * kGiB));
    EXPECT_EQ(projectFill(burst, kNow).state, FillProjection::State::TooFewPoints);
    EXPECT_FALSE(growthPerDay(burst).has_value());
}

TEST(CapacityMath, NaNGapsAreSkippedNotCountedAsZero)
{
    auto points = series(30, 1, [](double ago) { return (100 + 2 * ago) * kGiB; });
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int i = 100; i < 300; ++i)
        points[i].setY(nan);
    points[5].setY(std::numeric_limits<double>::infinity());
    points.last().setY(nan); // the newest point missing: the newest finite one counts
    const FillProjection p = projectFill(points, kNow);
    ASSERT_EQ(p.state, FillProjection::State::Filling);
    EXPECT_NEAR(p.changePerDay / kGiB, -2.0, 1e-6);
    EXPECT_NEAR(p.daysLeft, 50.0, 0.1);
    // Only gaps: nothing to fit.
    QList<QPointF> gaps = series(30, 24, [&](double) { return nan; });
    EXPECT_EQ(projectFill(gaps, kNow).state, FillProjection::State::TooFewPoints);
}

TEST(CapacityMath, NoFreeSpaceLeftIsFull)
{
    const auto points = series(10, 1, [](double ago) { return ago * kGiB; });
    EXPECT_EQ(projectFill(points, kNow).state, FillProjection::State::Full);
}

TEST(CapacityMath, GrowthPerDayOfADatabase)
{
    // 40 GiB now, 0.5 GiB a day of growth.
    const auto size = series(30, 6, [](double ago) { return (40 - 0.5 * ago) * kGiB; });
    ASSERT_TRUE(growthPerDay(size).has_value());
    EXPECT_NEAR(*growthPerDay(size) / kGiB, 0.5, 1e-9);
    EXPECT_NEAR(*growthPerDay(series(7, 1, [](double) { return 3e9; })), 0.0, 1e-3);
    EXPECT_FALSE(growthPerDay({}).has_value());
}

TEST(CapacityMath, DataMountPointIsTheLongestHoldingTheDataDirectory)
{
    const QStringList mounts = {QStringLiteral("/"), QStringLiteral("/var"),
                                QStringLiteral("/var/lib/postgresql"), QStringLiteral("/boot"),
                                QStringLiteral("/data")};
    EXPECT_EQ(dataMountPoint(mounts, QStringLiteral("/data/pg15/main")), QStringLiteral("/data"));
    EXPECT_EQ(dataMountPoint(mounts, QStringLiteral("/database")), QStringLiteral("/"));
    // Unknown data directory: PostgreSQL's usual home.
    EXPECT_EQ(dataMountPoint(mounts), QStringLiteral("/var/lib/postgresql"));
    EXPECT_EQ(dataMountPoint({QStringLiteral("/"), QStringLiteral("/var")}),
              QStringLiteral("/var"));
    EXPECT_EQ(dataMountPoint({QStringLiteral("/"), QStringLiteral("/boot")}), QStringLiteral("/"));
    EXPECT_EQ(dataMountPoint({}), QString());
    EXPECT_EQ(dataMountPoint({QStringLiteral("/boot")}), QString());
}
