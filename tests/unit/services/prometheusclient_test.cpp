// The Prometheus client on answers recorded from the sandbox's real Prometheus 2.42
// (tests/fixtures/record_prometheus.sh): range answers, the series check, and the errors a DBA
// meets (a bad matcher, too many points, auth refused, Prometheus down). The fake server only
// replays those recorded bodies, to see what the client sends.
#include "services/metrics/prometheusclient.h"
#include "support/eventloop.h"
#include "support/patronifakeserver.h"
#include "support/refusingport.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <cmath>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::FakeHttpServer;
using vigil::test::waitUntil;

namespace {

// The recorded answer NAME-STATUS.json: its status and body.
std::pair<int, QByteArray> recorded(const QString &name)
{
    const QDir dir(QStringLiteral(VIGIL_FIXTURES_DIR "/prometheus"));
    const QStringList files = dir.entryList({name + QStringLiteral("-*.json")}, QDir::Files);
    if (files.size() != 1) {
        ADD_FAILURE() << "missing fixture " << name.toStdString();
        return {0, {}};
    }
    QFile f(dir.filePath(files.first()));
    if (!f.open(QIODevice::ReadOnly))
        return {0, {}};
    const QString status =
        files.first().section(QLatin1Char('-'), -1).section(QLatin1Char('.'), 0, 0);
    return {status.toInt(), f.readAll()};
}

Result<QList<PromSeries>> parsedFixture(const QString &name)
{
    const auto [status, body] = recorded(name);
    return parsePrometheusAnswer(status, body, QStringLiteral("GET /api/v1/query_range"),
                                 QStringLiteral("127.0.0.1:61850"));
}

} // namespace

TEST(PrometheusAnswer, LagRangeHasOneSeriesPerStandbyWithTimesInMilliseconds)
{
    const auto r = parsedFixture(QStringLiteral("query_range_lag_bytes"));
    ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
    ASSERT_EQ(r.value().size(), 2); // two standbys of the three-member sandbox
    QStringList standbys;
    for (const PromSeries &s : r.value()) {
        standbys << s.labels.value(QStringLiteral("application_name"));
        ASSERT_GE(s.points.size(), 2);
        // 5 s steps, in ms since the epoch, increasing.
        EXPECT_DOUBLE_EQ(s.points.at(1).x() - s.points.at(0).x(), 5000.0);
        EXPECT_GT(s.points.first().x(), 1.7e12);
        EXPECT_GE(s.points.first().y(), 0.0);
    }
    standbys.sort();
    EXPECT_TRUE(standbys.at(0).startsWith(QLatin1String("node")));
    EXPECT_NE(standbys.at(0), standbys.at(1));
}

TEST(PrometheusAnswer, TransactionRatesAreNamedByDatabaseWithoutTemplates)
{
    const auto r = parsedFixture(QStringLiteral("query_range_transactions"));
    ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
    QStringList databases;
    for (const PromSeries &s : r.value()) {
        databases << s.labels.value(QStringLiteral("datname"));
        for (const QPointF &p : s.points)
            EXPECT_TRUE(std::isfinite(p.y()) && p.y() >= 0);
    }
    EXPECT_TRUE(databases.contains(QStringLiteral("postgres")));
    EXPECT_FALSE(databases.contains(QStringLiteral("template1")));
    EXPECT_FALSE(databases.contains(QString()));
}

TEST(PrometheusAnswer, BadMatcherQuotesPrometheussOwnError)
{
    const auto r = parsedFixture(QStringLiteral("query_bad_matcher"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ServiceError::Kind::Query);
    EXPECT_EQ(r.error().code, QStringLiteral("400"));
    EXPECT_TRUE(r.error().message.startsWith(QLatin1String("bad_data: ")))
        << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QLatin1String("error parsing regexp")));
}

TEST(PrometheusAnswer, TooManyPointsIsQuoted)
{
    const auto r = parsedFixture(QStringLiteral("query_range_too_many_points"));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains(QLatin1String("11,000 points")));
}

TEST(PrometheusAnswer, RefusedCredentialsAreAnAuthError)
{
    const auto r = parsedFixture(QStringLiteral("query_auth_refused"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ServiceError::Kind::Auth);
    EXPECT_EQ(r.error().code, QStringLiteral("401"));
}

TEST(PrometheusAnswer, NonJsonSuccessIsAParseError)
{
    const auto r =
        parsePrometheusAnswer(200, "<html>not prometheus</html>", QStringLiteral("GET"), QString());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ServiceError::Kind::Parse);
}

TEST(PrometheusStep, NeverMorePointsThanPixels)
{
    for (const qint64 span : {300'000LL, 3'600'000LL, 86'400'000LL, 604'800'000LL, 2'592'000'000LL})
        for (const int pixels : {2, 100, 555, 1000, 1921}) {
            const int step = stepForPixels(span, pixels);
            const PromRangeQuery q{QString(), 0, span, step};
            EXPECT_LE(q.maxPoints(), pixels) << span << " ms over " << pixels << " px";
            EXPECT_GE(step, 1);
        }
    // And not needlessly coarse: a day on 1,000 px is 87 s per point.
    EXPECT_EQ(stepForPixels(86'400'000, 1000), 87);
}

TEST(PrometheusClient, SendsTheEncodedQueryAndBearerTokenAndParsesTheAnswer)
{
    FakeHttpServer server;
    server.answerWith(200, recorded(QStringLiteral("query_range_lag_bytes")).second);
    QNetworkAccessManager nam;
    PrometheusEndpoint e;
    e.baseUrl = server.url();
    e.matchers = QStringLiteral("scope=\"hokm-ha\"");
    e.secret = QStringLiteral("t0ken");
    QSignalSpy replies(&nam, &QNetworkAccessManager::finished); // what was sent, exactly
    PrometheusClient client(&nam, e);
    const QString expr =
        QStringLiteral("rate(%1[20s]) + 1").arg(client.selector(QStringLiteral("x")));
    std::optional<Result<QList<PromSeries>>> got;
    client.queryRange({expr, 1000, 61000, 5}, [&](const auto &r) { got = r; });
    ASSERT_TRUE(waitUntil([&] { return got.has_value(); }, 5000));
    ASSERT_TRUE(got->ok()) << got->error().toText().toStdString();
    EXPECT_EQ(replies.count(), 1);
    ASSERT_EQ(server.distinctRequests().size(), 1) << server.describe();
    const auto &req = server.requests().first();
    const QUrl sent(QString::fromLatin1(req.path));
    EXPECT_EQ(sent.path(), QStringLiteral("/api/v1/query_range"));
    // '+' reaches the server encoded (a bare '+' would read as a space).
    EXPECT_TRUE(req.path.contains("%2B")) << req.path.toStdString();
    EXPECT_EQ(QUrl::fromPercentEncoding(
                  sent.query(QUrl::FullyEncoded).section(QLatin1Char('&'), 0, 0).mid(6).toLatin1()),
              QStringLiteral("rate(x{scope=\"hokm-ha\"}[20s]) + 1"));
    EXPECT_TRUE(req.path.contains("step=5"));
    EXPECT_EQ(req.header("Authorization"), QByteArray("Bearer t0ken"));
}

TEST(PrometheusClient, SeriesCheckNamesTheMissingMemberSeries)
{
    FakeHttpServer server;
    server.answerWith(200, recorded(QStringLiteral("query_series_check")).second);
    QNetworkAccessManager nam;
    PrometheusEndpoint e;
    e.baseUrl = server.url();
    PrometheusClient client(&nam, e);
    std::optional<Result<QStringList>> got;
    client.checkSeries({QStringLiteral("node1"), QStringLiteral("node4")},
                       {QStringLiteral("pg_up"), QStringLiteral("no_such_metric")},
                       [&](const auto &r) { got = r; });
    ASSERT_TRUE(waitUntil([&] { return got.has_value(); }, 5000));
    ASSERT_TRUE(got->ok()) << got->error().toText().toStdString();
    EXPECT_EQ(got->value(), QStringList({QStringLiteral("node1: no_such_metric"),
                                         QStringLiteral("node4: no_such_metric"),
                                         QStringLiteral("node4: pg_up")}));
}

TEST(PrometheusClient, DownIsAConnectErrorNamingTheHost)
{
    const vigil::test::RefusingPort refusing; // held: no other test's server can take it
    ASSERT_TRUE(refusing.held());
    const quint16 port = refusing.port();
    QNetworkAccessManager nam;
    PrometheusEndpoint e;
    e.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    PrometheusClient client(&nam, e);
    std::optional<Result<QList<PromSeries>>> got;
    client.query(QStringLiteral("pg_up"), [&](const auto &r) { got = r; });
    ASSERT_TRUE(waitUntil([&] { return got.has_value(); }, 5000));
    ASSERT_FALSE(got->ok());
    EXPECT_EQ(got->error().kind, ServiceError::Kind::Connect);
    EXPECT_EQ(got->error().host, QStringLiteral("127.0.0.1:%1").arg(port));
}
