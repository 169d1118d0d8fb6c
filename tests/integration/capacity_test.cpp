// The capacity view on the sandbox's real Prometheus (sandbox.sh up --metrics, label "metrics"),
// after 'sandbox.sh prometheus-history 3' wrote days of backdated samples (tests/run.sh): the
// trends reach back over two days at no more points than the plots have pixels, and the volume
// gets a projection. Without a Prometheus the page says how to set one; with one that does not
// answer, one sentence names it. Writes build/artifacts/capacity.png and capacity-large.png.
#include "models/capacitymodel.h"
#include "support/eventloop.h"
#include "support/refusingport.h"
#include "support/sandbox.h"
#include "ui/capacity/capacityview.h"
#include "ui/charts/timeserieschart.h"

#include <QApplication>
#include <QDir>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <gtest/gtest.h>

using namespace vigil;
using models::CapacityModel;
using models::CapacityTrend;
using models::FillProjection;
using test::Sandbox;

namespace {

constexpr qint64 kDayMs = 86400 * 1000LL;

QString prometheusUrl()
{
    return qEnvironmentVariable("VIGIL_SANDBOX_PROMETHEUS_URL");
}

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

services::PrometheusSettings settingsFor(const QString &url)
{
    services::PrometheusSettings s;
    s.url = QUrl(url);
    s.matchers = QStringLiteral("scope=\"hokm-ha\"");
    return s;
}

// Waits until the view's model has read its window, and read it again for as long as drawing
// the answer changed the plots' width (wider axis labels narrow them): at most three rounds.
bool settled(ui::CapacityView &view, int timeoutMs)
{
    for (int round = 0; round < 3; ++round) {
        const int before = view.narrowestPlotWidth();
        test::spin(2 * ui::CapacityView::kRefetchDelayMs);
        if (!test::waitUntil([&] { return view.model()->hasData() && !view.model()->busy(); },
                             timeoutMs))
            return false;
        if (round > 0 && view.narrowestPlotWidth() == before)
            break;
    }
    return true;
}

} // namespace

TEST(Capacity, ThirtyDayTrendsFromPrometheusWithAProjection)
{
    VIGIL_REQUIRE_SANDBOX();
    if (prometheusUrl().isEmpty()) {
        if (qEnvironmentVariableIntValue("VIGIL_REQUIRE_SANDBOX") == 1)
            FAIL() << "no VIGIL_SANDBOX_PROMETHEUS_URL: run 'sandbox.sh up --metrics'";
        GTEST_SKIP() << "the sandbox has no metrics stack (sandbox.sh up --metrics)";
    }
    QNetworkAccessManager nam;
    CapacityModel model(&nam, nullptr, QStringLiteral("capacity"), settingsFor(prometheusUrl()));
    ui::CapacityView view;
    view.resize(1100, 780); // about the main window's central area beside the cluster dock
    view.setModel(&model);
    EXPECT_FALSE(view.showsNoPrometheusMessage());
    view.show();
    ASSERT_TRUE(settled(view, 15000)) << model.problem().toStdString();
    EXPECT_TRUE(model.problem().isEmpty()) << model.problem().toStdString();
    EXPECT_TRUE(view.problemText().isEmpty());

    const int pixels = view.narrowestPlotWidth();
    EXPECT_GT(pixels, 200);
    EXPECT_LE(model.maxPointsPerSeries(), pixels);
    const QList<CapacityTrend> trends = {
        CapacityTrend::DatabaseSize, CapacityTrend::ConnectionsPeak, CapacityTrend::Transactions,
        CapacityTrend::WalRate, CapacityTrend::VolumeFree};
    for (CapacityTrend trend : trends) {
        const QString name = CapacityModel::trendName(trend);
        const QList<CapacityModel::Line> lines = model.lines(trend);
        ASSERT_FALSE(lines.isEmpty()) << name.toStdString();
        qint64 oldest = std::numeric_limits<qint64>::max(), newest = 0;
        for (const CapacityModel::Line &l : lines) {
            ASSERT_FALSE(l.points.isEmpty()) << name.toStdString();
            EXPECT_LE(l.points.size(), pixels) << name.toStdString();
            oldest = qMin(oldest, qint64(l.points.first().x()));
            newest = qMax(newest, qint64(l.points.last().x()));
        }
        // tests/run.sh writes three days (prometheus-history 3: promtool's time grows with the
        // days, and CI's is counted): every trend reaches back over two of them.
        EXPECT_GT(newest - oldest, 2 * kDayMs) << name.toStdString();
    }
    // What the charts were given is what the model read.
    for (ui::TimeSeriesChart *chart : view.charts())
        for (const QString &label : chart->labels())
            EXPECT_LE(chart->pointCount(label), chart->plotWidth()) << label.toStdString();
    // A member per connections line (node1..3), the leader's WAL moving.
    EXPECT_EQ(model.lines(CapacityTrend::ConnectionsPeak).size(), 3);
    double walMax = 0;
    // Held: a range-for over a member of the temporary list would read freed memory (ASan).
    const QList<CapacityModel::Line> wal = model.lines(CapacityTrend::WalRate);
    ASSERT_FALSE(wal.isEmpty());
    for (const QPointF &p : wal.first().points)
        walMax = qMax(walMax, p.y());
    EXPECT_GT(walMax, 0);

    // The history drains the volume (prometheus_history.py): a date to plan for.
    const FillProjection p = model.projection();
    ASSERT_EQ(p.state, FillProjection::State::Filling) << view.headlineText().toStdString();
    EXPECT_GT(p.daysLeft, 1);
    EXPECT_LT(p.changePerDay, 0);
    EXPECT_TRUE(view.headlineText().contains(QLatin1String("fills in about")))
        << view.headlineText().toStdString();
    ASSERT_TRUE(model.databaseGrowthPerDay().has_value());
    EXPECT_GT(*model.databaseGrowthPerDay(), 0);
    EXPECT_TRUE(view.grab().save(artifact(QStringLiteral("capacity.png")), "PNG"));

    // War-room fonts: larger, still one page, still the same headline.
    const QFont base = QApplication::font();
    QFont large = base;
    large.setPointSizeF(base.pointSizeF() * 1.6);
    QApplication::setFont(large);
    view.setLargeFonts(true);
    view.resize(1100, 780);
    test::spin(300);
    EXPECT_TRUE(view.grab().save(artifact(QStringLiteral("capacity-large.png")), "PNG"));
    QApplication::setFont(base);
    view.setLargeFonts(false);
}

TEST(Capacity, WithoutPrometheusThePageSaysHowToSetOneAndADeadOneIsNamed)
{
    ui::CapacityView view;
    view.resize(900, 600);
    view.show();
    EXPECT_TRUE(view.showsNoPrometheusMessage());
    EXPECT_TRUE(view.grab().save(artifact(QStringLiteral("capacity-no-prometheus.png")), "PNG"));

    const vigil::test::RefusingPort refusing; // held: no other test's server can take it
    ASSERT_TRUE(refusing.held());
    const quint16 port = refusing.port();
    QNetworkAccessManager nam;
    CapacityModel dead(&nam, nullptr, QStringLiteral("dead"),
                       settingsFor(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    view.setModel(&dead);
    EXPECT_FALSE(view.showsNoPrometheusMessage());
    ASSERT_TRUE(test::waitUntil([&] { return !view.problemText().isEmpty(); }, 10000));
    EXPECT_TRUE(view.problemText().contains(QStringLiteral("127.0.0.1:%1").arg(port)))
        << view.problemText().toStdString();
    EXPECT_TRUE(view.isEnabled());
    EXPECT_TRUE(view.grab().save(artifact(QStringLiteral("capacity-prometheus-down.png")), "PNG"));
}
