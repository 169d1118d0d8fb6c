// PatroniClient against an in-process HTTP server that answers like Patroni's http.server:
// what goes on the wire (methods, paths, JSON bodies, the Authorization header only on unsafe
// methods), how every answer recorded from the real Patroni 3.0.2 (tests/fixtures/patroni/
// answers) becomes a result or a clear error, timeouts, refused connections and TLS files.
#include "services/patroni/patroniclient.h"
#include "support/eventloop.h"
#include "support/patronifakeserver.h"
#include "support/qtprinters.h"
#include "support/refusingport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTimer>
#include <gtest/gtest.h>
#include <memory>

using namespace vigil::services;
using vigil::test::FakeHttpServer;
using vigil::test::waitUntil;
using Kind = ServiceError::Kind;

namespace {

const QString kUser = QStringLiteral("patroni");
const QString kPassword = QStringLiteral("Pa55-not-in-logs");

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/") + name);
    if (!f.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "missing fixture " << name.toStdString();
        return {};
    }
    return f.readAll();
}

struct Fixture
{
    FakeHttpServer server;
    QNetworkAccessManager nam;
    // The replies Qt handed over: what the client sent, exactly (the server may see a request
    // twice, FakeHttpServer::distinctRequests).
    QSignalSpy replies{&nam, &QNetworkAccessManager::finished};
    std::unique_ptr<PatroniClient> client;

    explicit Fixture(bool withUser = true)
    {
        PatroniEndpoint ep;
        ep.baseUrl = server.url();
        if (withUser) {
            ep.user = kUser;
            ep.password = kPassword;
        }
        client = std::make_unique<PatroniClient>(&nam, ep);
    }
};

// Runs one call and waits for its callback; fails the test if it never comes.
template <typename T, typename Call> Result<T> await(Call call, int waitMs = 5000)
{
    std::optional<Result<T>> got;
    int calls = 0;
    call([&](const Result<T> &r) {
        got = r;
        ++calls;
    });
    EXPECT_FALSE(got.has_value()) << "the callback must not run inside the call";
    EXPECT_TRUE(waitUntil([&] { return got.has_value(); }, waitMs)) << "no callback";
    vigil::test::spin(50); // a second callback would show up here
    EXPECT_EQ(calls, 1) << "the callback must run exactly once";
    if (!got)
        return ServiceError::make(Kind::Cancelled, QStringLiteral("test"), {}, {}, {});
    return *got;
}

QJsonObject jsonBody(const FakeHttpServer::Request &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

TEST(PatroniClientUnit, ReadsAreParsedAndNeverCarryCredentials)
{
    Fixture f;
    f.server.answerWith(200, fixture(QStringLiteral("cluster.json")), "OK");
    const auto c = await<PatroniCluster>([&](auto cb) { f.client->getCluster(cb); });
    ASSERT_TRUE(c.ok()) << c.error().toText().toStdString();
    EXPECT_EQ(c.value().leader()->name, QStringLiteral("node1"));

    f.server.answerWith(200, fixture(QStringLiteral("patroni-replica.json")), "OK");
    const auto p = await<PatroniNodeStatus>([&](auto cb) { f.client->getPatroni(cb); });
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.value().role, PatroniRole::Replica);

    f.server.answerWith(200, fixture(QStringLiteral("history-after-failover.json")), "OK");
    const auto h = await<QList<PatroniHistoryEntry>>([&](auto cb) { f.client->getHistory(cb); });
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h.value().size(), 1);

    f.server.answerWith(200, fixture(QStringLiteral("config.json")), "OK");
    const auto cfg = await<PatroniConfig>([&](auto cb) { f.client->getConfig(cb); });
    ASSERT_TRUE(cfg.ok());
    EXPECT_EQ(cfg.value().ttl, 10);

    EXPECT_EQ(f.replies.count(), 4);
    const auto reqs = f.server.distinctRequests();
    ASSERT_EQ(reqs.size(), 4) << f.server.describe();
    const QList<QByteArray> paths{"/cluster", "/patroni", "/history", "/config"};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(reqs[i].method, QByteArray("GET"));
        EXPECT_EQ(reqs[i].path, paths[i]);
        EXPECT_FALSE(reqs[i].hasHeader("Authorization")) << "GETs never carry the credentials";
    }
}

TEST(PatroniClientUnit, HealthEndpointsReturnTheStatusCode)
{
    Fixture f;
    f.server.answerWith(503, fixture(QStringLiteral("primary-replica-503.json")),
                        "Service Unavailable");
    const auto primary = await<int>([&](auto cb) { f.client->getPrimary(cb); });
    ASSERT_TRUE(primary.ok()) << "503 is an answer, not an error";
    EXPECT_EQ(primary.value(), 503);
    f.server.answerWith(200, fixture(QStringLiteral("replica-replica-200.json")), "OK");
    const auto replica = await<int>([&](auto cb) { f.client->getReplica(cb); });
    EXPECT_EQ(replica.value(), 200);
    const auto health = await<int>([&](auto cb) { f.client->getHealth(cb); });
    EXPECT_EQ(health.value(), 200);
    EXPECT_EQ(f.replies.count(), 3);
    const auto sent = f.server.distinctRequests();
    ASSERT_EQ(sent.size(), 3) << f.server.describe();
    EXPECT_EQ(sent[0].path, QByteArray("/primary"));
    EXPECT_EQ(sent[1].path, QByteArray("/replica"));
    EXPECT_EQ(sent[2].path, QByteArray("/health"));
}

TEST(PatroniClientUnit, ReadErrorsNameEndpointHostAndStatus)
{
    Fixture f;
    f.server.answerWith(200, "{\"members\": [{\"name\": \"node1\", \"port\": \"x\"}]}", "OK");
    const auto parse = await<PatroniCluster>([&](auto cb) { f.client->getCluster(cb); });
    ASSERT_FALSE(parse.ok());
    EXPECT_EQ(parse.error().kind, Kind::Parse);
    EXPECT_EQ(parse.error().what, QStringLiteral("GET /cluster"));
    EXPECT_EQ(parse.error().host, QStringLiteral("127.0.0.1:%1").arg(f.server.port()));
    EXPECT_TRUE(parse.error().message.contains(QStringLiteral("members[0].port")));

    f.server.answerWith(
        502, fixture(QStringLiteral("answers/patch-config-not-json-400.txt")).replace("400", "502"),
        "Bad Gateway");
    const auto http = await<PatroniConfig>([&](auto cb) { f.client->getConfig(cb); });
    ASSERT_FALSE(http.ok());
    EXPECT_EQ(http.error().kind, Kind::Http);
    EXPECT_EQ(http.error().code, QStringLiteral("502"));
    EXPECT_FALSE(http.error().message.contains(QStringLiteral("<html")))
        << "Python's HTML error page is reduced to its message: "
        << http.error().message.toStdString();
}

TEST(PatroniClientUnit, ActionsSendTheRightRequests)
{
    Fixture f;
    f.server.answerWith(202, "Switchover scheduled", "Accepted");
    const QDateTime at(QDate(2031, 5, 6), QTime(7, 8, 9), Qt::OffsetFromUTC, 2 * 3600);
    const auto sw = await<PatroniActionResult>([&](auto cb) {
        f.client->switchover(QStringLiteral("node1"), QStringLiteral("node2"), at, cb);
    });
    ASSERT_TRUE(sw.ok()) << sw.error().toText().toStdString();
    EXPECT_TRUE(sw.value().accepted());
    EXPECT_EQ(sw.value().httpStatus, 202);
    EXPECT_EQ(sw.value().body, QStringLiteral("Switchover scheduled"));

    f.server.answerWith(200, "Successfully switched over to \"node2\"", "OK");
    (void)await<PatroniActionResult>([&](auto cb) {
        f.client->switchover(QStringLiteral("node1"), QString(), QDateTime(), cb);
    });
    (void)await<PatroniActionResult>([&](auto cb) { f.client->cancelScheduledSwitchover(cb); });
    (void)await<PatroniActionResult>(
        [&](auto cb) { f.client->failover(QStringLiteral("node3"), cb); });
    QJsonObject opts{{QStringLiteral("schedule"), QStringLiteral("2031-05-06T07:08:09+00:00")},
                     {QStringLiteral("restart_pending"), true},
                     {QStringLiteral("role"), QStringLiteral("replica")},
                     {QStringLiteral("postgres_version"), QStringLiteral("15.18")},
                     {QStringLiteral("timeout"), 30}};
    (void)await<PatroniActionResult>([&](auto cb) { f.client->restart(opts, cb); });
    (void)await<PatroniActionResult>([&](auto cb) { f.client->cancelScheduledRestart(cb); });
    (void)await<PatroniActionResult>([&](auto cb) { f.client->reload(cb); });
    (void)await<PatroniActionResult>([&](auto cb) { f.client->reinitialize(true, cb); });
    const QJsonObject patch{{QStringLiteral("loop_wait"), 3}};
    (void)await<PatroniActionResult>([&](auto cb) { f.client->patchConfig(patch, cb); });

    const auto r = f.server.distinctRequests();
    EXPECT_EQ(f.replies.count(), 9);
    ASSERT_EQ(r.size(), 9) << f.server.describe();
    const QList<QPair<QByteArray, QByteArray>> expected{
        {"POST", "/switchover"}, {"POST", "/switchover"},   {"DELETE", "/switchover"},
        {"POST", "/failover"},   {"POST", "/restart"},      {"DELETE", "/restart"},
        {"POST", "/reload"},     {"POST", "/reinitialize"}, {"PATCH", "/config"}};
    const QByteArray auth = "Basic " + (kUser + QLatin1Char(':') + kPassword).toUtf8().toBase64();
    for (int i = 0; i < r.size(); ++i) {
        EXPECT_EQ(r[i].method, expected[i].first) << i;
        EXPECT_EQ(r[i].path, expected[i].second) << i;
        EXPECT_EQ(r[i].header("Authorization"), auth) << "unsafe method " << i;
        if (!r[i].body.isEmpty()) {
            EXPECT_EQ(r[i].header("Content-Type"), QByteArray("application/json")) << i;
        }
    }
    // Scheduled switchover: leader, candidate, and the time with an explicit offset.
    const QJsonObject s = jsonBody(r[0]);
    EXPECT_EQ(s.value(QStringLiteral("leader")).toString(), QStringLiteral("node1"));
    EXPECT_EQ(s.value(QStringLiteral("candidate")).toString(), QStringLiteral("node2"));
    const QString when = s.value(QStringLiteral("scheduled_at")).toString();
    EXPECT_EQ(when, QStringLiteral("2031-05-06T05:08:09.000+00:00"));
    EXPECT_EQ(parsePatroniTimestamp(when).value(), at.toUTC());
    // Immediate switchover without candidate: no candidate, no scheduled_at.
    EXPECT_EQ(jsonBody(r[1]), QJsonObject({{QStringLiteral("leader"), QStringLiteral("node1")}}));
    EXPECT_TRUE(r[2].body.isEmpty());
    EXPECT_EQ(jsonBody(r[3]),
              QJsonObject({{QStringLiteral("candidate"), QStringLiteral("node3")}}));
    EXPECT_EQ(jsonBody(r[4]), opts);
    EXPECT_EQ(jsonBody(r[7]), QJsonObject({{QStringLiteral("force"), true}}));
    EXPECT_EQ(jsonBody(r[8]), patch);
}

TEST(PatroniClientUnit, NoUserMeansNoAuthorizationHeader)
{
    Fixture f(false);
    f.server.answerWith(401, fixture(QStringLiteral("answers/switchover-no-credentials-401.txt")),
                        "Unauthorized");
    const auto r = await<PatroniActionResult>([&](auto cb) { f.client->reload(cb); });
    ASSERT_FALSE(r.ok());
    EXPECT_FALSE(f.server.requests()[0].hasHeader("Authorization"));
    EXPECT_EQ(r.error().kind, Kind::Auth);
    EXPECT_EQ(r.error().code, QStringLiteral("401"));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("“no auth header received”")));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("user or password is wrong or missing")));
}

// Every answer recorded from the real Patroni: 2xx becomes a PatroniActionResult with the body
// verbatim, anything else an error whose code is the status and whose message quotes Patroni.
TEST(PatroniClientUnit, RecordedAnswersBecomeResultsOrClearErrors)
{
    const QStringList files = QDir(QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/answers"))
                                  .entryList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name);
    ASSERT_GE(files.size(), 20);
    Fixture f;
    for (const QString &file : files) {
        const int status =
            file.section(QLatin1Char('-'), -1).section(QLatin1Char('.'), 0, 0).toInt();
        ASSERT_GE(status, 200) << file.toStdString();
        const QByteArray body = fixture(QStringLiteral("answers/") + file);
        f.server.answerWith(status, body);
        const auto r = await<PatroniActionResult>([&](auto cb) { f.client->reload(cb); });
        SCOPED_TRACE(file.toStdString());
        if (status / 100 == 2) {
            ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
            EXPECT_EQ(r.value().httpStatus, status);
            EXPECT_EQ(r.value().body, QString::fromUtf8(body)) << "verbatim";
            EXPECT_TRUE(r.value().accepted());
            continue;
        }
        ASSERT_FALSE(r.ok());
        const ServiceError &e = r.error();
        EXPECT_EQ(e.code, QString::number(status));
        EXPECT_EQ(e.what, QStringLiteral("POST /reload"));
        EXPECT_EQ(e.host, QStringLiteral("127.0.0.1:%1").arg(f.server.port()));
        const QString text = QString::fromUtf8(body).trimmed();
        if (text.startsWith(QLatin1String("<!DOCTYPE")))
            EXPECT_TRUE(
                e.message.contains(QStringLiteral("“Bad Request. (400 - Bad request syntax")))
                << e.message.toStdString();
        else
            EXPECT_TRUE(e.message.contains(QStringLiteral("“%1”").arg(text)))
                << e.message.toStdString();
        switch (status) {
        case 401:
            EXPECT_EQ(e.kind, Kind::Auth);
            break;
        case 409:
        case 412:
            EXPECT_EQ(e.kind, Kind::Refused);
            break;
        case 400:
        case 422:
            EXPECT_EQ(e.kind, Kind::Http);
            EXPECT_TRUE(e.message.startsWith(QStringLiteral("The request was not accepted")));
            break;
        case 404:
            EXPECT_EQ(e.kind, Kind::Http);
            break;
        default:
            ADD_FAILURE() << "no expectation for status " << status;
        }
        EXPECT_FALSE(e.toText().contains(kPassword));
    }
}

TEST(PatroniClientUnit, RefusalsExplainThemselves)
{
    Fixture f;
    f.server.answerWith(412,
                        fixture(QStringLiteral("answers/switchover-unknown-candidate-412.txt")));
    auto r = await<PatroniActionResult>([&](auto cb) {
        f.client->switchover(QStringLiteral("node1"), QStringLiteral("node9"), QDateTime(), cb);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Kind::Refused);
    EXPECT_EQ(r.error().toText(),
              QStringLiteral("POST /switchover: refused (on 127.0.0.1:%1) [412]: Patroni refused: "
                             "“candidate does not exists”. Before a switchover or failover Patroni "
                             "checks the leader and candidate names and that a healthy candidate "
                             "exists; nothing was changed.")
                  .arg(f.server.port()));

    f.server.answerWith(503, "Switchover failed");
    r = await<PatroniActionResult>([&](auto cb) {
        f.client->switchover(QStringLiteral("node1"), QStringLiteral("node2"), QDateTime(), cb);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Kind::Refused);
    EXPECT_EQ(r.error().message, QStringLiteral("Patroni could not do it: “Switchover failed”."));

    f.server.answerWith(403, "Access is denied");
    r = await<PatroniActionResult>([&](auto cb) { f.client->reload(cb); });
    EXPECT_EQ(r.error().kind, Kind::Auth);
    EXPECT_EQ(r.error().code, QStringLiteral("403"));

    f.server.answerWith(500, "");
    r = await<PatroniActionResult>([&](auto cb) { f.client->reload(cb); });
    EXPECT_EQ(r.error().kind, Kind::Http);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("empty answer")));
}

TEST(PatroniClientUnit, HangingServerTimesOutWhileTheEventLoopRuns)
{
    Fixture f;
    FakeHttpServer::Answer hang;
    hang.hang = true;
    f.server.setAnswer(hang);
    f.client->setTimeout(std::chrono::milliseconds(300));
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
    ticker.start(10);
    const auto r = await<PatroniCluster>([&](auto cb) { f.client->getCluster(cb); }, 10000);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Kind::Timeout);
    EXPECT_EQ(r.error().message,
              QStringLiteral("No answer from http://127.0.0.1:%1/cluster within 300 ms.")
                  .arg(f.server.port()));
    EXPECT_GT(ticks, 5) << "the event loop kept running while the request waited";
    EXPECT_EQ(f.replies.count(), 1);
    EXPECT_EQ(f.server.distinctRequests().size(), 1) << f.server.describe();

    // An immediate switchover waits longer (Patroni polls for the new leader before answering).
    f.client->setLongActionTimeout(std::chrono::milliseconds(600));
    const auto sw = await<PatroniActionResult>(
        [&](auto cb) {
            f.client->switchover(QStringLiteral("node1"), QStringLiteral("node2"), QDateTime(), cb);
        },
        10000);
    ASSERT_FALSE(sw.ok());
    EXPECT_EQ(sw.error().kind, Kind::Timeout);
    EXPECT_TRUE(sw.error().message.contains(QStringLiteral("within 600 ms")));
}

TEST(PatroniClientUnit, ConnectionRefusedNamesTheUrl)
{
    const vigil::test::RefusingPort refusing; // held: no other test's server can take it
    ASSERT_TRUE(refusing.held());
    const quint16 port = refusing.port();
    QNetworkAccessManager nam;
    PatroniEndpoint ep;
    ep.baseUrl = QUrl(QStringLiteral("http://user:pw@127.0.0.1:%1").arg(port));
    PatroniClient client(&nam, ep);
    const auto r = await<PatroniCluster>([&](auto cb) { client.getCluster(cb); });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Kind::Connect);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("http://127.0.0.1:%1/cluster").arg(port)))
        << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("connection refused")));
    EXPECT_FALSE(r.error().toText().contains(QStringLiteral("pw@"))) << "user info never shown";
}

TEST(PatroniClientUnit, BadUrlsAndTlsFilesAreErrorsDeliveredAsynchronously)
{
    QNetworkAccessManager nam;
    PatroniEndpoint ep;
    ep.baseUrl = QUrl(QStringLiteral("ftp://127.0.0.1:1"));
    PatroniClient ftp(&nam, ep);
    const auto bad = await<PatroniCluster>([&](auto cb) { ftp.getCluster(cb); });
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, Kind::Connect);
    EXPECT_TRUE(bad.error().message.contains(QStringLiteral("not a valid http or https URL")));

    ep.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:1"));
    ep.caFile = QStringLiteral("/nonexistent/vigil-ca.pem");
    PatroniClient tls(&nam, ep);
    const auto ca = await<PatroniActionResult>([&](auto cb) { tls.reload(cb); });
    ASSERT_FALSE(ca.ok());
    EXPECT_EQ(ca.error().kind, Kind::Connect);
    EXPECT_TRUE(ca.error().message.contains(QStringLiteral("/nonexistent/vigil-ca.pem")))
        << ca.error().message.toStdString();

    // A readable file that holds no certificate is named too.
    ep.caFile = QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/config.json");
    PatroniClient notPem(&nam, ep);
    const auto pem = await<PatroniCluster>([&](auto cb) { notPem.getCluster(cb); });
    ASSERT_FALSE(pem.ok());
    EXPECT_TRUE(pem.error().message.contains(QStringLiteral("holds no PEM certificate")));

    ep.caFile.clear();
    ep.keyFile = QStringLiteral("/tmp/key.pem");
    PatroniClient keyOnly(&nam, ep);
    const auto key = await<PatroniCluster>([&](auto cb) { keyOnly.getCluster(cb); });
    ASSERT_FALSE(key.ok());
    EXPECT_TRUE(key.error().message.contains(QStringLiteral("without a client certificate")));
}

TEST(PatroniClientUnit, DestroyingTheClientDropsPendingCallbacks)
{
    FakeHttpServer server;
    FakeHttpServer::Answer hang;
    hang.hang = true;
    server.setAnswer(hang);
    QNetworkAccessManager nam;
    PatroniEndpoint ep;
    ep.baseUrl = server.url();
    auto client = std::make_unique<PatroniClient>(&nam, ep);
    client->setTimeout(std::chrono::milliseconds(200));
    bool called = false;
    client->getCluster([&](const Result<PatroniCluster> &) { called = true; });
    ASSERT_TRUE(waitUntil([&] { return server.requests().size() == 1; }, 5000));
    client.reset();
    vigil::test::spin(400); // past the timeout
    EXPECT_FALSE(called);
}

TEST(PatroniClientUnit, CallbackMayDestroyTheClient)
{
    Fixture f;
    f.server.answerWith(200, fixture(QStringLiteral("cluster.json")), "OK");
    bool called = false;
    f.client->getCluster([&](const Result<PatroniCluster> &r) {
        called = r.ok();
        f.client.reset();
    });
    ASSERT_TRUE(waitUntil([&] { return called; }, 5000));
    vigil::test::spin(50);
    EXPECT_FALSE(f.client);
}
