// Alertmanager's active alerts on answers recorded from the sandbox's real Alertmanager 0.25
// with alertmanager_test_rules.yml loaded (tests/fixtures/record_prometheus.sh alertmanager):
// the alerts and their fields, the error a bad matcher gets, auth refused, a broken answer;
// the profile's matchers sent as Alertmanager's filters (fake server replaying the recording).
#include "services/metrics/prometheusclient.h"
#include "support/eventloop.h"
#include "support/fixturefile.h"
#include "support/patronifakeserver.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QUrlQuery>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::fixtureFile;

namespace {

Result<QList<ExternalAlert>> parsed(int status, const QByteArray &body)
{
    return parseAlertmanagerAlerts(status, body, QStringLiteral("GET /api/v2/alerts"),
                                   QStringLiteral("127.0.0.1:63051"));
}

const ExternalAlert *named(const QList<ExternalAlert> &alerts, const QString &name)
{
    for (const ExternalAlert &a : alerts)
        if (a.name == name)
            return &a;
    return nullptr;
}

} // namespace

TEST(Alertmanager, RecordedAlertsCarryNameSeveritySummaryAndStart)
{
    const auto r =
        parsed(200, fixtureFile(QStringLiteral("prometheus/alertmanager_alerts-200.json")));
    ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
    ASSERT_EQ(r.value().size(), 2);
    const ExternalAlert *ours = named(r.value(), QStringLiteral("VigilTestHostWatched"));
    ASSERT_TRUE(ours);
    EXPECT_EQ(ours->severity, QStringLiteral("warning"));
    EXPECT_TRUE(ours->summary.startsWith(QStringLiteral("node_exporter 127.0.0.1:")))
        << ours->summary.toStdString();
    EXPECT_TRUE(ours->member.startsWith(QStringLiteral("127.0.0.1:"))); // no member: the instance
    EXPECT_EQ(ours->labels.value(QStringLiteral("scope")), QStringLiteral("hokm-ha"));
    EXPECT_TRUE(ours->startsAt.isValid());
    EXPECT_EQ(ours->startsAt.timeSpec(), Qt::UTC);
    EXPECT_FALSE(ours->fingerprint.isEmpty());
    EXPECT_TRUE(ours->generatorUrl.contains(QStringLiteral("graph?")));
    // No summary: the description stands in.
    const ExternalAlert *other = named(r.value(), QStringLiteral("VigilTestOtherCluster"));
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->summary.startsWith(QStringLiteral("An alert of another cluster")));
    EXPECT_EQ(other->severity, QStringLiteral("critical"));
}

TEST(Alertmanager, ItsRefusalsAndBrokenAnswersAreClearErrors)
{
    const auto bad =
        parsed(400, fixtureFile(QStringLiteral("prometheus/alertmanager_bad_filter-400.json")));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, ServiceError::Kind::Query);
    EXPECT_TRUE(bad.error().toText().contains(QStringLiteral("error parsing regexp")))
        << bad.error().toText().toStdString();
    EXPECT_FALSE(bad.error().toText().contains(QLatin1Char('"'))); // unquoted JSON string
    const auto auth = parsed(401, "Unauthorized");
    ASSERT_FALSE(auth.ok());
    EXPECT_EQ(auth.error().kind, ServiceError::Kind::Auth);
    const auto proxy = parsed(502, "<html>Bad Gateway</html>");
    ASSERT_FALSE(proxy.ok());
    EXPECT_EQ(proxy.error().kind, ServiceError::Kind::Http);
    EXPECT_TRUE(proxy.error().toText().contains(QStringLiteral("Bad Gateway")));
    const auto broken = parsed(200, "{\"status\":\"success\"}"); // Prometheus's, not Alertmanager's
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().kind, ServiceError::Kind::Parse);
    const auto nameless = parsed(200, "[{\"labels\":{\"severity\":\"warning\"}}]");
    EXPECT_FALSE(nameless.ok());
    const auto none = parsed(200, "[]");
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none.value().isEmpty());
}

TEST(Alertmanager, SplitMatchersKeepsCommasInsideQuotes)
{
    EXPECT_EQ(splitMatchers(QStringLiteral("scope=\"hokm-ha\"")),
              QStringList{QStringLiteral("scope=\"hokm-ha\"")});
    EXPECT_EQ(
        splitMatchers(QStringLiteral(" scope=~\"a,b\" , member!=\"x\\\",y\" ,")),
        (QStringList{QStringLiteral("scope=~\"a,b\""), QStringLiteral("member!=\"x\\\",y\"")}));
    EXPECT_TRUE(splitMatchers({}).isEmpty());
}

TEST(Alertmanager, TheProfilesMatchersAreSentAsFilters)
{
    vigil::test::FakeHttpServer server;
    server.answerWith(200, fixtureFile(QStringLiteral("prometheus/alertmanager_alerts-200.json")));
    QNetworkAccessManager nam;
    PrometheusEndpoint e;
    e.baseUrl = server.url();
    e.matchers = QStringLiteral("scope=\"hokm-ha\",team=~\"db,ops\"");
    e.user = QStringLiteral("vigil");
    e.secret = QStringLiteral("s3cret");
    QSignalSpy replies(&nam, &QNetworkAccessManager::finished); // what was sent, exactly
    PrometheusClient client(&nam, e);
    std::optional<Result<QList<ExternalAlert>>> got;
    client.alerts([&](const auto &r) { got = r; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 5000));
    ASSERT_TRUE(got->ok()) << got->error().toText().toStdString();
    EXPECT_EQ(replies.count(), 1);
    ASSERT_EQ(server.distinctRequests().size(), 1) << server.describe();
    const QUrl sent(QString::fromLatin1(server.requests().first().path));
    EXPECT_EQ(sent.path(), QStringLiteral("/api/v2/alerts"));
    const QUrlQuery q(sent);
    EXPECT_EQ(
        q.allQueryItemValues(QStringLiteral("filter"), QUrl::FullyDecoded),
        (QStringList{QStringLiteral("scope=\"hokm-ha\""), QStringLiteral("team=~\"db,ops\"")}));
    EXPECT_EQ(q.queryItemValue(QStringLiteral("silenced")), QStringLiteral("false"));
    EXPECT_TRUE(server.requests().first().header("Authorization").startsWith("Basic "));
}
