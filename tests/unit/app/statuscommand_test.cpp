// `vigil status` without a cluster: argument parsing, the table and report, the exit codes.
#include "app/commands/statuscommand.h"
#include "services/monitor/findings.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <gtest/gtest.h>

using vigil::app::StatusCommand;
using namespace vigil::services;
using vigil::test::failedChannel;
using vigil::test::healthyOnDefaultPorts;
using vigil::test::memberNamed;

namespace {

StatusCommand::Parsed parse(QStringList args, const QString &restPassword = {})
{
    args.prepend(QStringLiteral("vigil"));
    return StatusCommand::parse(args, restPassword);
}

ClusterSnapshot withFindings(ClusterSnapshot s)
{
    s.findings = deriveFindings(s);
    return s;
}

// The table row of one member, split into trimmed cells.
QStringList rowOf(const QString &table, const QString &member)
{
    for (const QString &line : table.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QStringLiteral("| ") + member + QLatin1Char(' ')))
            continue;
        QStringList cells = line.split(QLatin1Char('|'));
        cells.removeFirst();
        cells.removeLast();
        for (auto &c : cells)
            c = c.trimmed();
        return cells;
    }
    return {};
}

} // namespace

TEST(StatusExitCode, FollowsNagios)
{
    auto s = withFindings(healthyOnDefaultPorts());
    EXPECT_EQ(StatusCommand::exitCode(s), 0);

    auto w = healthyOnDefaultPorts();
    memberNamed(w, QStringLiteral("node2")).pendingRestart = true;
    EXPECT_EQ(StatusCommand::exitCode(withFindings(w)), 1);

    auto c = healthyOnDefaultPorts();
    memberNamed(c, QStringLiteral("node1")).role = PatroniRole::Replica; // no leader
    EXPECT_EQ(StatusCommand::exitCode(withFindings(c)), 2);

    auto u = healthyOnDefaultPorts();
    memberNamed(u, QStringLiteral("node2")).sql =
        failedChannel(ChannelStatus::State::Unreachable, ServiceError::Kind::Auth,
                      QStringLiteral("password authentication failed"));
    EXPECT_EQ(StatusCommand::exitCode(withFindings(u)), 3) << "Vigil's own login refused";
}

TEST(StatusExitCode, NothingReachableIsUnknownEvenWithCriticalFindings)
{
    auto s = healthyOnDefaultPorts();
    s.discovery = failedChannel(ChannelStatus::State::Unreachable, ServiceError::Kind::Connect,
                                QStringLiteral("Connection refused"));
    for (auto &m : s.members) {
        m.rest = s.discovery;
        m.sql = s.discovery;
    }
    s.haproxy.channel = s.discovery; // HAProxy down too: a CRITICAL finding
    s = withFindings(s);
    EXPECT_EQ(s.worstSeverity(), Finding::Severity::Critical);
    EXPECT_EQ(StatusCommand::exitCode(s), 3);
    EXPECT_EQ(StatusCommand::exitCode(ClusterSnapshot{}), 3);
}

TEST(StatusTable, LooksLikePatronictlListExtended)
{
    auto s = healthyOnDefaultPorts();
    auto &n3 = memberNamed(s, QStringLiteral("node3"));
    n3.rest = failedChannel(ChannelStatus::State::Unresponsive, ServiceError::Kind::Timeout,
                            QStringLiteral("no answer"));
    n3.sql = n3.rest;
    n3.lagBytes = 3 * 1024 * 1024;
    n3.replayLagBytes = 4096;
    n3.replayLagSeconds = 0.25;
    n3.pendingRestart = true;
    n3.tags = {{QStringLiteral("nofailover"), true}, {QStringLiteral("clonefrom"), false}};
    const QString table = StatusCommand::formatTable(withFindings(s));

    const QStringList lines = table.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 3 + 3 + 1); // rule, header, rule, 3 rows, rule
    EXPECT_TRUE(lines.first().startsWith(QLatin1String("+-")));
    for (const char *h : {"Member", "Host", "Role", "State", "TL", "Lag in MB", "Pending restart",
                          "Tags", "REST", "SQL", "Replay lag", "Replay lag s"})
        EXPECT_TRUE(lines[1].contains(QLatin1String(h))) << h;
    for (const auto &l : lines)
        EXPECT_EQ(l.size(), lines.first().size()) << "aligned: " << l.toStdString();

    const QStringList leader = rowOf(table, QStringLiteral("node1"));
    ASSERT_EQ(leader.size(), 12) << table.toStdString();
    EXPECT_EQ(leader[1], QStringLiteral("127.0.0.1:5432"));
    EXPECT_EQ(leader[2], roleName(PatroniRole::Leader));
    EXPECT_EQ(leader[3], QStringLiteral("running"));
    EXPECT_EQ(leader[4], QStringLiteral("1"));
    EXPECT_EQ(leader[5], QString()) << "no lag column for the leader";
    EXPECT_EQ(leader[8], QStringLiteral("ok 2 ms"));
    EXPECT_EQ(leader[9], QStringLiteral("ok 4 ms"));
    EXPECT_EQ(leader[10], QString());

    const QStringList r2 = rowOf(table, QStringLiteral("node2"));
    EXPECT_EQ(r2[2], roleName(PatroniRole::Replica));
    EXPECT_EQ(r2[5], QStringLiteral("0"));
    EXPECT_EQ(r2[10], QStringLiteral("0 B"));
    EXPECT_EQ(r2[11], QStringLiteral("0.000"));

    const QStringList r3 = rowOf(table, QStringLiteral("node3"));
    EXPECT_EQ(r3[5], QStringLiteral("3"));
    EXPECT_EQ(r3[6], QStringLiteral("*"));
    EXPECT_EQ(r3[7], QStringLiteral("nofailover"));
    EXPECT_EQ(r3[8], QStringLiteral("no answer"));
    EXPECT_EQ(r3[9], QStringLiteral("no answer"));
    EXPECT_EQ(r3[10], QStringLiteral("4096 B"));
    EXPECT_EQ(r3[11], QStringLiteral("0.250"));
}

TEST(StatusReport, HealthyCluster)
{
    const QString r = StatusCommand::formatReport(withFindings(healthyOnDefaultPorts()));
    EXPECT_TRUE(r.startsWith(QLatin1String("Cluster: hokm-ha (7712644285138852758)")))
        << r.toStdString();
    EXPECT_TRUE(r.contains(QLatin1String("leader node1")));
    EXPECT_TRUE(r.contains(QLatin1String("HAProxy: read-write backend rw routes to node1")));
    EXPECT_TRUE(r.contains(QLatin1String("PgBouncer: 1 pool(s), 2 active client(s), 0 waiting")));
    EXPECT_TRUE(r.contains(QLatin1String("Findings: none.")));
    EXPECT_TRUE(r.endsWith(QLatin1String("Status: OK\n")));
    EXPECT_FALSE(r.contains(QLatin1Char('\033'))) << "no terminal escapes in the report";
}

TEST(StatusReport, FindingsAndUnconfiguredParts)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node3")).sql =
        failedChannel(ChannelStatus::State::Unresponsive, ServiceError::Kind::Timeout,
                      QStringLiteral("no answer within 2000 ms"));
    s.haproxy = {};
    s.pgbouncer.channel =
        failedChannel(ChannelStatus::State::Unreachable, ServiceError::Kind::Connect,
                      QStringLiteral("Connection refused"));
    const QString r = StatusCommand::formatReport(withFindings(s));
    EXPECT_TRUE(r.contains(QLatin1String("HAProxy: not configured")));
    EXPECT_TRUE(r.contains(QLatin1String("PgBouncer: admin console not readable")));
    EXPECT_TRUE(r.contains(QLatin1String("Connection refused")));
    EXPECT_TRUE(r.contains(QLatin1String("CRITICAL pgbouncer_unreachable")));
    EXPECT_TRUE(r.contains(QLatin1String("WARNING  member_unresponsive")));
    EXPECT_LT(r.indexOf(QLatin1String("CRITICAL")), r.indexOf(QLatin1String("WARNING  member")));
    EXPECT_TRUE(r.endsWith(QLatin1String("Status: CRITICAL\n")));
}

TEST(StatusJson, IsTheSnapshotSchema)
{
    const QByteArray text = StatusCommand::formatJson(withFindings(healthyOnDefaultPorts()));
    const QJsonObject o = QJsonDocument::fromJson(text).object();
    EXPECT_EQ(o.value(QStringLiteral("schema")).toString(), QStringLiteral("vigil.status/1"));
    EXPECT_GT(text.count('\n'), 10);
    const QByteArray compact =
        StatusCommand::formatJson(withFindings(healthyOnDefaultPorts()), true);
    EXPECT_EQ(compact.count('\n'), 0) << "--watch --json prints JSON Lines";
}

TEST(StatusArguments, Minimal)
{
    const auto p = parse({QStringLiteral("--patroni"), QStringLiteral("http://127.0.0.1:8008")});
    ASSERT_TRUE(p.options) << p.output.toStdString();
    const auto &o = *p.options;
    EXPECT_EQ(o.profile.patroniUrl, QUrl(QStringLiteral("http://127.0.0.1:8008")));
    EXPECT_EQ(o.profile.sqlConninfo, QStringLiteral("dbname=postgres"));
    EXPECT_TRUE(o.profile.haproxyStatsUrl.isEmpty());
    EXPECT_TRUE(o.profile.pgbouncerConninfo.isEmpty());
    EXPECT_FALSE(o.json);
    EXPECT_FALSE(o.watchSeconds);
    EXPECT_LE(o.profile.memberDeadlineMs, 2500) << "a one-shot status ends within ~3 s";
}

TEST(StatusArguments, Everything)
{
    const auto p = parse({QStringLiteral("--patroni"),
                          QStringLiteral("127.0.0.1:8008"),
                          QStringLiteral("--dbname"),
                          QStringLiteral("my db"),
                          QStringLiteral("--user"),
                          QStringLiteral("o'brien"),
                          QStringLiteral("--sql"),
                          QStringLiteral("sslmode=disable"),
                          QStringLiteral("--haproxy-stats"),
                          QStringLiteral("http://127.0.0.1:7000/;csv"),
                          QStringLiteral("--haproxy-backend"),
                          QStringLiteral("rw"),
                          QStringLiteral("--pgbouncer"),
                          QStringLiteral("port=6432 dbname=pgbouncer"),
                          QStringLiteral("--rest-user"),
                          QStringLiteral("patroni"),
                          QStringLiteral("--timeout"),
                          QStringLiteral("1500"),
                          QStringLiteral("--json"),
                          QStringLiteral("--watch"),
                          QStringLiteral("5")},
                         QStringLiteral("s3cret"));
    ASSERT_TRUE(p.options) << p.output.toStdString();
    const auto &o = *p.options;
    EXPECT_EQ(o.profile.patroniUrl.toString(), QStringLiteral("http://127.0.0.1:8008"));
    EXPECT_EQ(o.profile.sqlConninfo,
              QStringLiteral("sslmode=disable dbname='my db' user='o\\'brien'"));
    EXPECT_EQ(o.profile.haproxyStatsUrl.toString(), QStringLiteral("http://127.0.0.1:7000/;csv"));
    EXPECT_EQ(o.profile.haproxyReadWriteBackend, QStringLiteral("rw"));
    EXPECT_EQ(o.profile.pgbouncerConninfo, QStringLiteral("port=6432 dbname=pgbouncer"));
    EXPECT_EQ(o.profile.restUser, QStringLiteral("patroni"));
    EXPECT_EQ(o.secrets.restPassword, QStringLiteral("s3cret"));
    EXPECT_EQ(o.profile.memberDeadlineMs, 1500);
    EXPECT_TRUE(o.json);
    ASSERT_TRUE(o.watchSeconds);
    EXPECT_DOUBLE_EQ(*o.watchSeconds, 5.0);
    EXPECT_EQ(o.profile.stateIntervalMs, 5000);
}

TEST(StatusArguments, SeveralPatroniUrls)
{
    const auto p = parse({QStringLiteral("--patroni"), QStringLiteral("http://a:8008"),
                          QStringLiteral("--patroni"), QStringLiteral("http://b:8008"),
                          QStringLiteral("--patroni"), QStringLiteral("c:8008")});
    ASSERT_TRUE(p.options) << p.output.toStdString();
    EXPECT_EQ(p.options->profile.patroniUrl, QUrl(QStringLiteral("http://a:8008")));
    EXPECT_EQ(p.options->profile.patroniFallbackUrls,
              (QList<QUrl>{QUrl(QStringLiteral("http://b:8008")),
                           QUrl(QStringLiteral("http://c:8008"))}));
    EXPECT_FALSE(parse({QStringLiteral("--patroni"), QStringLiteral("http://a:8008"),
                        QStringLiteral("--patroni"), QStringLiteral("gopher://b")})
                     .options);
}

TEST(StatusArguments, WatchWithoutSeconds)
{
    auto p = parse(
        {QStringLiteral("--watch"), QStringLiteral("--patroni"), QStringLiteral("http://h:8008")});
    ASSERT_TRUE(p.options) << p.output.toStdString();
    ASSERT_TRUE(p.options->watchSeconds);
    EXPECT_GT(*p.options->watchSeconds, 0);
    p = parse(
        {QStringLiteral("--patroni"), QStringLiteral("http://h:8008"), QStringLiteral("--watch")});
    ASSERT_TRUE(p.options && p.options->watchSeconds);
}

TEST(StatusArguments, ErrorsAreUnknownWithAClearMessage)
{
    struct Case
    {
        QStringList args;
        const char *says;
    };
    const QList<Case> cases = {
        {{}, "--patroni"},
        {{QStringLiteral("--profile"), QStringLiteral("prod")},
         "no saved cluster profile named 'prod'"},
        {{QStringLiteral("--patroni"), QStringLiteral("ftp://x")}, "not a valid Patroni REST URL"},
        {{QStringLiteral("--patroni"), QStringLiteral("http://u:pw@h:8008")},
         "VIGIL_REST_PASSWORD"},
        {{QStringLiteral("--patroni"), QStringLiteral("http://h:8008"), QStringLiteral("--sql"),
          QStringLiteral("user=a password=b")},
         "password"},
        {{QStringLiteral("--patroni"), QStringLiteral("http://h:8008"),
          QStringLiteral("--pgbouncer"), QStringLiteral("postgresql://a:b@h:6432/pgbouncer")},
         "password"},
        {{QStringLiteral("--patroni"), QStringLiteral("http://h:8008"), QStringLiteral("--timeout"),
          QStringLiteral("soon")},
         "--timeout"},
        {{QStringLiteral("--patroni"), QStringLiteral("http://h:8008"),
          QStringLiteral("--watch=0")},
         "--watch"},
        {{QStringLiteral("--patroni"), QStringLiteral("http://h:8008"), QStringLiteral("--bogus")},
         "bogus"},
        {{QStringLiteral("--patroni"), QStringLiteral("http://h:8008"), QStringLiteral("extra")},
         "extra"},
    };
    for (const auto &c : cases) {
        const auto p = parse(c.args);
        EXPECT_FALSE(p.options) << c.args.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(p.exitCode, 3);
        EXPECT_TRUE(p.toStderr);
        EXPECT_TRUE(p.output.startsWith(QLatin1String("vigil status: ")));
        EXPECT_TRUE(p.output.contains(QLatin1String(c.says)))
            << c.says << " not in: " << p.output.toStdString();
    }
}

TEST(StatusArguments, Help)
{
    const auto p = parse({QStringLiteral("--help")});
    EXPECT_FALSE(p.options);
    EXPECT_EQ(p.exitCode, 0);
    EXPECT_FALSE(p.toStderr);
    EXPECT_TRUE(p.output.startsWith(QLatin1String("Usage: vigil status")));
    for (const char *opt :
         {"--patroni", "--profile", "--dbname", "--user", "--sql", "--haproxy-stats", "--pgbouncer",
          "--rest-user", "--timeout", "--json", "--watch", "VIGIL_REST_PASSWORD"})
        EXPECT_TRUE(p.output.contains(QLatin1String(opt))) << opt;
}

TEST(StatusArguments, PasswordDetection)
{
    EXPECT_TRUE(StatusCommand::conninfoHasPassword(QStringLiteral("password=x")));
    EXPECT_TRUE(StatusCommand::conninfoHasPassword(QStringLiteral("host=h  password = 'x'")));
    EXPECT_TRUE(StatusCommand::conninfoHasPassword(QStringLiteral("postgresql://u:p@h/db")));
    EXPECT_TRUE(StatusCommand::conninfoHasPassword(QStringLiteral("postgres://h/db?password=p")));
    EXPECT_FALSE(StatusCommand::conninfoHasPassword(QStringLiteral("host=h passfile=/x/pgpass")));
    EXPECT_FALSE(StatusCommand::conninfoHasPassword(QStringLiteral("service=prod")));
    EXPECT_FALSE(StatusCommand::conninfoHasPassword(QStringLiteral("postgresql://u@h/db")));
}
