// ClusterMonitor against fake Patroni REST servers (QTcpServer on 127.0.0.1, answering with the
// fixtures recorded from the sandbox): discovery, a hung member that must not delay the others,
// discovery falling back to another member, and at most one outstanding request per channel.
// PostgreSQL is absent here (the members' SQL ports refuse), so the SQL channel is Unreachable;
// the real SQL path is covered by the integration tests.
#include "services/monitor/clustermonitor.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/refusingport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <gtest/gtest.h>
#include <memory>

using namespace vigil::services;
using vigil::test::waitUntil;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/") + name);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name.toStdString();
    return f.readAll();
}

// A minimal HTTP/1.0 server: GET PATH → 200 with the body registered for PATH, or, when hung,
// reads the request and never answers (like a SIGSTOPped Patroni whose socket still accepts).
class FakeHttp : public QObject
{
public:
    FakeHttp()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++m_open;
                m_maxOpen = std::max(m_maxOpen, m_open);
                QObject::connect(s, &QTcpSocket::disconnected, s, [this, s] {
                    --m_open;
                    s->deleteLater();
                });
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { serve(s); });
            }
        });
    }
    int port() const { return m_server.serverPort(); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port()); }
    void route(const QString &path, const QByteArray &body) { m_routes[path] = body; }
    void setHung(bool hung) { m_hung = hung; }
    // Answers `path` only after `ms` (a slow Patroni handler, e.g. GET /cluster on a busy host).
    void setDelay(const QString &path, int ms) { m_delays[path] = ms; }
    // Like a member whose Patroni died: nothing listens any more, and the connections it had
    // accepted are gone too (a client may hold one open between two requests; answering on it
    // after close() would let the test see a dead member answer).
    // The port stays held (RefusingPort): under ctest -j another test's server could otherwise
    // be given it and receive this test's polls.
    void close()
    {
        const quint16 port = m_server.serverPort();
        m_server.close();
        m_closed = std::make_unique<vigil::test::RefusingPort>(port);
        for (QTcpSocket *s : m_server.findChildren<QTcpSocket *>())
            s->abort();
    }
    int requests(const QString &path) const { return m_requests.value(path); }
    int maxOpen() const { return m_maxOpen; }

private:
    void serve(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        if (!buf.contains("\r\n\r\n"))
            return;
        const QList<QByteArray> first = buf.left(buf.indexOf("\r\n")).split(' ');
        const QString path = first.size() > 1 ? QString::fromLatin1(first[1]) : QString();
        m_buffers.remove(s);
        ++m_requests[path];
        if (m_hung)
            return;
        const bool known = m_routes.contains(path);
        const QByteArray body = known ? m_routes.value(path) : QByteArray("not found");
        if (const int delay = m_delays.value(path); delay > 0) {
            QTimer::singleShot(delay, s, [s, known, body] { answer(s, known, body); });
            return;
        }
        answer(s, known, body);
    }
    static void answer(QTcpSocket *s, bool known, const QByteArray &body)
    {
        s->write("HTTP/1.0 " + QByteArray(known ? "200 OK" : "404 Not Found") +
                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    std::unique_ptr<vigil::test::RefusingPort> m_closed;
    QHash<QString, QByteArray> m_routes;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QString, int> m_requests;
    QHash<QString, int> m_delays;
    bool m_hung = false;
    int m_open = 0;
    int m_maxOpen = 0;
};

struct FakeCluster
{
    FakeHttp node[3];
    // The members' PostgreSQL port when none is given: SQL connections to it are refused at once.
    vigil::test::RefusingPort refusingSql;

    // sqlPort: the members' PostgreSQL port (0: one that refuses at once; -1: none, so the
    // members have no SQL channel at all).
    explicit FakeCluster(int sqlPort = 0)
    {
        // /cluster as recorded, with the members' REST URLs pointing at the fake servers.
        QJsonObject cluster =
            QJsonDocument::fromJson(fixture(QStringLiteral("cluster.json"))).object();
        QJsonArray members = cluster.value(QStringLiteral("members")).toArray();
        for (int i = 0; i < members.size() && i < 3; ++i) {
            QJsonObject m = members[i].toObject();
            m.insert(QStringLiteral("api_url"), node[i].url() + QStringLiteral("/patroni"));
            m.insert(QStringLiteral("port"), sqlPort > 0   ? sqlPort
                                             : sqlPort < 0 ? 0
                                                           : int(refusingSql.port()));
            members[i] = m;
        }
        cluster.insert(QStringLiteral("members"), members);
        const QByteArray clusterJson = QJsonDocument(cluster).toJson(QJsonDocument::Compact);
        const QByteArray config = fixture(QStringLiteral("config.json"));
        for (int i = 0; i < 3; ++i) {
            QJsonObject p =
                QJsonDocument::fromJson(fixture(i == 0 ? QStringLiteral("patroni-leader.json")
                                                       : QStringLiteral("patroni-replica.json")))
                    .object();
            // Recorded in the past: make "last reached the DCS" now.
            p.insert(QStringLiteral("dcs_last_seen"), double(QDateTime::currentSecsSinceEpoch()));
            node[i].route(QStringLiteral("/patroni"),
                          QJsonDocument(p).toJson(QJsonDocument::Compact));
            node[i].route(QStringLiteral("/cluster"), clusterJson);
            node[i].route(QStringLiteral("/config"), config);
        }
    }
};

ClusterProfile profileFor(const QString &url, int deadlineMs)
{
    ClusterProfile p;
    p.name = QStringLiteral("fake");
    p.patroniUrl = QUrl(url);
    p.sqlConninfo = QStringLiteral("dbname=postgres user=nobody");
    p.memberDeadlineMs = deadlineMs;
    p.stateIntervalMs = 400;
    return p;
}

// A monitor on a profile, with every snapshot it emits collected in `got`.
struct Watched
{
    QNetworkAccessManager nam;
    ClusterMonitor monitor;
    QList<ClusterSnapshotPtr> got;
    explicit Watched(const ClusterProfile &p)
        : monitor(&nam, p)
    {
        QObject::connect(&monitor, &ClusterMonitor::snapshotReady,
                         [this](ClusterSnapshotPtr s) { got << s; });
    }
};

std::string describeFindings(const ClusterSnapshot &s)
{
    std::string out;
    for (const auto &f : s.findings)
        out += f.message.toStdString() + "; ";
    return out;
}

const MemberSnapshot *named(const ClusterSnapshot &s, const char *name)
{
    return s.member(QLatin1String(name));
}

const Finding *findingFor(const ClusterSnapshot &s, Finding::Code code, const char *member)
{
    for (const auto &f : s.findings)
        if (f.code == code && f.member == QLatin1String(member))
            return &f;
    return nullptr;
}

} // namespace

TEST(ClusterMonitor, DiscoversMembersAndMarksAHungOneUnresponsive)
{
    FakeCluster fake;
    fake.node[2].setHung(true);
    Watched w(profileFor(fake.node[0].url(), 800));
    ClusterMonitor &monitor = w.monitor;
    QList<ClusterSnapshotPtr> &got = w.got;

    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return !got.isEmpty(); }, 5000)) << "no snapshot by the deadline";
    vigil::test::spin(300); // nothing else may come: pollOnce emits once
    ASSERT_EQ(got.size(), 1);
    const ClusterSnapshot &s = *got[0];
    EXPECT_EQ(monitor.lastSnapshot(), got[0]);

    EXPECT_TRUE(s.discovery.ok()) << s.discovery.error.toText().toStdString();
    ASSERT_EQ(s.members.size(), 3);
    ASSERT_TRUE(s.leader());
    EXPECT_EQ(s.leader()->name, QStringLiteral("node1"));
    EXPECT_EQ(s.scope, QStringLiteral("hokm-ha"));
    ASSERT_TRUE(s.dynamicConfig);
    EXPECT_EQ(s.dynamicConfig->maximumLagOnFailover.value_or(0), 1048576);

    EXPECT_TRUE(named(s, "node1")->rest.ok())
        << named(s, "node1")->rest.error.toText().toStdString();
    EXPECT_TRUE(named(s, "node2")->rest.ok());
    ASSERT_TRUE(named(s, "node1")->patroni);
    EXPECT_EQ(named(s, "node1")->patroni->role, PatroniRole::Leader);

    const MemberSnapshot *hung = named(s, "node3");
    EXPECT_EQ(hung->rest.state, ChannelStatus::State::Unresponsive);
    EXPECT_EQ(hung->rest.error.kind, ServiceError::Kind::Timeout);
    EXPECT_FALSE(hung->patroni.has_value());
    EXPECT_TRUE(findingFor(s, Finding::Code::MemberUnresponsive, "node3"));
    EXPECT_FALSE(findingFor(s, Finding::Code::MemberUnresponsive, "node2"));

    // SQL: nothing listens on the members' PostgreSQL ports.
    for (const auto &m : s.members)
        EXPECT_EQ(m.sql.state, ChannelStatus::State::Unreachable) << m.name.toStdString();
    // The cycle ended at its deadline, not when (never) the hung member answers.
    EXPECT_LT(s.cycleMs, 800 + 1500);
}

TEST(ClusterMonitor, DiscoveryFallsBackToOtherMembersWhenTheFirstIsDown)
{
    FakeCluster fake;
    Watched w(profileFor(fake.node[0].url(), 800));
    ClusterMonitor &monitor = w.monitor;
    QList<ClusterSnapshotPtr> &got = w.got;

    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return got.size() == 1; }, 5000));
    ASSERT_EQ(got[0]->members.size(), 3);

    fake.node[0].close(); // the member we first talked to is gone (connection refused)
    const int before = fake.node[1].requests(QStringLiteral("/cluster")) +
                       fake.node[2].requests(QStringLiteral("/cluster"));
    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return got.size() == 2; }, 5000));
    const ClusterSnapshot &s = *got[1];
    EXPECT_TRUE(s.discovery.ok()) << "the DCS view survives the loss of the first member";
    EXPECT_GT(fake.node[1].requests(QStringLiteral("/cluster")) +
                  fake.node[2].requests(QStringLiteral("/cluster")),
              before);
    ASSERT_EQ(s.members.size(), 3);
    EXPECT_EQ(named(s, "node1")->rest.state, ChannelStatus::State::Unreachable);
    EXPECT_EQ(named(s, "node1")->rest.error.kind, ServiceError::Kind::Connect);
    EXPECT_TRUE(named(s, "node2")->rest.ok());
    // The crashed leader is reported at once.
    const Finding *f = findingFor(s, Finding::Code::MemberUnreachable, "node1");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Finding::Severity::Critical);
}

// The SQL probes go first and the REST requests once they answered, but a hung SQL probe holds
// REST back only for a moment (kRestStaggerMs), not until the deadline.
TEST(ClusterMonitor, AHungSqlProbeDoesNotHoldBackRest)
{
    QTcpServer silent; // accepts PostgreSQL connections, never says a word
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    FakeCluster fake(silent.serverPort());
    Watched w(profileFor(fake.node[0].url(), 1500));
    ClusterMonitor &monitor = w.monitor;
    QList<ClusterSnapshotPtr> &got = w.got;
    monitor.pollOnce(); // discovers the members (no SQL known yet: REST at once)
    ASSERT_TRUE(waitUntil([&] { return got.size() == 1; }, 5000));
    ASSERT_EQ(got[0]->members.size(), 3);

    const int before = fake.node[1].requests(QStringLiteral("/patroni"));
    QElapsedTimer clock;
    clock.start();
    monitor.pollOnce(); // now every member's SQL probe hangs
    ASSERT_TRUE(waitUntil(
        [&] { return fake.node[1].requests(QStringLiteral("/patroni")) > before; }, 5000));
    EXPECT_LT(clock.elapsed(), 1000) << "GET /patroni waited for the SQL deadline";
    ASSERT_TRUE(waitUntil([&] { return got.size() == 2; }, 5000));
    const ClusterSnapshot &s = *got[1];
    EXPECT_TRUE(s.discovery.ok());
    for (const auto &m : s.members) {
        EXPECT_TRUE(m.rest.ok()) << m.name.toStdString();
        EXPECT_EQ(m.sql.state, ChannelStatus::State::Unresponsive) << m.name.toStdString();
    }
}

// While all is well, a running monitor reuses the DCS view and asks GET /cluster only every
// clusterIntervalMs, while each member's own /patroni comes every cycle; the cycle in which a
// member's answer disagrees with the DCS view asks /cluster again at once.
TEST(ClusterMonitor, RunningMonitorAsksForTheDcsViewAtItsIntervalWhileAllIsWell)
{
    FakeCluster fake(-1); // REST only: every channel the members have answers
    ClusterProfile p = profileFor(fake.node[0].url(), 800);
    p.stateIntervalMs = 200;
    p.clusterIntervalMs = 60000;
    Watched w(p);
    ClusterMonitor &monitor = w.monitor;
    QList<ClusterSnapshotPtr> &got = w.got;
    const auto clusterAsked = [&] {
        return fake.node[0].requests(QStringLiteral("/cluster")) +
               fake.node[1].requests(QStringLiteral("/cluster")) +
               fake.node[2].requests(QStringLiteral("/cluster"));
    };
    monitor.start();
    ASSERT_TRUE(waitUntil([&] { return got.size() >= 8; }, 8000));
    ASSERT_EQ(got.last()->worstSeverity(), Finding::Severity::Ok) << describeFindings(*got.last());
    EXPECT_EQ(clusterAsked(), 1) << "one /cluster in " << got.size() << " cycles";
    EXPECT_GE(fake.node[1].requests(QStringLiteral("/patroni")), 8) << "/patroni every cycle";
    for (const auto &s : got)
        EXPECT_TRUE(s->discovery.ok());

    // node2's Patroni now says it is the leader, which the DCS view does not: that cycle asks.
    QJsonObject leader =
        QJsonDocument::fromJson(fixture(QStringLiteral("patroni-leader.json"))).object();
    leader.insert(QStringLiteral("dcs_last_seen"), double(QDateTime::currentSecsSinceEpoch()));
    fake.node[1].route(QStringLiteral("/patroni"),
                       QJsonDocument(leader).toJson(QJsonDocument::Compact));
    const int before = clusterAsked();
    const int cycles = got.size();
    ASSERT_TRUE(waitUntil([&] { return got.size() >= cycles + 3; }, 5000));
    monitor.stop();
    EXPECT_GT(clusterAsked(), before + 1) << "asked at once, and every cycle while it disagrees";
    // The first snapshot that shows node2's claim carries a DCS view asked for in that cycle.
    for (int i = cycles; i < got.size(); ++i) {
        const MemberSnapshot *m = got[i]->member(QStringLiteral("node2"));
        if (!m || !m->patroni || m->patroni->role != PatroniRole::Leader)
            continue;
        EXPECT_GE(got[i]->discovery.lastOk, got[i]->takenAt) << "the DCS view of cycle " << i;
        break;
    }

    // pollOnce always asks.
    const int beforePoll = clusterAsked();
    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return clusterAsked() > beforePoll; }, 3000));
}

TEST(ClusterMonitor, FallbackUrlsServeTheFirstCycle)
{
    // Nothing discovered yet and the profile's member is down: the fallback URLs are tried.
    FakeCluster fake;
    const vigil::test::RefusingPort downMember;
    ClusterProfile p =
        profileFor(QStringLiteral("http://127.0.0.1:%1").arg(downMember.port()), 800);
    p.patroniFallbackUrls = {QUrl(fake.node[1].url())};
    Watched w(p);
    ClusterMonitor &monitor = w.monitor;
    QList<ClusterSnapshotPtr> &got = w.got;
    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return !got.isEmpty(); }, 5000));
    EXPECT_TRUE(got[0]->discovery.ok()) << got[0]->discovery.error.toText().toStdString();
    EXPECT_EQ(got[0]->members.size(), 3);
    EXPECT_EQ(fake.node[1].requests(QStringLiteral("/cluster")), 1);
}

TEST(ClusterMonitor, DiscoveryHedgesPastAHungFirstMember)
{
    FakeCluster fake;
    Watched w(profileFor(fake.node[0].url(), 1000));
    ClusterMonitor &monitor = w.monitor;
    QList<ClusterSnapshotPtr> &got = w.got;
    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return got.size() == 1; }, 5000));

    fake.node[0].setHung(true); // accepts, never answers
    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return got.size() == 2; }, 5000));
    EXPECT_TRUE(got[1]->discovery.ok()) << got[1]->discovery.error.toText().toStdString();
    EXPECT_EQ(named(*got[1], "node1")->rest.state, ChannelStatus::State::Unresponsive);
    EXPECT_TRUE(named(*got[1], "node2")->rest.ok());
}

TEST(ClusterMonitor, RunningMonitorNeverStacksRequestsOnAHungMember)
{
    FakeCluster fake;
    Watched w(profileFor(fake.node[0].url(), 2500));
    ClusterMonitor &monitor = w.monitor;
    QList<ClusterSnapshotPtr> &got = w.got;
    monitor.start(); // every 400 ms; the deadline is capped below that
    ASSERT_TRUE(waitUntil([&] { return got.size() >= 1; }, 3000));
    fake.node[2].setHung(true);
    const int sequenceBefore = got.size();
    ASSERT_TRUE(waitUntil([&] { return got.size() >= sequenceBefore + 5; }, 6000))
        << "cycles keep coming at the interval despite the hung member";
    monitor.stop();
    EXPECT_EQ(got.last()->member(QStringLiteral("node3"))->rest.state,
              ChannelStatus::State::Unresponsive);
    EXPECT_TRUE(got.last()->member(QStringLiteral("node2"))->rest.ok());
    // Sequence numbers increase by one per cycle.
    for (int i = 1; i < got.size(); ++i)
        EXPECT_EQ(got[i]->sequence, got[i - 1]->sequence + 1);
    // At most one connection open at a time to the hung member's REST API.
    EXPECT_LE(fake.node[2].maxOpen(), 1);
    // The deadline (2500 ms in the profile) is capped below the 400 ms interval.
    for (const auto &s : got)
        EXPECT_LT(s->cycleMs, 2500);
}

// ClusterPoller::hedge: a fresh monitor whose first GET /cluster is slow (here 600 ms of an
// 800 ms deadline, well past the quarter at which discovery hedges) asks the next member's
// /cluster too, but does not start probing members by URL: the DCS view comes within the cycle.
TEST(ClusterMonitor, ASlowFirstDiscoveryDoesNotProbeMembersByUrl)
{
    FakeCluster fake(-1);
    for (auto &n : fake.node)
        n.setDelay(QStringLiteral("/cluster"), 600);
    ClusterProfile p = profileFor(fake.node[0].url(), 800);
    p.patroniFallbackUrls = {QUrl(fake.node[1].url())};
    Watched w(p);
    w.monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return !w.got.isEmpty(); }, 5000));
    vigil::test::spin(300);
    ASSERT_EQ(w.got.size(), 1);
    const ClusterSnapshot &s = *w.got[0];
    EXPECT_TRUE(s.discovery.ok()) << s.discovery.error.toText().toStdString();
    ASSERT_EQ(s.members.size(), 3);
    for (const auto &m : s.members) {
        EXPECT_FALSE(m.fromUrlOnly) << m.name.toStdString();
        EXPECT_TRUE(m.rest.ok()) << m.name.toStdString();
    }
    EXPECT_GE(fake.node[1].requests(QStringLiteral("/cluster")), 1) << "discovery hedged";
    // node1's and node2's /patroni once each, by their DCS names: no probe by URL
    // (127.0.0.1:port) asked them first.
    EXPECT_EQ(fake.node[0].requests(QStringLiteral("/patroni")), 1);
    EXPECT_EQ(fake.node[1].requests(QStringLiteral("/patroni")), 1);
}

// GET /cluster hangs for the whole cycle (a frozen DCS) and no member is known: that cycle shows
// no member, and the next one asks the members' own REST APIs by URL, while /cluster is still
// out (one request per member, never a second). When the DCS view comes, the members by URL
// (requests still out or not) give way to the members it names.
TEST(ClusterMonitor, DiscoveryHungForACycleProbesTheKnownUrlsNext)
{
    FakeCluster fake(-1);
    ClusterProfile p = profileFor(fake.node[0].url(), 600);
    p.patroniFallbackUrls = {QUrl(fake.node[1].url())};
    for (auto &n : fake.node)
        n.setDelay(QStringLiteral("/cluster"), 3000);
    Watched w(p);
    w.monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return w.got.size() == 1; }, 5000));
    EXPECT_EQ(w.got[0]->discovery.state, ChannelStatus::State::Unresponsive);
    EXPECT_TRUE(w.got[0]->members.isEmpty());
    EXPECT_EQ(fake.node[0].requests(QStringLiteral("/patroni")), 0) << "not before the cycle ends";

    w.monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return w.got.size() == 2; }, 5000));
    const ClusterSnapshot &s = *w.got[1];
    ASSERT_EQ(s.members.size(), 2) << "the profile's URL and its fallback";
    for (const auto &m : s.members) {
        EXPECT_TRUE(m.fromUrlOnly) << m.name.toStdString();
        EXPECT_TRUE(m.rest.ok()) << m.name.toStdString();
    }
    EXPECT_EQ(fake.node[0].requests(QStringLiteral("/cluster")), 1) << "still the first one";

    // The first /cluster answers 3 s after it was sent, into whichever cycle is open then: the
    // DCS view replaces the members by URL.
    QElapsedTimer clock;
    clock.start();
    while (!w.got.last()->discovery.ok() && clock.elapsed() < 8000) {
        const int n = w.got.size();
        w.monitor.pollOnce();
        ASSERT_TRUE(waitUntil([&] { return w.got.size() > n; }, 3000));
    }
    const ClusterSnapshot &after = *w.got.last();
    ASSERT_TRUE(after.discovery.ok()) << after.discovery.error.toText().toStdString();
    ASSERT_EQ(after.members.size(), 3);
    for (const auto &m : after.members)
        EXPECT_FALSE(m.fromUrlOnly) << m.name.toStdString();
}

// Patroni (etcd v3) counts answering GET /cluster from its watch cache as a DCS contact: asking
// the leader would keep its dcs_last_seen fresh through an etcd freeze. Once the DCS view is
// known, /cluster goes to another member first.
TEST(ClusterMonitor, TheDcsViewIsAskedOfAReplicaBeforeTheLeader)
{
    FakeCluster fake(-1); // node1 (fake.node[0], the profile's URL) is the leader
    Watched w(profileFor(fake.node[0].url(), 800));
    w.monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return w.got.size() == 1; }, 5000));
    ASSERT_TRUE(w.got[0]->leader());
    ASSERT_EQ(w.got[0]->leader()->name, QStringLiteral("node1"));
    EXPECT_EQ(fake.node[0].requests(QStringLiteral("/cluster")), 1) << "nothing else known yet";
    for (int i = 0; i < 3; ++i) {
        w.monitor.pollOnce();
        ASSERT_TRUE(waitUntil([&] { return w.got.size() == 2 + i; }, 5000));
        EXPECT_TRUE(w.got.last()->discovery.ok());
    }
    EXPECT_EQ(fake.node[0].requests(QStringLiteral("/cluster")), 1) << "the leader not again";
    EXPECT_EQ(fake.node[1].requests(QStringLiteral("/cluster")) +
                  fake.node[2].requests(QStringLiteral("/cluster")),
              3);
}
