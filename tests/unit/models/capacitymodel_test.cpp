// The capacity model's queries (plan and PromQL with the profile's matchers) and its reading of
// answers from a fake Prometheus: projection and headline, and one sentence when it is down.
#include "models/capacitymodel.h"
#include "services/metrics/prometheusclient.h"
#include "support/eventloop.h"
#include "support/patronifakeserver.h"
#include "support/qtprinters.h"
#include "support/refusingport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <gtest/gtest.h>

using namespace vigil;
using models::CapacityModel;
using models::CapacityTrend;
using models::FillProjection;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

services::PrometheusSettings settingsFor(const QUrl &url)
{
    services::PrometheusSettings s;
    s.url = url;
    s.matchers = QStringLiteral("scope=\"hokm-ha\"");
    return s;
}

// A matrix answer: one series per label set, `days` days of hourly points up to now, free space
// falling 2 GiB a day to 100 GiB now.
QByteArray fallingMatrix(const QList<QJsonObject> &labelSets, int days)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonArray result;
    for (const QJsonObject &labels : labelSets) {
        QJsonArray values;
        for (qint64 t = now - days * 86400; t <= now; t += 3600) {
            const double ago = double(now - t) / 86400;
            values.append(QJsonArray{double(t), QString::number((100 + 2 * ago) * kGiB, 'f', 0)});
        }
        result.append(
            QJsonObject{{QStringLiteral("metric"), labels}, {QStringLiteral("values"), values}});
    }
    const QJsonObject data{{QStringLiteral("resultType"), QStringLiteral("matrix")},
                           {QStringLiteral("result"), result}};
    return QJsonDocument(QJsonObject{{QStringLiteral("status"), QStringLiteral("success")},
                                     {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject volume(const QString &instance, const QString &mount)
{
    return {{QStringLiteral("instance"), instance}, {QStringLiteral("mountpoint"), mount}};
}

} // namespace

TEST(CapacityModel, PlanGivesNoMorePointsThanPixelsOverTheWholeWindow)
{
    const qint64 now = 1'790'000'123'456;
    for (int window : {7 * 86400, 30 * 86400})
        for (int pixels : {200, 611, 1000, 2400}) {
            const CapacityModel::Plan p = CapacityModel::plan(now, window, pixels);
            const services::PromRangeQuery q{QString(), p.startMs, p.endMs, p.stepSeconds};
            EXPECT_LE(q.maxPoints(), pixels) << window << " " << pixels;
            // The window is covered but for less than a step at either end.
            EXPECT_LE(p.endMs, now);
            EXPECT_GT(p.endMs, now - p.stepSeconds * 1000LL);
            EXPECT_LT(p.endMs - p.startMs, window * 1000LL + 1);
            EXPECT_GT(p.endMs - p.startMs, window * 1000LL - p.stepSeconds * 1000LL);
            EXPECT_EQ(p.endMs % (p.stepSeconds * 1000LL), 0);
            EXPECT_EQ(p.startMs % (p.stepSeconds * 1000LL), 0);
        }
    // 30 days on 1,000 px: a point every 43 min 15 s, not needlessly coarse.
    EXPECT_EQ(CapacityModel::plan(now, 30 * 86400, 1000).stepSeconds, 2595);
}

TEST(CapacityModel, QueriesCarryTheProfilesMatchersAndTheStep)
{
    QNetworkAccessManager nam;
    services::PrometheusEndpoint e;
    e.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
    e.matchers = QStringLiteral("scope=\"hokm-ha\"");
    const services::PrometheusClient client(&nam, e);
    const CapacityModel::Plan plan = CapacityModel::plan(1'790'000'000'000, 30 * 86400, 1000);
    const QList<services::PromRangeQuery> queries = CapacityModel::rangeQueries(client, plan);
    ASSERT_EQ(queries.size(), 5);
    for (const services::PromRangeQuery &q : queries) {
        EXPECT_TRUE(q.expr.contains(QStringLiteral("scope=\"hokm-ha\""))) << q.expr.toStdString();
        EXPECT_EQ(q.stepSeconds, plan.stepSeconds);
        EXPECT_EQ(q.startMs, plan.startMs);
        EXPECT_EQ(q.endMs, plan.endMs);
    }
    EXPECT_EQ(queries.at(0).expr,
              QStringLiteral("sum (max by (datname) (pg_database_size_bytes{datname!~"
                             "\"template0|template1|\",scope=\"hokm-ha\"}))"));
    // The peak within each step, sampled every step/40 s (64 s at 2,595 s).
    EXPECT_EQ(queries.at(1).expr,
              QStringLiteral("max_over_time(sum by (member) (pg_stat_activity_count{scope="
                             "\"hokm-ha\"})[2595s:64s])"));
    EXPECT_TRUE(queries.at(2).expr.contains(QStringLiteral("pg_stat_database_xact_commit")));
    EXPECT_TRUE(queries.at(2).expr.contains(QStringLiteral("[5190s]")));
    EXPECT_EQ(queries.at(3).expr,
              QStringLiteral("sum (rate((patroni_xlog_location{scope=\"hokm-ha\"} > 0)"
                             "[5190s:64s]))"));
    EXPECT_TRUE(queries.at(4).expr.startsWith(
        QStringLiteral("max by (instance, mountpoint) (node_filesystem_avail_bytes{fstype!~")));
    // A week at 1,000 px: finer steps, subqueries at the 15 s floor.
    const auto week = CapacityModel::rangeQueries(
        client, CapacityModel::plan(1'790'000'000'000, 7 * 86400, 1000));
    EXPECT_TRUE(week.at(1).expr.endsWith(QStringLiteral("[606s:15s])")))
        << week.at(1).expr.toStdString();
}

TEST(CapacityModel, ReadsTheTrendsAndProjectsTheDataVolume)
{
    test::FakeHttpServer server;
    // The same answer for every trend: enough to see the lines and the projection.
    server.answerWith(200,
                      fallingMatrix({volume(QStringLiteral("db1:9100"), QStringLiteral("/")),
                                     volume(QStringLiteral("db1:9100"), QStringLiteral("/boot"))},
                                    10));
    QNetworkAccessManager nam;
    CapacityModel model(&nam, nullptr, QStringLiteral("p"), settingsFor(server.url()));
    QSignalSpy updated(&model, &CapacityModel::updated);
    // What the model asked for, counted where Qt hands it the answers: exact, whatever Qt's
    // own resending (distinctRequests) made the server see.
    QSignalSpy answered(&nam, &QNetworkAccessManager::finished);
    model.request(7 * 86400, 800);
    EXPECT_TRUE(model.busy());
    ASSERT_TRUE(test::waitUntil([&] { return updated.count() > 0; }, 10000));
    EXPECT_FALSE(model.busy());
    EXPECT_EQ(answered.count(), 5);
    EXPECT_EQ(server.distinctRequests().size(), 5) << server.describe();
    EXPECT_TRUE(model.problem().isEmpty()) << model.problem().toStdString();
    // Only the file system holding the data ("/" here, /boot is not it).
    ASSERT_EQ(model.lines(CapacityTrend::VolumeFree).size(), 1);
    EXPECT_EQ(model.lines(CapacityTrend::VolumeFree).first().label,
              QStringLiteral("/ on db1:9100"));
    EXPECT_EQ(model.volumeLabel(), QStringLiteral("/ on db1:9100"));
    const FillProjection p = model.projection();
    ASSERT_EQ(p.state, FillProjection::State::Filling);
    EXPECT_NEAR(p.daysLeft, 50.0, 1.0);
    EXPECT_TRUE(model.headline().contains(QStringLiteral("fills in about 50 day(s)")))
        << model.headline().toStdString();
    // The database size line (same falling answer): its growth is the slope.
    ASSERT_TRUE(model.databaseGrowthPerDay().has_value());
    EXPECT_NEAR(*model.databaseGrowthPerDay() / kGiB, -2.0, 0.01);
    // Over the days the history covers within the window asked for (the answer holds ten).
    EXPECT_TRUE(model.details().contains(QStringLiteral("2.0 GiB less each day over the last 7 "
                                                        "day(s)")))
        << model.details().toStdString();
}

TEST(CapacityModel, PrometheusDownIsOneSentenceAndKeepsNoStaleProjection)
{
    const vigil::test::RefusingPort refusing; // held: no other test's server can take it
    ASSERT_TRUE(refusing.held());
    const quint16 port = refusing.port();
    QNetworkAccessManager nam;
    CapacityModel model(&nam, nullptr, QStringLiteral("p"),
                        settingsFor(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port))));
    QSignalSpy problems(&model, &CapacityModel::problemChanged);
    model.request(30 * 86400, 800);
    ASSERT_TRUE(test::waitUntil([&] { return !model.busy(); }, 10000));
    ASSERT_EQ(problems.count(), 1);
    EXPECT_TRUE(model.problem().startsWith(
        QStringLiteral("The capacity trends could not be read from Prometheus at "
                       "http://127.0.0.1:%1")
            .arg(port)))
        << model.problem().toStdString();
    EXPECT_FALSE(model.hasData());
    EXPECT_EQ(model.projection().state, FillProjection::State::TooFewPoints);
    // Asked again, still down: no second message.
    model.request(30 * 86400, 800);
    ASSERT_TRUE(test::waitUntil([&] { return !model.busy(); }, 10000));
    EXPECT_EQ(problems.count(), 1);
}
