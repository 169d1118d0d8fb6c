// Custom metrics on the real sandbox with its game workload running: the ops manual's three
// gaming metrics run through ClusterMonitor (the game sessions on a replica, the rest on the
// leader), are charted (ChartHistory, ChartsPanel: build/artifacts/custom-metrics.png), and a
// query that writes, smuggles a second statement, answers text or needs an extension the
// database lacks ends in a sentence, never a write. Kept under ~20 s.
#include "models/clusterwatch.h"
#include "services/metrics/custommetricrunner.h"
#include "services/monitor/clustermonitor.h"
#include "support/eventloop.h"
#include "support/sandbox.h"
#include "support/sandboxprofile.h"
#include "support/workloadguard.h"
#include "ui/charts/chartspanel.h"
#include "ui/shell/custommetricsbox.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::services;
using vigil::test::Sandbox;
using vigil::test::waitUntil;
using vigil::test::WorkloadGuard;

namespace {

CustomMetric probe(const QString &name, const QString &sql, const QString &database)
{
    CustomMetric m;
    m.name = name;
    m.sql = sql;
    m.database = database;
    m.intervalMs = 60000; // the first run comes with the first snapshot; one is enough here
    return m;
}

QString psqlLeader(const QString &sql)
{
    QString out;
    Sandbox::run({QStringLiteral("psql"), QStringLiteral("leader"), QStringLiteral("-d"),
                  QStringLiteral("hokm_game"), QStringLiteral("-tAc"), sql},
                 &out, 30000);
    return out.trimmed();
}

const CustomMetricReading *named(const QList<CustomMetricReading> &readings, const QString &name)
{
    for (const CustomMetricReading &r : readings)
        if (r.name == name)
            return &r;
    return nullptr;
}

QString artifact(const QString &name)
{
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name;
}

} // namespace

TEST(CustomMetricsSandbox, ChartTheWorkloadsGamesAndNeverWrite)
{
    VIGIL_REQUIRE_SANDBOX();
    WorkloadGuard workload;
    ASSERT_TRUE(workload.started);

    QNetworkAccessManager nam;
    const ClusterProfile profile = test::sandboxProfile(QStringLiteral("custom-metrics"));
    ClusterMonitor monitor(&nam, profile);
    const QList<CustomMetric> gaming = manualGamingMetrics();
    monitor.setCustomMetrics(gaming);
    models::ClusterWatch watch(profile.name, profile.stateIntervalMs);
    QObject::connect(&monitor, &ClusterMonitor::snapshotReady, &watch,
                     &models::ClusterWatch::ingest);

    // What must not work, on a runner of its own fed by the same snapshots.
    const QString game = QStringLiteral("hokm_game");
    const QString marker =
        QStringLiteral("vigil-it-custom-%1").arg(QDateTime::currentSecsSinceEpoch());
    CustomMetricRunner refused(
        profile, {},
        {probe(QStringLiteral("write"),
               QStringLiteral("INSERT INTO game_moves (game_id, player_id, move) "
                              "VALUES (1, 1, '%1') RETURNING 1")
                   .arg(marker),
               game),
         probe(QStringLiteral("two statements"),
               QStringLiteral("SELECT 1; INSERT INTO game_moves (game_id, player_id, move) "
                              "VALUES (1, 1, '%1')")
                   .arg(marker),
               game),
         probe(QStringLiteral("text"), QStringLiteral("SELECT 'many'::text"), game),
         probe(QStringLiteral("no extension"),
               QStringLiteral("SELECT count(*) FROM pg_stat_statements"),
               QStringLiteral("template1"))});
    QObject::connect(&monitor, &ClusterMonitor::snapshotReady, &refused,
                     [&refused](const ClusterSnapshotPtr &s) { refused.applySnapshot(*s); });

    monitor.start();
    const auto allRan = [](const QList<CustomMetricReading> &readings) {
        return std::all_of(readings.begin(), readings.end(),
                           [](const CustomMetricReading &r) { return r.hasRun(); });
    };
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto s = watch.lastSnapshot();
            return s && s->customMetrics.size() == 3 && allRan(s->customMetrics) &&
                   allRan(refused.readings());
        },
        15000))
        << "the custom metrics did not all run within 15 s";

    // 1. The manual's three answered, where they were meant to run.
    const auto snapshot = watch.lastSnapshot();
    const QString leader = snapshot->leader() ? snapshot->leader()->name : QString();
    const CustomMetricReading *games = named(snapshot->customMetrics, gaming.at(0).name);
    ASSERT_TRUE(games);
    ASSERT_TRUE(games->ok()) << games->error.toStdString();
    ASSERT_EQ(games->values.size(), 1);
    EXPECT_GT(games->values.first().value, 0) << "no active game moved in the last 5 minutes";
    EXPECT_FALSE(games->member.isEmpty());
    EXPECT_NE(games->member, leader) << "the game sessions run on a replica";
    const CustomMetricReading *players = named(snapshot->customMetrics, gaming.at(1).name);
    ASSERT_TRUE(players && players->ok()) << (players ? players->error.toStdString() : "");
    EXPECT_EQ(players->member, leader);
    const auto server = std::find_if(
        players->values.begin(), players->values.end(),
        [](const CustomMetricValue &v) { return v.label == QLatin1String("hokm-game-server"); });
    ASSERT_NE(server, players->values.end()) << "no hokm-game-server connection on the leader";
    EXPECT_GT(server->value, 0);
    const CustomMetricReading *slow = named(snapshot->customMetrics, gaming.at(2).name);
    ASSERT_TRUE(slow && slow->ok()) << (slow ? slow->error.toStdString() : "");

    // 2. Charted like the built-in series: one chart per metric, the games line non-zero.
    ASSERT_TRUE(waitUntil([&] { return watch.history()->store().size() >= 3; }, 5000));
    const auto charts = watch.history()->customCharts();
    ASSERT_EQ(charts.size(), 3);
    EXPECT_EQ(charts.at(0).name, gaming.at(0).name);
    const auto lines = watch.history()->customSeries(gaming.at(0).name);
    ASSERT_EQ(lines.size(), 1);
    const auto &store = watch.history()->store();
    EXPECT_GT(store.valueAt(lines.first().index, store.size() - 1), 0.0f);
    EXPECT_FALSE(watch.history()->customSeries(gaming.at(1).name).isEmpty());

    // 3. Refused, each with its sentence; nothing was written.
    const auto r = refused.readings();
    EXPECT_TRUE(r.at(0).error.contains(QStringLiteral("read-only transaction")))
        << r.at(0).error.toStdString();
    EXPECT_TRUE(r.at(1).error.contains(QStringLiteral("multiple commands")))
        << r.at(1).error.toStdString();
    EXPECT_TRUE(r.at(2).error.contains(QStringLiteral("not a number")))
        << r.at(2).error.toStdString();
    EXPECT_TRUE(r.at(3).error.contains(
        QStringLiteral("pg_stat_statements is not installed in database template1")))
        << r.at(3).error.toStdString();
    EXPECT_EQ(
        psqlLeader(QStringLiteral("SELECT count(*) FROM game_moves WHERE move = '%1'").arg(marker)),
        QStringLiteral("0"));

    // 4. The charts panel, as the window shows it (VIGIL_CUSTOM_METRICS_SCREENSHOT_SECONDS
    //    lets the lines grow longer first, for a picture by hand; CI takes it at once).
    const int extra = qEnvironmentVariableIntValue("VIGIL_CUSTOM_METRICS_SCREENSHOT_SECONDS");
    if (extra > 0)
        test::spin(extra * 1000);
    ui::ChartsPanel panel;
    panel.setHistory(watch.history());
    panel.resize(1400, 1250);
    panel.show();
    test::spin(300);
    panel.renderFrame();
    test::spin(300); // the legends are laid out on the next event loop turns
    const auto customCharts =
        panel.findChildren<ui::TimeSeriesChart *>(QStringLiteral("customChart"));
    ASSERT_EQ(customCharts.size(), 3);
    EXPECT_EQ(customCharts.at(0)->title(), QStringLiteral("Active game sessions (games)"));
    EXPECT_TRUE(customCharts.at(0)->labels().contains(gaming.at(0).name));
    EXPECT_TRUE(panel.exportPng(artifact(QStringLiteral("custom-metrics.png"))));
    monitor.stop();
}

// The profile dialog's editor (no sandbox needed): the manual's metrics by one button, once; a row
// that cannot be saved is named; what is typed round-trips. Saves custom-metrics-editor.png.
TEST(CustomMetricsBox, AddsTheManualsMetricsOnceAndSaysWhatIsWrong)
{
    ui::CustomMetricsBox box;
    box.resize(760, 330);
    box.show();
    auto *gaming = box.findChild<QPushButton *>(QStringLiteral("addGamingMetrics"));
    ASSERT_TRUE(gaming);
    gaming->click();
    gaming->click();
    EXPECT_EQ(box.metrics(), manualGamingMetrics());
    EXPECT_TRUE(box.validationError().isEmpty()) << box.validationError().toStdString();
    auto *table = box.findChild<QTableWidget *>(QStringLiteral("customMetricsTable"));
    ASSERT_TRUE(table);
    table->selectRow(0);
    test::spin(50);
    EXPECT_TRUE(box.findChild<QPlainTextEdit *>(QStringLiteral("customMetricSql"))
                    ->toPlainText()
                    .contains(QStringLiteral("game_sessions")));
    EXPECT_TRUE(box.grab().save(artifact(QStringLiteral("custom-metrics-editor.png"))));

    table->item(2, 3)->setText(QStringLiteral("soon")); // the interval
    EXPECT_TRUE(box.validationError().contains(QStringLiteral("Slow game statements")))
        << box.validationError().toStdString();
    table->item(2, 3)->setText(QStringLiteral("30"));
    table->item(2, 6)->setText(QStringLiteral("2")); // critical below the warning's 5
    EXPECT_TRUE(box.validationError().contains(QStringLiteral("below its warning level")));
    table->item(2, 6)->setText(QStringLiteral("12.5"));
    QList<CustomMetric> expected = manualGamingMetrics();
    expected[2].critical = 12.5;
    EXPECT_EQ(box.metrics(), expected);
    box.setMetrics({});
    EXPECT_TRUE(box.metrics().isEmpty());
}
