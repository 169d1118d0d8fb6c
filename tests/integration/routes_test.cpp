// Where PgBouncer's clients land, proven against the real sandbox: every database's route
// (through PgBouncer) and HAProxy's ports (directly) reach the member they should; on the
// production shape hokm_game_ro reaches a replica; the '*' fallback is probed through a database
// only it serves, chosen from the primary's list even when the replicas lag behind it; and a
// read-write database pointed at HAProxy's read-only port (pgbouncer.ini edited, RELOAD, then
// restored) is a CRITICAL finding naming the database, port and member.
#include "services/monitor/clustermonitor.h"
#include "services/proxies/pgbouncerclient.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"
#include "support/sandboxprofile.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <functional>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::Sandbox;
using vigil::test::waitUntil;

namespace {

using vigil::test::Cleanup;

bool productionShape()
{
    return qEnvironmentVariable("VIGIL_SANDBOX_SHAPE") == QLatin1String("production");
}

// Generous on a loaded machine: the first cycle opens a connection per route.
ClusterProfile sandboxProfile()
{
    return vigil::test::sandboxProfile(QStringLiteral("sandbox"), 8000);
}

// One cycle of a fresh monitor, as `vigil status` runs it.
ClusterSnapshotPtr pollOnce()
{
    QNetworkAccessManager nam;
    ClusterMonitor monitor(&nam, sandboxProfile());
    ClusterSnapshotPtr snap;
    QObject::connect(&monitor, &ClusterMonitor::snapshotReady,
                     [&](ClusterSnapshotPtr s) { snap = s; });
    monitor.pollOnce();
    waitUntil([&] { return snap != nullptr; }, 30000);
    return snap;
}

const ClientRoute *route(const ClusterSnapshot &s, ClientRoute::Kind kind, const QString &name)
{
    for (const ClientRoute &r : s.pgbouncer.routes)
        if (r.kind == kind && r.name == name)
            return &r;
    return nullptr;
}

std::string describe(const ClusterSnapshot &s)
{
    std::string out;
    for (const ClientRoute &r : s.pgbouncer.routes)
        out += routeKindName(r.kind).toStdString() + " " + r.name.toStdString() + " via " +
               r.address().toStdString() + " probed as " + r.probedAs.toStdString() + ": " +
               (r.answered() ? (r.landingText() + QStringLiteral(" → ") + r.member).toStdString()
                             : (r.error.toText() + r.note).toStdString()) +
               "\n";
    for (const Finding &f : s.findings)
        out += severityName(f.severity).toStdString() + " " + f.message.toStdString() + "\n";
    return out;
}

// psql as the superuser against a sandbox target (rw, node1, …); true when it succeeded.
bool psqlOn(const QString &target, const QString &sql)
{
    QString out;
    return Sandbox::run({QStringLiteral("psql"), target, QStringLiteral("-X"), QStringLiteral("-q"),
                         QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                         QStringLiteral("-c"), sql},
                        &out, 30000) == 0;
}

bool psqlRw(const QString &sql)
{
    return psqlOn(QStringLiteral("rw"), sql);
}

// RELOAD on PgBouncer's admin console (service vigil-bouncer-admin).
bool reloadBouncer()
{
    PgBouncerClient admin;
    PgConnectionSettings cs;
    cs.conninfo = QStringLiteral("service=vigil-bouncer-admin");
    admin.open(cs);
    std::optional<ServiceError> result;
    admin.session()->execSimple(QStringLiteral("RELOAD"),
                                [&](const PgResult &, const ServiceError &e) { result = e; });
    waitUntil([&] { return result.has_value(); }, 10000);
    return result && !result->isError();
}

} // namespace

TEST(Routes, EveryRouteLandsWhereItShould)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    const ClusterSnapshotPtr snap = pollOnce();
    ASSERT_TRUE(snap);
    const MemberSnapshot *leader = snap->leader();
    ASSERT_TRUE(leader) << describe(*snap);
    for (const char *name : {"hokm_game", "postgres"}) {
        const ClientRoute *r = route(*snap, ClientRoute::Kind::Database, QLatin1String(name));
        ASSERT_TRUE(r) << name << "\n" << describe(*snap);
        ASSERT_TRUE(r->answered()) << name << "\n" << describe(*snap);
        EXPECT_FALSE(*r->inRecovery) << name;
        EXPECT_EQ(r->member, leader->name) << name << "\n" << describe(*snap);
        EXPECT_EQ(r->port, Sandbox::rwPort());
    }
    const QString rw = QStringLiteral("127.0.0.1:%1").arg(Sandbox::rwPort());
    const ClientRoute *rwPort = route(*snap, ClientRoute::Kind::Address, rw);
    ASSERT_TRUE(rwPort && rwPort->answered()) << describe(*snap);
    EXPECT_EQ(rwPort->member, leader->name);
    EXPECT_EQ(rwPort->intent, ClientRoute::Intent::ReadWrite);

    const ClientRoute *ro =
        route(*snap, ClientRoute::Kind::Database, QStringLiteral("hokm_game_ro"));
    if (productionShape()) {
        ASSERT_TRUE(ro && ro->answered()) << describe(*snap);
        EXPECT_TRUE(*ro->inRecovery);
        EXPECT_EQ(ro->port, Sandbox::roPort());
        EXPECT_FALSE(ro->member.isEmpty()) << describe(*snap);
        EXPECT_NE(ro->member, leader->name);
        const ClientRoute *roPort = route(*snap, ClientRoute::Kind::Address,
                                          QStringLiteral("127.0.0.1:%1").arg(Sandbox::roPort()));
        ASSERT_TRUE(roPort && roPort->answered()) << describe(*snap);
        EXPECT_EQ(roPort->intent, ClientRoute::Intent::ReadOnly);
        EXPECT_TRUE(*roPort->inRecovery);
    } else {
        EXPECT_FALSE(ro) << describe(*snap);
    }
    // Every database on the server has its own entry: the fallback is said not to be probed.
    const ClientRoute *fallback = route(*snap, ClientRoute::Kind::Fallback, QStringLiteral("*"));
    ASSERT_TRUE(fallback);
    EXPECT_TRUE(fallback->probedAs.isEmpty()) << describe(*snap);
    EXPECT_FALSE(fallback->note.isEmpty());
    for (const Finding &f : snap->findings)
        EXPECT_NE(f.code, Finding::Code::RoutingMismatch) << describe(*snap);
}

TEST(Routes, TheFallbackIsProbedThroughADatabaseOnlyItServes)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    ASSERT_TRUE(psqlRw(QStringLiteral("DROP DATABASE IF EXISTS hokm_stats WITH (FORCE)")));
    Cleanup dropIt{[] {
        psqlRw(QStringLiteral("DROP DATABASE IF EXISTS hokm_stats WITH (FORCE)"));
    }};
    // The replicas have not replayed the new database (their replay paused before it was made):
    // the fallback must be chosen from the primary's list, whichever route answers first.
    const QString leader = Sandbox::leaderName();
    ASSERT_FALSE(leader.isEmpty());
    QStringList replicas;
    for (const QString &node :
         {QStringLiteral("node1"), QStringLiteral("node2"), QStringLiteral("node3")})
        if (node != leader)
            replicas << node;
    Cleanup resumeReplay{[&] {
        for (const QString &node : replicas)
            psqlOn(node, QStringLiteral("SELECT pg_wal_replay_resume()"));
    }};
    for (const QString &node : replicas)
        ASSERT_TRUE(psqlOn(node, QStringLiteral("SELECT pg_wal_replay_pause()")))
            << node.toStdString();
    ASSERT_TRUE(psqlRw(QStringLiteral("CREATE DATABASE hokm_stats")));
    const ClusterSnapshotPtr snap = pollOnce();
    ASSERT_TRUE(snap && snap->leader());
    const ClientRoute *fallback = route(*snap, ClientRoute::Kind::Fallback, QStringLiteral("*"));
    ASSERT_TRUE(fallback) << describe(*snap);
    EXPECT_EQ(fallback->probedAs, QStringLiteral("hokm_stats"));
    ASSERT_TRUE(fallback->answered()) << describe(*snap);
    EXPECT_FALSE(*fallback->inRecovery);
    EXPECT_EQ(fallback->member, snap->leader()->name) << describe(*snap);
    // Its probe made PgBouncer list an entry for hokm_stats: that is the fallback, not a route.
    EXPECT_FALSE(route(*snap, ClientRoute::Kind::Database, QStringLiteral("hokm_stats")))
        << describe(*snap);
}

TEST(Routes, AReadWriteDatabaseOnTheReadOnlyPortIsCritical)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    const QString ini = Sandbox::dir() + QStringLiteral("/pgbouncer.ini");
    QFile file(ini);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << ini.toStdString();
    const QByteArray original = file.readAll();
    file.close();
    const QByteArray rwLine =
        QStringLiteral("postgres = host=127.0.0.1 port=%1").arg(Sandbox::rwPort()).toUtf8();
    ASSERT_TRUE(original.contains(rwLine)) << original.toStdString();
    QByteArray misrouted = original;
    misrouted.replace(
        rwLine,
        QStringLiteral("postgres = host=127.0.0.1 port=%1").arg(Sandbox::roPort()).toUtf8());
    // Rewritten in place: the file keeps its owner and mode (PgBouncer's user reads it).
    auto write = [&](const QByteArray &text) {
        QFile f(ini);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
    };
    Cleanup restore{[&] {
        write(original);
        reloadBouncer();
    }};
    ASSERT_TRUE(write(misrouted));
    ASSERT_TRUE(reloadBouncer());

    const ClusterSnapshotPtr snap = pollOnce();
    ASSERT_TRUE(snap && snap->leader());
    const ClientRoute *postgres =
        route(*snap, ClientRoute::Kind::Database, QStringLiteral("postgres"));
    ASSERT_TRUE(postgres && postgres->answered()) << describe(*snap);
    EXPECT_EQ(postgres->port, Sandbox::roPort());
    EXPECT_TRUE(*postgres->inRecovery);
    ASSERT_FALSE(postgres->member.isEmpty()) << describe(*snap);
    EXPECT_NE(postgres->member, snap->leader()->name);
    const Finding *critical = nullptr;
    for (const Finding &f : snap->findings)
        if (f.code == Finding::Code::RoutingMismatch && f.severity == Finding::Severity::Critical)
            critical = &f;
    ASSERT_TRUE(critical) << describe(*snap);
    EXPECT_EQ(critical->member, postgres->member);
    for (const QString &part :
         {QStringLiteral("PgBouncer database postgres"),
          QStringLiteral("127.0.0.1:%1").arg(Sandbox::roPort()),
          QStringLiteral("%1 (port").arg(postgres->member), QStringLiteral("pgbouncer.ini")})
        EXPECT_TRUE(critical->message.contains(part))
            << part.toStdString() << " in " << critical->message.toStdString();
    EXPECT_EQ(snap->worstSeverity(), Finding::Severity::Critical);

    // Restored: the next look finds nothing wrong again.
    ASSERT_TRUE(write(original));
    ASSERT_TRUE(reloadBouncer());
    const ClusterSnapshotPtr after = pollOnce();
    ASSERT_TRUE(after);
    for (const Finding &f : after->findings)
        EXPECT_NE(f.code, Finding::Code::RoutingMismatch) << describe(*after);
}
