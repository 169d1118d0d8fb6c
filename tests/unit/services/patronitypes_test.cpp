// Parsers of Patroni's REST answers, against answers recorded from the real sandbox cluster
// (Patroni 3.0.2, tests/fixtures/record.sh), synthetic answers in the shape of newer Patroni
// releases, and systematically broken versions of every fixture.
#include "services/patroni/patronitypes.h"
#include "support/qtprinters.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <functional>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/") + name);
    if (!f.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "missing fixture " << name.toStdString();
        return {};
    }
    return f.readAll();
}

QString iso(const std::optional<QDateTime> &t)
{
    return t ? t->toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("<none>");
}

const PatroniMember *member(const PatroniCluster &c, const QString &name)
{
    for (const auto &m : c.members) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

template <typename T> T parsedOk(const Result<T> &r)
{
    EXPECT_TRUE(r.ok()) << r.error().toText().toStdString();
    return r.ok() ? r.value() : T();
}

// Which parser reads which fixture, by file name.
enum class Shape
{
    Cluster,
    Node,
    History,
    Config
};

Shape shapeOf(const QString &file)
{
    if (file.startsWith(QLatin1String("cluster")))
        return Shape::Cluster;
    if (file.startsWith(QLatin1String("history")))
        return Shape::History;
    if (file.startsWith(QLatin1String("config")))
        return Shape::Config;
    return Shape::Node; // patroni-*, health-*, primary-*, replica-*: all the member's status
}

ServiceError parseAs(Shape shape, const QByteArray &body)
{
    switch (shape) {
    case Shape::Cluster:
        return parsePatroniCluster(body).error();
    case Shape::Node:
        return parsePatroniNodeStatus(body).error();
    case Shape::History:
        return parsePatroniHistory(body).error();
    case Shape::Config:
        return parsePatroniConfig(body).error();
    }
    return {};
}

QStringList jsonFixtures()
{
    const QStringList files = QDir(QStringLiteral(VIGIL_FIXTURES_DIR "/patroni"))
                                  .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    EXPECT_GE(files.size(), 20) << "fixtures missing; run tests/fixtures/record.sh";
    return files;
}

// ---- JSON surgery for the corruption tests ----------------------------------------------
// A path is a list of keys and "[i]" indices; its pattern has every index as "[*]".
struct JsonPath
{
    QStringList steps;
    QString text() const
    {
        QString s;
        for (const QString &step : steps) {
            if (!step.startsWith(QLatin1Char('[')) && !s.isEmpty())
                s += QLatin1Char('.');
            s += step;
        }
        return s;
    }
    QString pattern() const
    {
        static const QRegularExpression index(QStringLiteral("\\[\\d+\\]"));
        return QString(text()).replace(index, QStringLiteral("[*]"));
    }
};

void collectPaths(const QJsonValue &v, JsonPath at, QList<JsonPath> *out)
{
    if (!at.steps.isEmpty())
        *out << at;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            JsonPath next = at;
            next.steps << it.key();
            collectPaths(it.value(), next, out);
        }
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            JsonPath next = at;
            next.steps << QStringLiteral("[%1]").arg(i);
            collectPaths(a.at(i), next, out);
        }
    }
}

// Replaces (or with `remove`, deletes) the value at `steps` inside `v`.
QJsonValue edit(const QJsonValue &v, QStringList steps, const QJsonValue &replacement, bool remove)
{
    const QString step = steps.takeFirst();
    if (step.startsWith(QLatin1Char('['))) {
        QJsonArray a = v.toArray();
        const int i = step.mid(1, step.size() - 2).toInt();
        if (steps.isEmpty()) {
            if (remove)
                a.removeAt(i);
            else
                a[i] = replacement;
        } else {
            a[i] = edit(a.at(i), steps, replacement, remove);
        }
        return a;
    }
    QJsonObject o = v.toObject();
    if (steps.isEmpty()) {
        if (remove)
            o.remove(step);
        else
            o[step] = replacement;
    } else {
        o[step] = edit(o.value(step), steps, replacement, remove);
    }
    return o;
}

QByteArray serialize(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

QJsonValue rootOf(const QByteArray &body)
{
    const QJsonDocument d = QJsonDocument::fromJson(body);
    return d.isArray() ? QJsonValue(d.array()) : QJsonValue(d.object());
}

// A value of a different JSON kind than `v`, that no field the parsers read accepts there.
QJsonValue wrongKind(const QJsonValue &v)
{
    if (v.isArray())
        return QStringLiteral("x");
    return QJsonArray{1, 2};
}

// The fields each parser reads (patterns); a wrong type in any of them must be a Parse error.
QStringList knownFields(Shape shape)
{
    switch (shape) {
    case Shape::Cluster:
        return {QStringLiteral("members"),
                QStringLiteral("members[*]"),
                QStringLiteral("members[*].name"),
                QStringLiteral("members[*].role"),
                QStringLiteral("members[*].state"),
                QStringLiteral("members[*].host"),
                QStringLiteral("members[*].port"),
                QStringLiteral("members[*].api_url"),
                QStringLiteral("members[*].timeline"),
                QStringLiteral("members[*].lag"),
                QStringLiteral("members[*].pending_restart"),
                QStringLiteral("members[*].tags"),
                QStringLiteral("members[*].scheduled_restart"),
                QStringLiteral("members[*].scheduled_restart.schedule"),
                QStringLiteral("pause"),
                QStringLiteral("scheduled_switchover"),
                QStringLiteral("scheduled_switchover.at"),
                QStringLiteral("scheduled_switchover.from"),
                QStringLiteral("scheduled_switchover.to")};
    case Shape::Node:
        return {QStringLiteral("state"),
                QStringLiteral("postmaster_start_time"),
                QStringLiteral("role"),
                QStringLiteral("server_version"),
                QStringLiteral("xlog"),
                QStringLiteral("xlog.location"),
                QStringLiteral("xlog.received_location"),
                QStringLiteral("xlog.replayed_location"),
                QStringLiteral("xlog.replayed_timestamp"),
                QStringLiteral("xlog.paused"),
                QStringLiteral("timeline"),
                QStringLiteral("replication"),
                QStringLiteral("replication[*]"),
                QStringLiteral("replication[*].usename"),
                QStringLiteral("replication[*].application_name"),
                QStringLiteral("replication[*].client_addr"),
                QStringLiteral("replication[*].state"),
                QStringLiteral("replication[*].sync_state"),
                QStringLiteral("replication[*].sync_priority"),
                QStringLiteral("dcs_last_seen"),
                QStringLiteral("database_system_identifier"),
                QStringLiteral("patroni"),
                QStringLiteral("patroni.version"),
                QStringLiteral("patroni.scope"),
                QStringLiteral("pending_restart"),
                QStringLiteral("pause"),
                QStringLiteral("tags"),
                QStringLiteral("scheduled_restart"),
                QStringLiteral("scheduled_restart.schedule"),
                QStringLiteral("cluster_unlocked")};
    case Shape::History:
        return {QStringLiteral("[*]"), QStringLiteral("[*][*]")};
    case Shape::Config:
        return {QStringLiteral("ttl"),
                QStringLiteral("loop_wait"),
                QStringLiteral("retry_timeout"),
                QStringLiteral("maximum_lag_on_failover"),
                QStringLiteral("pause"),
                QStringLiteral("synchronous_mode"),
                QStringLiteral("synchronous_mode_strict"),
                QStringLiteral("postgresql"),
                QStringLiteral("postgresql.parameters")};
    }
    return {};
}

} // namespace

// ---- recorded fixtures: the right typed values ------------------------------------------

TEST(PatroniClusterParse, HealthyClusterHasLeaderAndTwoStreamingReplicas)
{
    const PatroniCluster c = parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster.json"))));
    ASSERT_EQ(c.members.size(), 3);
    ASSERT_NE(c.leader(), nullptr);
    EXPECT_EQ(c.leader()->name, QStringLiteral("node1"));
    EXPECT_FALSE(c.paused);
    EXPECT_FALSE(c.scheduledSwitchover.has_value());

    const PatroniMember *l = member(c, QStringLiteral("node1"));
    EXPECT_EQ(l->role, PatroniRole::Leader);
    EXPECT_EQ(l->state, QStringLiteral("running"));
    EXPECT_EQ(l->host, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(l->port, 58310);
    EXPECT_EQ(l->apiUrl, QUrl(QStringLiteral("http://127.0.0.1:58320/patroni")));
    EXPECT_EQ(l->apiBaseUrl(), QUrl(QStringLiteral("http://127.0.0.1:58320")));
    EXPECT_EQ(l->timeline, 1);
    EXPECT_FALSE(l->lagBytes.has_value()) << "the leader has no lag";
    EXPECT_FALSE(l->pendingRestart);
    EXPECT_FALSE(l->scheduledRestart.has_value());
    for (const QString &name : {QStringLiteral("node2"), QStringLiteral("node3")}) {
        const PatroniMember *r = member(c, name);
        ASSERT_NE(r, nullptr) << name.toStdString();
        EXPECT_EQ(r->role, PatroniRole::Replica);
        EXPECT_TRUE(isHealthyReplicaState(r->state)) << r->state.toStdString();
        EXPECT_EQ(r->lagBytes, 0);
        EXPECT_EQ(r->timeline, 1);
        EXPECT_FALSE(r->noFailover());
        EXPECT_FALSE(r->noLoadBalance());
    }
}

TEST(PatroniClusterParse, PausedPendingRestartAndScheduledRestart)
{
    const auto paused =
        parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster-paused.json"))));
    EXPECT_TRUE(paused.paused);
    EXPECT_EQ(paused.members.size(), 3);

    const auto pending =
        parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster-pending-restart.json"))));
    EXPECT_FALSE(pending.paused);
    ASSERT_EQ(pending.members.size(), 3);
    for (const auto &m : pending.members)
        EXPECT_TRUE(m.pendingRestart) << m.name.toStdString();
    const auto normal = parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster.json"))));
    for (const auto &m : normal.members)
        EXPECT_FALSE(m.pendingRestart) << m.name.toStdString();

    const auto sched =
        parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster-scheduled-restart.json"))));
    const PatroniMember *r = member(sched, QStringLiteral("node2"));
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(iso(r->scheduledRestart), QStringLiteral("2026-11-28T00:41:04.000Z"));
    EXPECT_FALSE(member(sched, QStringLiteral("node1"))->scheduledRestart.has_value());
}

TEST(PatroniClusterParse, ScheduledSwitchover)
{
    const auto c =
        parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster-scheduled-switchover.json"))));
    ASSERT_TRUE(c.scheduledSwitchover.has_value());
    EXPECT_EQ(iso(c.scheduledSwitchover->at), QStringLiteral("2026-11-27T02:41:07.000Z"));
    EXPECT_EQ(c.scheduledSwitchover->from, QStringLiteral("node1"));
    EXPECT_EQ(c.scheduledSwitchover->to, QStringLiteral("node2"));
    EXPECT_EQ(c.leader()->name, QStringLiteral("node1"));
}

TEST(PatroniClusterParse, CrashAndFailoverSequence)
{
    // 0.3 s after SIGKILL the leader key has not expired yet (ttl 10): Patroni still shows
    // the dead node1 as a running leader. That is what a console sees first.
    const auto afterKill =
        parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster-after-kill.json"))));
    EXPECT_EQ(afterKill.leader()->name, QStringLiteral("node1"));

    // New leader elected: node1's member key expired, node2 leads on timeline 2, node3 still
    // on timeline 1 with 456 bytes of lag until it follows.
    const auto elected =
        parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster-new-leader.json"))));
    ASSERT_EQ(elected.members.size(), 2);
    EXPECT_EQ(elected.leader()->name, QStringLiteral("node2"));
    EXPECT_EQ(elected.leader()->timeline, 2);
    EXPECT_EQ(member(elected, QStringLiteral("node3"))->timeline, 1);
    EXPECT_EQ(member(elected, QStringLiteral("node3"))->lagBytes, 456);
    EXPECT_EQ(member(elected, QStringLiteral("node1")), nullptr);

    const auto rejoined =
        parsedOk(parsePatroniCluster(fixture(QStringLiteral("cluster-rejoined.json"))));
    ASSERT_EQ(rejoined.members.size(), 3);
    EXPECT_EQ(rejoined.leader()->name, QStringLiteral("node2"));
    EXPECT_EQ(member(rejoined, QStringLiteral("node1"))->role, PatroniRole::Replica);
    for (const auto &m : rejoined.members)
        EXPECT_EQ(m.timeline, 2) << m.name.toStdString();
}

TEST(PatroniNodeParse, LeaderSays302Master)
{
    const auto s = parsedOk(parsePatroniNodeStatus(fixture(QStringLiteral("patroni-leader.json"))));
    EXPECT_EQ(s.state, QStringLiteral("running"));
    EXPECT_EQ(s.role, PatroniRole::Leader) << "3.0.2 says \"master\"";
    EXPECT_EQ(s.serverVersion, 150018);
    EXPECT_EQ(s.timeline, 1);
    EXPECT_EQ(iso(s.postmasterStartTime), QStringLiteral("2026-11-27T00:38:45.928Z"));
    EXPECT_EQ(s.walLocation, 76146448);
    EXPECT_FALSE(s.receivedLocation.has_value());
    ASSERT_EQ(s.replication.size(), 2);
    EXPECT_EQ(s.replication[0].usename, QStringLiteral("replicator"));
    EXPECT_EQ(s.replication[0].applicationName, QStringLiteral("node2"));
    EXPECT_EQ(s.replication[1].applicationName, QStringLiteral("node3"));
    EXPECT_EQ(s.replication[0].clientAddr, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(s.replication[0].state, QStringLiteral("streaming"));
    EXPECT_EQ(s.replication[0].syncState, QStringLiteral("async"));
    EXPECT_EQ(s.replication[0].syncPriority, 0);
    EXPECT_EQ(s.patroniVersion, QStringLiteral("3.0.2"));
    EXPECT_EQ(s.scope, QStringLiteral("hokm-ha"));
    EXPECT_EQ(s.systemIdentifier, QStringLiteral("7712644247327467460"));
    EXPECT_EQ(iso(s.dcsLastSeen),
              QDateTime::fromSecsSinceEpoch(1795740060, Qt::UTC).toString(Qt::ISODateWithMs));
    EXPECT_FALSE(s.paused);
    EXPECT_FALSE(s.pendingRestart);
    EXPECT_FALSE(s.clusterUnlocked);
    EXPECT_FALSE(s.scheduledRestart.has_value());
}

TEST(PatroniNodeParse, Replica)
{
    const auto s =
        parsedOk(parsePatroniNodeStatus(fixture(QStringLiteral("patroni-replica.json"))));
    EXPECT_EQ(s.role, PatroniRole::Replica);
    EXPECT_EQ(s.state, QStringLiteral("running"));
    EXPECT_FALSE(s.walLocation.has_value());
    EXPECT_EQ(s.receivedLocation, 76146448);
    EXPECT_EQ(s.replayedLocation, 76146448);
    EXPECT_EQ(iso(s.replayedTimestamp), QStringLiteral("2026-11-27T00:40:59.973Z"));
    EXPECT_FALSE(s.replayPaused);
    EXPECT_TRUE(s.replication.isEmpty());
    EXPECT_EQ(s.timeline, 1);
}

TEST(PatroniNodeParse, PausedPendingAndScheduledRestart)
{
    EXPECT_TRUE(
        parsedOk(parsePatroniNodeStatus(fixture(QStringLiteral("patroni-leader-paused.json"))))
            .paused);
    const auto pending = parsedOk(
        parsePatroniNodeStatus(fixture(QStringLiteral("patroni-leader-pending-restart.json"))));
    EXPECT_TRUE(pending.pendingRestart);
    EXPECT_TRUE(pending.pendingRestartReason.isEmpty()) << "3.0.2 gives no reason";
    const auto sched = parsedOk(
        parsePatroniNodeStatus(fixture(QStringLiteral("patroni-replica-scheduled-restart.json"))));
    EXPECT_TRUE(sched.pendingRestart);
    EXPECT_EQ(iso(sched.scheduledRestart), QStringLiteral("2026-11-28T00:41:04.000Z"));
}

TEST(PatroniNodeParse, AfterFailover)
{
    const auto n =
        parsedOk(parsePatroniNodeStatus(fixture(QStringLiteral("patroni-new-leader.json"))));
    EXPECT_EQ(n.role, PatroniRole::Leader);
    EXPECT_EQ(n.timeline, 2);
    EXPECT_TRUE(n.replication.isEmpty()) << "no replica streamed yet when recorded";
    const auto old = parsedOk(
        parsePatroniNodeStatus(fixture(QStringLiteral("patroni-old-leader-rejoined.json"))));
    EXPECT_EQ(old.role, PatroniRole::Replica);
    EXPECT_EQ(old.timeline, 2);
}

TEST(PatroniNodeParse, HealthEndpointsAnswerWithTheStatusAndCodesMatchRoles)
{
    // health-/primary-/replica-<member>-<code>.json: the body is the member's status; the code
    // in the name is what Patroni answered. 200 on /primary only for the leader, on /replica
    // only for a running replica, on /health for any running PostgreSQL.
    int seen = 0;
    for (const QString &file : jsonFixtures()) {
        static const QRegularExpression re(
            QStringLiteral("^(health|primary|replica)-(leader|replica)-(\\d{3})\\.json$"));
        const auto m = re.match(file);
        if (!m.hasMatch())
            continue;
        ++seen;
        const auto s = parsedOk(parsePatroniNodeStatus(fixture(file)));
        const QString endpoint = m.captured(1);
        const int code = m.captured(3).toInt();
        bool expectOk = false;
        if (endpoint == QLatin1String("health"))
            expectOk = isRunningState(s.state);
        else if (endpoint == QLatin1String("primary"))
            expectOk = s.role == PatroniRole::Leader;
        else
            expectOk = s.role == PatroniRole::Replica && s.state == QLatin1String("running");
        EXPECT_EQ(code, expectOk ? 200 : 503) << file.toStdString();
        EXPECT_EQ(s.role, m.captured(2) == QLatin1String("leader") ? PatroniRole::Leader
                                                                   : PatroniRole::Replica)
            << file.toStdString();
    }
    EXPECT_EQ(seen, 6);
}

TEST(PatroniHistoryParse, InitialAndAfterFailover)
{
    EXPECT_TRUE(
        parsedOk(parsePatroniHistory(fixture(QStringLiteral("history-initial.json")))).isEmpty());
    const auto h =
        parsedOk(parsePatroniHistory(fixture(QStringLiteral("history-after-failover.json"))));
    ASSERT_EQ(h.size(), 1);
    EXPECT_EQ(h[0].timeline, 1);
    EXPECT_EQ(h[0].lsn, 76146504);
    EXPECT_EQ(h[0].reason, QStringLiteral("no recovery target specified"));
    EXPECT_EQ(iso(h[0].at), QStringLiteral("2026-11-27T00:41:18.239Z"));
    EXPECT_EQ(h[0].newLeader, QStringLiteral("node2"));
}

TEST(PatroniHistoryParse, OlderThreeAndFourElementEntries)
{
    const auto h = parsedOk(parsePatroniHistory(
        R"([[1, 25165984, "no recovery target specified"],
            [2, 50331808, "no recovery target specified", "2019-09-23T16:57:57+02:00"],
            [3, 83886240, "no recovery target specified", "2026-11-27T01:02:03.123456+00:00", null]])"));
    ASSERT_EQ(h.size(), 3);
    EXPECT_FALSE(h[0].at.has_value());
    EXPECT_TRUE(h[0].newLeader.isEmpty());
    EXPECT_EQ(iso(h[1].at), QStringLiteral("2019-09-23T14:57:57.000Z"));
    EXPECT_EQ(h[2].timeline, 3);
    EXPECT_EQ(h[2].lsn, 83886240);
    EXPECT_TRUE(h[2].newLeader.isEmpty());
}

TEST(PatroniConfigParse, RecordedConfigs)
{
    const auto c = parsedOk(parsePatroniConfig(fixture(QStringLiteral("config.json"))));
    EXPECT_EQ(c.ttl, 10);
    EXPECT_EQ(c.loopWait, 2);
    EXPECT_EQ(c.retryTimeout, 4);
    EXPECT_EQ(c.maximumLagOnFailover, 1048576);
    EXPECT_FALSE(c.synchronousMode);
    EXPECT_FALSE(c.synchronousModeStrict);
    EXPECT_FALSE(c.paused);
    EXPECT_EQ(c.postgresqlParameters.value(QStringLiteral("max_connections")).toInt(), 1200);
    EXPECT_EQ(c.postgresqlParameters.value(QStringLiteral("wal_keep_size")).toString(),
              QStringLiteral("128MB"));
    EXPECT_TRUE(c.raw.value(QStringLiteral("postgresql"))
                    .toObject()
                    .value(QStringLiteral("use_slots"))
                    .toBool());

    EXPECT_TRUE(parsedOk(parsePatroniConfig(fixture(QStringLiteral("config-paused.json")))).paused);
    EXPECT_EQ(parsedOk(parsePatroniConfig(fixture(QStringLiteral("config-pending-restart.json"))))
                  .postgresqlParameters.value(QStringLiteral("max_connections"))
                  .toInt(),
              1300);
}

TEST(PatroniConfigParse, ValuesAsTextLikeInYaml)
{
    const auto c = parsedOk(parsePatroniConfig(
        R"({"ttl": "30", "loop_wait": 10, "synchronous_mode": "on", "synchronous_mode_strict": false,
            "pause": "true", "maximum_lag_on_failover": "1048576"})"));
    EXPECT_EQ(c.ttl, 30);
    EXPECT_EQ(c.loopWait, 10);
    EXPECT_TRUE(c.synchronousMode);
    EXPECT_TRUE(c.paused);
    EXPECT_EQ(c.maximumLagOnFailover, 1048576);
    EXPECT_TRUE(c.postgresqlParameters.isEmpty());
    EXPECT_FALSE(parsePatroniConfig(R"({"ttl": "thirty"})").ok());
    EXPECT_FALSE(parsePatroniConfig(R"({"pause": "maybe"})").ok());
}

// ---- shapes of other Patroni versions and legitimate "nothing known" values ---------------

TEST(PatroniVersions, NewerPrimaryAndStreamingAreAccepted)
{
    // Patroni 3.1+/4.x: "primary" and "streaming", extra lag fields, pending_restart_reason.
    const auto c = parsedOk(parsePatroniCluster(R"({"members": [
        {"name": "a", "role": "primary", "state": "running", "api_url": "https://10.0.0.1:8008/patroni",
         "host": "10.0.0.1", "port": 5432, "timeline": 7, "tags": {"nofailover": true}},
        {"name": "b", "role": "sync_standby", "state": "streaming", "host": "10.0.0.2", "port": 5432,
         "timeline": 7, "receive_lag": 0, "replay_lag": 16, "lsn": "0/5000060", "lag": 16,
         "tags": {"noloadbalance": "true"}},
        {"name": "c", "role": "replica", "state": "in archive recovery", "timeline": null, "lag": "unknown"},
        {"name": "d", "role": "standby_leader", "state": "stopped"},
        {"name": "e", "role": "quorum_standby", "state": "streaming"},
        {"name": "f", "role": "something new", "state": "creating replica"}]})"));
    ASSERT_EQ(c.members.size(), 6);
    EXPECT_EQ(c.members[0].role, PatroniRole::Leader);
    EXPECT_EQ(c.leader()->name, QStringLiteral("a"));
    EXPECT_TRUE(c.members[0].noFailover());
    EXPECT_EQ(c.members[0].apiBaseUrl(), QUrl(QStringLiteral("https://10.0.0.1:8008")));
    EXPECT_EQ(c.members[1].role, PatroniRole::SyncStandby);
    EXPECT_TRUE(isHealthyReplicaState(c.members[1].state));
    EXPECT_TRUE(c.members[1].noLoadBalance());
    EXPECT_EQ(c.members[1].lagBytes, 16);
    EXPECT_FALSE(c.members[2].timeline.has_value()) << "\"timeline\": null";
    EXPECT_FALSE(c.members[2].lagBytes.has_value()) << "\"lag\": \"unknown\"";
    EXPECT_TRUE(isRunningState(c.members[2].state));
    EXPECT_FALSE(isHealthyReplicaState(c.members[2].state));
    EXPECT_EQ(c.members[3].role, PatroniRole::StandbyLeader);
    EXPECT_FALSE(isRunningState(c.members[3].state));
    EXPECT_EQ(c.members[4].role, PatroniRole::SyncStandby);
    EXPECT_EQ(c.members[5].role, PatroniRole::Unknown);
    EXPECT_TRUE(c.members[5].apiBaseUrl().isEmpty());

    const auto s = parsedOk(parsePatroniNodeStatus(R"({"state": "streaming", "role": "replica",
        "server_version": 160002, "xlog": {"received_location": 10, "replayed_location": 9,
        "replayed_timestamp": null, "paused": true}, "timeline": 3, "pending_restart": true,
        "pending_restart_reason": {"max_connections": {"old_value": "100", "new_value": "200"}},
        "dcs_last_seen": 1795740060, "cluster_unlocked": true, "database_system_identifier": "1",
        "patroni": {"version": "4.0.4", "scope": "x", "name": "b"}})"));
    EXPECT_EQ(s.role, PatroniRole::Replica);
    EXPECT_TRUE(isHealthyReplicaState(s.state));
    EXPECT_FALSE(s.replayedTimestamp.has_value());
    EXPECT_TRUE(s.replayPaused);
    EXPECT_TRUE(s.clusterUnlocked);
    EXPECT_EQ(s.pendingRestartReason, QStringLiteral("max_connections: 100 → 200"));
    EXPECT_EQ(s.patroniVersion, QStringLiteral("4.0.4"));

    const auto primary =
        parsedOk(parsePatroniNodeStatus(R"({"state": "running", "role": "primary"})"));
    EXPECT_EQ(primary.role, PatroniRole::Leader);
    // PostgreSQL down: Patroni sends only state and role.
    const auto down =
        parsedOk(parsePatroniNodeStatus(R"({"state": "stopped", "role": "uninitialized"})"));
    EXPECT_EQ(down.role, PatroniRole::Unknown);
    EXPECT_FALSE(down.timeline.has_value());
}

TEST(PatroniRoles, SpellingsAndNames)
{
    EXPECT_EQ(parsePatroniRole(QStringLiteral("master")), PatroniRole::Leader);
    EXPECT_EQ(parsePatroniRole(QStringLiteral("primary")), PatroniRole::Leader);
    EXPECT_EQ(parsePatroniRole(QStringLiteral("Leader")), PatroniRole::Leader);
    EXPECT_EQ(parsePatroniRole(QStringLiteral("standby-leader")), PatroniRole::StandbyLeader);
    EXPECT_EQ(parsePatroniRole(QStringLiteral("Sync Standby")), PatroniRole::SyncStandby);
    EXPECT_EQ(parsePatroniRole(QStringLiteral("replica")), PatroniRole::Replica);
    EXPECT_EQ(parsePatroniRole(QString()), PatroniRole::Unknown);
    EXPECT_EQ(roleName(PatroniRole::Leader), QStringLiteral("Leader"));
    EXPECT_EQ(roleName(PatroniRole::SyncStandby), QStringLiteral("Sync Standby"));
    EXPECT_EQ(roleName(PatroniRole::StandbyLeader), QStringLiteral("Standby Leader"));
    EXPECT_EQ(roleName(PatroniRole::Replica), QStringLiteral("Replica"));
    EXPECT_TRUE(isHealthyReplicaState(QStringLiteral("running")));
    EXPECT_TRUE(isHealthyReplicaState(QStringLiteral("streaming")));
    EXPECT_FALSE(isHealthyReplicaState(QStringLiteral("starting")));
    EXPECT_FALSE(isRunningState(QStringLiteral("crashed")));
}

TEST(PatroniTimestamps, FormatsPatroniAndPostgresEmit)
{
    const auto p = [](const char *s) {
        return iso(parsePatroniTimestamp(QString::fromLatin1(s)));
    };
    EXPECT_EQ(p("2026-11-27 01:02:03.123456+00:00"), QStringLiteral("2026-11-27T01:02:03.123Z"));
    EXPECT_EQ(p("2026-11-27T01:02:03.123456+00:00"), QStringLiteral("2026-11-27T01:02:03.123Z"));
    EXPECT_EQ(p("2026-11-27T01:02:03+02:00"), QStringLiteral("2026-11-26T23:02:03.000Z"));
    EXPECT_EQ(p("2026-11-27T01:02:03-0530"), QStringLiteral("2026-11-27T06:32:03.000Z"));
    EXPECT_EQ(p("2026-11-27 01:02:03.5+01"), QStringLiteral("2026-11-27T00:02:03.500Z"));
    EXPECT_EQ(p("2026-11-27T01:02:03Z"), QStringLiteral("2026-11-27T01:02:03.000Z"));
    EXPECT_EQ(p("2026-11-27T01:02:03.123456789Z"), QStringLiteral("2026-11-27T01:02:03.123Z"));
    EXPECT_EQ(p("2026-11-27 01:02:03"), QStringLiteral("2026-11-27T01:02:03.000Z"))
        << "no offset: UTC";
    EXPECT_EQ(p("2026-11-27T01:02"), QStringLiteral("2026-11-27T01:02:00.000Z"));
    EXPECT_EQ(p("2026-11-27"), QStringLiteral("2026-11-27T00:00:00.000Z"));
    for (const char *bad : {"", "yesterday", "2026-13-01 00:00:00", "2026-11-27 25:00:00",
                            "2026-11-27T01:02:03+25:00", "2026-11-27T01:02:03 junk", "1795740060"})
        EXPECT_FALSE(parsePatroniTimestamp(QString::fromLatin1(bad)).has_value()) << bad;
}

// ---- broken input: a Parse error that says what is wrong, never a crash -----------------

TEST(PatroniParseErrors, ClearMessages)
{
    const auto notJson = parsePatroniCluster("{\"members\": [");
    ASSERT_FALSE(notJson.ok());
    EXPECT_EQ(notJson.error().kind, ServiceError::Kind::Parse);
    EXPECT_EQ(notJson.error().what, QStringLiteral("GET /cluster"));
    EXPECT_TRUE(notJson.error().message.contains(QStringLiteral("at byte")))
        << notJson.error().message.toStdString();

    const auto empty = parsePatroniNodeStatus("");
    ASSERT_FALSE(empty.ok());
    EXPECT_TRUE(empty.error().message.contains(QStringLiteral("empty")));

    const auto html = parsePatroniCluster("<html><body>502 Bad Gateway</body></html>");
    ASSERT_FALSE(html.ok());
    EXPECT_TRUE(html.error().message.contains(QStringLiteral("HTML")));

    const auto notArray = parsePatroniCluster(R"({"members": {"name": "node1"}})");
    ASSERT_FALSE(notArray.ok());
    EXPECT_EQ(notArray.error().message,
              QStringLiteral("members should be a list, but it is an object."));

    const auto noMembers = parsePatroniCluster(R"({"pause": true})");
    ASSERT_FALSE(noMembers.ok());
    EXPECT_EQ(noMembers.error().message,
              QStringLiteral("members should be a list, but it is missing."));

    const auto noName = parsePatroniCluster(R"({"members": [{"name": "a"}, {"role": "leader"}]})");
    ASSERT_FALSE(noName.ok());
    EXPECT_EQ(noName.error().message,
              QStringLiteral("members[1].name should be a text, but it is missing."));

    const auto emptyName = parsePatroniCluster(R"({"members": [{"name": " "}]})");
    ASSERT_FALSE(emptyName.ok());

    const auto badLag = parsePatroniCluster(R"({"members": [{"name": "a", "lag": "lots"}]})");
    ASSERT_FALSE(badLag.ok());
    EXPECT_EQ(
        badLag.error().message,
        QStringLiteral("members[0].lag should be a whole number, but it is a text (\"lots\")."));

    const auto fraction = parsePatroniCluster(R"({"members": [{"name": "a", "timeline": 1.5}]})");
    ASSERT_FALSE(fraction.ok());
    EXPECT_TRUE(fraction.error().message.contains(QStringLiteral("members[0].timeline")));

    const auto badTime =
        parsePatroniNodeStatus(R"({"state": "running", "postmaster_start_time": "soon"})");
    ASSERT_FALSE(badTime.ok());
    EXPECT_TRUE(badTime.error().message.startsWith(
        QStringLiteral("postmaster_start_time should be a timestamp")));

    const auto shortEntry = parsePatroniHistory(R"([[1, 2]])");
    ASSERT_FALSE(shortEntry.ok());
    EXPECT_TRUE(shortEntry.error().message.contains(QStringLiteral("Entry 0")));

    const auto wrongShape = parsePatroniHistory(fixture(QStringLiteral("cluster.json")));
    ASSERT_FALSE(wrongShape.ok());
    EXPECT_EQ(wrongShape.error().message,
              QStringLiteral("The answer should be a list, but it is an object."));

    const auto switchoverWithoutTime =
        parsePatroniCluster(R"({"members": [], "scheduled_switchover": {"from": "a"}})");
    ASSERT_FALSE(switchoverWithoutTime.ok());
    EXPECT_TRUE(
        switchoverWithoutTime.error().message.contains(QStringLiteral("scheduled_switchover.at")));
}

TEST(PatroniParseErrors, EveryTruncationOfEveryFixtureIsAParseError)
{
    int checked = 0;
    for (const QString &file : jsonFixtures()) {
        const QByteArray body = fixture(file).trimmed();
        const Shape shape = shapeOf(file);
        ASSERT_FALSE(parseAs(shape, body).isError()) << file.toStdString();
        for (int cut = 0; cut < body.size(); ++cut) {
            const ServiceError e = parseAs(shape, body.left(cut));
            ASSERT_EQ(e.kind, ServiceError::Kind::Parse)
                << file.toStdString() << " cut at " << cut << " of " << body.size();
            ASSERT_FALSE(e.message.isEmpty());
            ++checked;
        }
    }
    EXPECT_GT(checked, 5000);
}

TEST(PatroniParseErrors, EveryKnownFieldWithAWrongTypeIsAParseError)
{
    int corrupted = 0, ignored = 0;
    for (const QString &file : jsonFixtures()) {
        const Shape shape = shapeOf(file);
        const QJsonValue root = rootOf(fixture(file));
        QList<JsonPath> paths;
        collectPaths(root, {}, &paths);
        const QStringList known = knownFields(shape);
        for (const JsonPath &path : paths) {
            QJsonValue original = root;
            for (const QString &step : path.steps) {
                original = step.startsWith(QLatin1Char('['))
                               ? original.toArray().at(step.mid(1, step.size() - 2).toInt())
                               : original.toObject().value(step);
            }
            const QByteArray broken = serialize(edit(root, path.steps, wrongKind(original), false));
            const ServiceError e = parseAs(shape, broken);
            if (known.contains(path.pattern())) {
                EXPECT_EQ(e.kind, ServiceError::Kind::Parse)
                    << file.toStdString() << ": " << path.text().toStdString() << " -> "
                    << broken.toStdString();
                if (shape != Shape::History) {
                    EXPECT_TRUE(e.message.startsWith(path.steps.first()))
                        << path.text().toStdString() << ": " << e.message.toStdString();
                }
                ++corrupted;
            } else {
                EXPECT_FALSE(e.isError())
                    << "a field the parser does not read must not matter: " << file.toStdString()
                    << ": " << path.text().toStdString() << ": " << e.message.toStdString();
                ++ignored;
            }
        }
    }
    EXPECT_GT(corrupted, 300);
    EXPECT_GT(ignored, 50);
}

TEST(PatroniParseErrors, RequiredFieldsRemoved)
{
    const QJsonValue cluster = rootOf(fixture(QStringLiteral("cluster.json")));
    for (int i = 0; i < 3; ++i) {
        const auto r = parsePatroniCluster(serialize(
            edit(cluster,
                 {QStringLiteral("members"), QStringLiteral("[%1]").arg(i), QStringLiteral("name")},
                 {}, true)));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message,
                  QStringLiteral("members[%1].name should be a text, but it is missing.").arg(i));
    }
    const auto noState = parsePatroniNodeStatus(
        serialize(edit(rootOf(fixture(QStringLiteral("patroni-leader.json"))),
                       {QStringLiteral("state")}, {}, true)));
    ASSERT_FALSE(noState.ok());
    EXPECT_EQ(noState.error().message,
              QStringLiteral("state should be a text, but it is missing."));
    // Optional fields removed: still fine.
    const auto noLag = parsePatroniCluster(serialize(
        edit(cluster, {QStringLiteral("members"), QStringLiteral("[1]"), QStringLiteral("lag")}, {},
             true)));
    ASSERT_TRUE(noLag.ok());
    EXPECT_FALSE(noLag.value().members[1].lagBytes.has_value());
}

TEST(PatroniParseErrors, GarbageNeverCrashes)
{
    QRandomGenerator rng(20261127); // fixed seed: the same bytes every run
    const QByteArray base = fixture(QStringLiteral("patroni-leader.json"));
    for (int round = 0; round < 2000; ++round) {
        QByteArray b = base;
        const int flips = 1 + int(rng.bounded(8));
        for (int i = 0; i < flips; ++i)
            b[int(rng.bounded(b.size()))] = char(rng.bounded(256));
        // Whatever the bytes, the parsers answer (value or Parse error) and do not crash.
        for (Shape s : {Shape::Cluster, Shape::Node, Shape::History, Shape::Config}) {
            const ServiceError e = parseAs(s, b);
            if (e.isError()) {
                EXPECT_EQ(e.kind, ServiceError::Kind::Parse);
                EXPECT_FALSE(e.message.isEmpty());
            }
        }
    }
}
