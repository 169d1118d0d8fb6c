// The SQL probe's parser, on answers recorded from the sandbox (tests/fixtures/monitor/,
// recorded with psql from resources/sql/monitor_member.sql) and on hand-made edge cases.
#include "services/monitor/memberprobequery.h"
#include "support/qtprinters.h"

#include <QFile>
#include <QRegularExpression>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/monitor/") + QLatin1String(name));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name;
    return f.readAll();
}
} // namespace

TEST(ClusterSqlProbe, QueryIsCompiledInAndMarked)
{
    const QString &sql = memberProbeSql();
    ASSERT_FALSE(sql.isEmpty());
    EXPECT_TRUE(sql.contains(QLatin1String("vigil:member_probe")));
    EXPECT_TRUE(sql.contains(QLatin1String("$1::boolean")));
    EXPECT_TRUE(sql.contains(QLatin1String("$2::boolean")));
    // Only client backends count as connections.
    EXPECT_TRUE(sql.contains(QLatin1String("backend_type = 'client backend'")));
    // At most one pass over all backends, and only on breakdown cycles: the views that would
    // call pg_stat_get_activity(NULL) again are not used, and the one call sits in the CTE
    // "grp", which is read only inside CASE WHEN $2 branches (a CTE nobody reads is never run).
    QString code; // without the comments, which explain why those views are not used
    for (const QString &line : sql.split(QLatin1Char('\n')))
        if (!line.trimmed().startsWith(QLatin1String("--")))
            code += line + QLatin1Char('\n');
    EXPECT_EQ(code.count(QLatin1String("pg_stat_get_activity(NULL)")), 1);
    EXPECT_EQ(code.count(QLatin1String("pg_stat_get_activity(w.pid)")), 1)
        << "walsenders' names: one backend each";
    EXPECT_EQ(code.count(QLatin1String("pg_stat_get_activity(root.pid)")), 1)
        << "the root blocker's name: one backend, on breakdown cycles with a lock wait only";
    EXPECT_EQ(code.count(QLatin1String("pg_stat_get_activity(")), 3);
    EXPECT_FALSE(code.contains(QLatin1String("pg_stat_activity")));
    EXPECT_FALSE(code.contains(QLatin1String("pg_stat_replication")));
    const QString afterCte = code.mid(code.indexOf(QLatin1String("vigil:member_probe")));
    const int grpReads = int(afterCte.count(QLatin1String("FROM grp")));
    EXPECT_EQ(grpReads, 4) << "total, by_state, by_application, by_database";
    EXPECT_EQ(afterCte.count(QLatin1String("CASE WHEN $2::boolean THEN (")), grpReads);

    // Two prepared statements (through libpq, PgSession::execPrepared), both with two boolean
    // parameters: the full one for cycles with sizes or the breakdown, the cheap one otherwise.
    const QList<unsigned> twoBooleans{PgStatement::kBooleanOid, PgStatement::kBooleanOid};
    const PgStatement &full = memberProbeStatement(true, true);
    EXPECT_EQ(full.name, QStringLiteral("vigil_member_probe"));
    EXPECT_EQ(full.sql, sql);
    EXPECT_EQ(full.paramTypes, twoBooleans);
    EXPECT_EQ(&memberProbeStatement(false, true), &full);
    EXPECT_EQ(&memberProbeStatement(true, false), &full);
    const PgStatement &cheap = memberProbeStatement(false, false);
    EXPECT_EQ(cheap.name, QStringLiteral("vigil_member_probe_cheap"))
        << "a cycle without sizes and breakdown runs the cheap statement";
    EXPECT_EQ(cheap.sql, memberProbeCheapSql());
    EXPECT_EQ(cheap.paramTypes, twoBooleans);
}

// The cheap statement (monitor_member_cheap.sql) is the full text (monitor_member.sql) less the
// marked lines: no breakdown (no pg_stat_get_activity(NULL), no exact total), no sizes;
// everything else is the same text.
TEST(ClusterSqlProbe, CheapStatementDropsOnlyTheFullCycleParts)
{
    const QString &full = memberProbeSql();
    const QString &cheap = memberProbeCheapSql();
    ASSERT_FALSE(cheap.isEmpty()) << "compiled in as :/sql/monitor_member_cheap.sql";
    const QLatin1String begin("-- [full cycles only: begin]");
    const QLatin1String end("-- [full cycles only: end]");
    ASSERT_EQ(full.count(begin), 3) << "grp, the breakdown keys, the sizes";
    ASSERT_EQ(full.count(end), 3);
    EXPECT_FALSE(cheap.contains(begin));
    EXPECT_FALSE(cheap.contains(end));
    QString code; // without the comments, which name what the cheap statement leaves out
    for (const QString &line : cheap.split(QLatin1Char('\n')))
        if (!line.trimmed().startsWith(QLatin1String("--")))
            code += line + QLatin1Char('\n');
    for (const char *dropped :
         {"pg_stat_get_activity(NULL)", "grp", "pg_database_size", "'by_state'", "'by_application'",
          "'by_database'", "'total'", "'sizes'", "'locks'", "pg_blocking_pids", "pg_ls_waldir",
          "'statements'", "query_to_xml"})
        EXPECT_FALSE(code.contains(QLatin1String(dropped))) << dropped;
    for (const char *kept : {"vigil:member_probe", "'attached'", "'breakdown', $2::boolean",
                             "'replication'", "'wal_receiver'", "'slots'", "'archiver'",
                             "'databases'", "'server_ms'", "pg_stat_get_activity(w.pid)"})
        EXPECT_TRUE(code.contains(QLatin1String(kept))) << kept;
    // Exactly the full text without the marked lines: the two files are kept in step.
    QStringList cut;
    bool inFullOnly = false;
    for (const QString &line : full.split(QLatin1Char('\n'))) {
        if (line.trimmed() == begin)
            inFullOnly = true;
        else if (line.trimmed() == end)
            inFullOnly = false;
        else if (!inFullOnly)
            cut << line;
    }
    EXPECT_EQ(cheap, cut.join(QLatin1Char('\n')));
    // Every line of the cheap text is a line of the full text, in the same order.
    const QStringList fullLines = full.split(QLatin1Char('\n'));
    int at = 0;
    for (const QString &line : cheap.split(QLatin1Char('\n'))) {
        while (at < fullLines.size() && fullLines[at] != line)
            ++at;
        ASSERT_LT(at, fullLines.size()) << "not in the full text, in order: " << line.toStdString();
        ++at;
    }
}

TEST(ClusterSqlProbe, ParsesAPrimary)
{
    MemberSnapshot m;
    const ServiceError e = applyMemberProbe(fixture("probe_primary.json"), m);
    ASSERT_FALSE(e.isError()) << e.toText().toStdString();
    ASSERT_TRUE(m.inRecovery.has_value());
    EXPECT_FALSE(*m.inRecovery);
    EXPECT_EQ(m.serverVersion.value_or(0), 150018);
    ASSERT_EQ(m.replication.size(), 2);
    // Recorded on the leader of the day: its two replicas, ordered by name.
    EXPECT_TRUE(m.replication[0].applicationName.startsWith(QLatin1String("node")));
    EXPECT_LT(m.replication[0].applicationName, m.replication[1].applicationName);
    EXPECT_EQ(m.replication[0].state, QStringLiteral("streaming"));
    EXPECT_EQ(m.replication[0].syncState, QStringLiteral("async"));
    ASSERT_TRUE(m.replication[0].replayLagBytes.has_value());
    EXPECT_GE(*m.replication[0].replayLagBytes, 0);
    EXPECT_FALSE(m.walReceiver.has_value());
    ASSERT_TRUE(m.connections.has_value());
    EXPECT_EQ(m.connections->maxConnections, 1200);
    EXPECT_GE(m.connections->total, 1);
    int byState = 0;
    for (int n : m.connections->byState)
        byState += n;
    EXPECT_EQ(byState, m.connections->total) << "states partition the client backends";
    ASSERT_EQ(m.replicationSlots.size(), 2);
    EXPECT_TRUE(m.replicationSlots[0].active);
    EXPECT_TRUE(m.archiver.has_value());
    EXPECT_FALSE(m.databaseCounters.isEmpty());
    ASSERT_FALSE(m.databaseSizes.isEmpty());
    EXPECT_GT(m.databaseSizes[0].bytes, 1000000);
}

TEST(ClusterSqlProbe, ParsesAReplicaAndKeepsSizesWhenNotAsked)
{
    MemberSnapshot m;
    m.databaseSizes = {{QStringLiteral("hokm_game"), 42}};
    const ServiceError e = applyMemberProbe(fixture("probe_replica_nosizes.json"), m);
    ASSERT_FALSE(e.isError()) << e.toText().toStdString();
    EXPECT_TRUE(m.inRecovery.value_or(false));
    ASSERT_TRUE(m.walReceiver.has_value());
    EXPECT_EQ(m.walReceiver->status, QStringLiteral("streaming"));
    EXPECT_GE(m.walReceiver->receivedTimeline.value_or(0), 1);
    ASSERT_TRUE(m.walReceiver->lastMessageReceipt.has_value());
    EXPECT_TRUE(m.walReceiver->lastMessageReceipt->isValid());
    EXPECT_TRUE(m.replication.isEmpty());
    ASSERT_EQ(m.databaseSizes.size(), 1) << "sizes come at the slow cadence; the last stay";
    EXPECT_EQ(m.databaseSizes[0].bytes, 42);
}

namespace {
// `json` with the number of `key` replaced by `value` (the test asserts that it was there).
QByteArray withNumber(const QByteArray &json, const char *key, int value)
{
    QString out = QString::fromUtf8(json);
    out.replace(QRegularExpression(QStringLiteral("\"%1\" : \\d+").arg(QLatin1String(key))),
                QStringLiteral("\"%1\" : %2").arg(QLatin1String(key)).arg(value));
    return out.toUtf8();
}
} // namespace

// Between breakdown cycles the probe answers "breakdown": false with "attached" only (every
// backend connected to a database, counted cheaply); the total is that less the surplus of
// non-client backends the last breakdown found, and the last breakdown is carried forward with
// the time it was taken.
TEST(ClusterSqlProbe, BreakdownIsCarriedForwardBetweenBreakdownCycles)
{
    const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-01-02T03:04:05Z"), Qt::ISODate);
    const QDateTime t1 = t0.addSecs(1);
    const QByteArray full = fixture("probe_primary.json");
    ASSERT_TRUE(full.contains("\"breakdown\" : true"));
    // The breakdown cycle: 40 client backends, and two autovacuum workers also attached.
    const QByteArray fullWithWorkers = withNumber(withNumber(full, "total", 40), "attached", 42);
    ASSERT_NE(fullWithWorkers, full);
    MemberSnapshot m;
    ASSERT_FALSE(applyMemberProbe(fullWithWorkers, m, t0).isError());
    ASSERT_TRUE(m.connections.has_value());
    EXPECT_EQ(m.connections->total, 40) << "the exact total on a breakdown cycle";
    EXPECT_EQ(m.connections->otherAttached, 2);
    ASSERT_TRUE(m.connections->breakdownAt.has_value());
    EXPECT_EQ(*m.connections->breakdownAt, t0);
    const auto byState = m.connections->byState;
    const auto byApplication = m.connections->byApplication;
    const auto byDatabase = m.connections->byDatabase;
    ASSERT_FALSE(byState.isEmpty());
    ASSERT_FALSE(byApplication.isEmpty());
    ASSERT_FALSE(byDatabase.isEmpty());

    // Recorded from the sandbox (the cheap statement): attached and max_connections, no total,
    // no breakdown.
    const QByteArray cheap = fixture("probe_primary_nobreakdown.json");
    ASSERT_TRUE(cheap.contains("\"breakdown\" : false"));
    ASSERT_FALSE(cheap.contains("\"total\""));
    ASSERT_FALSE(cheap.contains("\"by_state\""));
    const QByteArray moved = withNumber(cheap, "attached", 1236);
    ASSERT_NE(moved, cheap);
    ASSERT_FALSE(applyMemberProbe(moved, m, t1).isError());
    ASSERT_TRUE(m.connections.has_value());
    EXPECT_EQ(m.connections->total, 1234) << "attached less the workers the breakdown counted";
    EXPECT_EQ(m.connections->maxConnections, 1200);
    EXPECT_EQ(m.connections->byState, byState);
    EXPECT_EQ(m.connections->byApplication, byApplication);
    EXPECT_EQ(m.connections->byDatabase, byDatabase);
    ASSERT_TRUE(m.connections->breakdownAt.has_value());
    EXPECT_EQ(*m.connections->breakdownAt, t0) << "says how old the carried breakdown is";

    // A cheap answer before any breakdown: attached as the total, empty maps, no breakdown time.
    MemberSnapshot fresh;
    ASSERT_FALSE(applyMemberProbe(moved, fresh, t1).isError());
    ASSERT_TRUE(fresh.connections.has_value());
    EXPECT_EQ(fresh.connections->total, 1236);
    EXPECT_TRUE(fresh.connections->byState.isEmpty());
    EXPECT_FALSE(fresh.connections->breakdownAt.has_value());

    // An older probe sent the exact total every cycle, without "attached": it is taken as is.
    QString older = QString::fromUtf8(cheap);
    older.replace(QRegularExpression(QStringLiteral("\"attached\" : \\d+")),
                  QStringLiteral("\"total\" : 77"));
    ASSERT_TRUE(older.contains(QLatin1String("\"total\" : 77")));
    ASSERT_FALSE(applyMemberProbe(older.toUtf8(), m, t1).isError());
    EXPECT_EQ(m.connections->total, 77);

    // The next breakdown replaces the maps, the time and the surplus.
    ASSERT_FALSE(applyMemberProbe(full, m, t1.addSecs(4)).isError());
    EXPECT_EQ(*m.connections->breakdownAt, t1.addSecs(4));
    EXPECT_EQ(m.connections->otherAttached, 0) << "the recording had no workers attached";
}

// The probe says what it cost the server; the breakdown's pace follows the difference between
// cycles with and without it.
TEST(ClusterSqlProbe, ServerTimeIsRead)
{
    MemberSnapshot m;
    ASSERT_FALSE(applyMemberProbe(fixture("probe_primary_nobreakdown.json"), m).isError());
    ASSERT_TRUE(m.probeServerMs.has_value()) << "recorded answers carry server_ms";
    EXPECT_GT(*m.probeServerMs, 0.0);
    EXPECT_LT(*m.probeServerMs, 1000.0);
    QByteArray without = fixture("probe_primary_nobreakdown.json");
    without.replace("\"server_ms\"", "\"server_ms_gone\"");
    ASSERT_FALSE(applyMemberProbe(without, m).isError())
        << "an older probe without it still parses";
    EXPECT_FALSE(m.probeServerMs.has_value());
}

TEST(ClusterSqlProbe, BreakdownPaceFollowsItsCost)
{
    // A budget of 0: the fixed, longest interval.
    EXPECT_EQ(breakdownIntervalFor(4.4, 0.5, 1000, 10000, 0.0), 10000);
    EXPECT_EQ(breakdownIntervalFor(std::nullopt, std::nullopt, 1000, 10000, 0.0), 10000);
    // Nothing measured yet: the next cycle has one, to learn its cost.
    EXPECT_EQ(breakdownIntervalFor(std::nullopt, std::nullopt, 1000, 10000, 0.5), 1000);
    // Only the full cycle measured: one cycle without it next, to learn the difference.
    EXPECT_EQ(breakdownIntervalFor(4.4, std::nullopt, 1000, 10000, 0.5), 2000);
    // A small server: the breakdown costs next to nothing, so every cycle has one.
    EXPECT_EQ(breakdownIntervalFor(0.40, 0.38, 1000, 10000, 0.5), 1000);
    EXPECT_EQ(breakdownIntervalFor(0.30, 0.38, 1000, 10000, 0.5), 1000) << "noise, not a gain";
    // 1,000 backends (PostgreSQL 15 on the sandbox): 3.9 ms more, spread over 8 cycles.
    EXPECT_EQ(breakdownIntervalFor(4.4, 0.5, 1000, 10000, 0.5), 8000);
    EXPECT_EQ(breakdownIntervalFor(1.6, 0.5, 500, 10000, 0.5), 1500);
    // Very expensive: capped at the longest interval.
    EXPECT_EQ(breakdownIntervalFor(40.0, 0.5, 1000, 10000, 0.5), 10000);
    // A longest interval below one cycle still means every cycle.
    EXPECT_EQ(breakdownIntervalFor(4.4, 0.5, 1000, 200, 0.5), 1000);
}

TEST(ClusterSqlProbe, LagInBytesAndSeconds)
{
    const QByteArray json = R"({"in_recovery": false, "server_version": 150018,
        "replication": [{"pid": 7, "application_name": "node2", "state": "streaming",
                         "replay_lag_bytes": 1048576, "replay_lag_s": 2.25,
                         "write_lag_s": 0.004, "flush_lag_s": null}],
        "wal_receiver": null, "connections": null, "slots": [], "archiver": null,
        "databases": [], "sizes": null})";
    MemberSnapshot m;
    ASSERT_FALSE(applyMemberProbe(json, m).isError());
    ASSERT_EQ(m.replication.size(), 1);
    EXPECT_EQ(m.replication[0].replayLagBytes.value_or(-1), 1048576);
    EXPECT_DOUBLE_EQ(m.replication[0].replayLagSeconds.value_or(-1), 2.25);
    EXPECT_DOUBLE_EQ(m.replication[0].writeLagSeconds.value_or(-1), 0.004);
    EXPECT_FALSE(m.replication[0].flushLagSeconds.has_value()) << "NULL stays unknown";
    EXPECT_FALSE(m.connections.has_value());
}

TEST(ClusterSqlProbe, MalformedAnswerIsAParseErrorAndChangesNothing)
{
    MemberSnapshot m;
    m.inRecovery = true;
    for (const QByteArray &bad :
         {QByteArray("not json"), QByteArray("[1,2]"), QByteArray(R"({"server_version": 1})"),
          fixture("probe_primary.json").left(200)}) {
        const ServiceError e = applyMemberProbe(bad, m);
        EXPECT_EQ(e.kind, ServiceError::Kind::Parse) << bad.toStdString();
        EXPECT_FALSE(e.message.isEmpty());
        EXPECT_TRUE(m.inRecovery.value_or(false));
    }
}

// Recorded on the sandbox's leader while a session (application billing-job) held an ACCESS
// EXCLUSIVE lock idle in transaction and three sessions waited behind it.
TEST(ClusterSqlProbe, ReadsTheRootBlockerAndTheOldestIdleTransaction)
{
    MemberSnapshot m;
    const QDateTime at = QDateTime::currentDateTimeUtc();
    ASSERT_FALSE(applyMemberProbe(fixture("probe_primary_locks.json"), m, at).isError());
    ASSERT_TRUE(m.locks);
    EXPECT_EQ(m.locks->measuredAt, at);
    ASSERT_TRUE(m.locks->rootBlocker);
    const SessionBrief &b = *m.locks->rootBlocker;
    EXPECT_GT(b.pid, 0);
    EXPECT_EQ(b.user, QStringLiteral("postgres"));
    EXPECT_EQ(b.application, QStringLiteral("billing-job"));
    EXPECT_EQ(b.state, QStringLiteral("idle in transaction"));
    EXPECT_EQ(b.waiting, 3);
    EXPECT_GT(b.seconds, 5.0);
    ASSERT_TRUE(m.locks->oldestIdleInTransaction);
    EXPECT_EQ(m.locks->oldestIdleInTransaction->pid, b.pid);
    EXPECT_GT(m.locks->oldestIdleInTransaction->seconds, b.seconds);
    ASSERT_TRUE(m.walDirBytes);
    EXPECT_EQ(*m.walDirBytes % (16 << 20), 0) << "whole WAL segments";
    ASSERT_TRUE(m.statementTotals) << "the sandbox has pg_stat_statements";
    EXPECT_GT(m.statementTotals->calls, 0);

    // A cycle without the breakdown keeps the last measurement; one with it replaces it.
    ASSERT_FALSE(applyMemberProbe(fixture("probe_primary_nobreakdown.json"), m).isError());
    ASSERT_TRUE(m.locks && m.locks->rootBlocker);
    EXPECT_EQ(m.locks->measuredAt, at);
    ASSERT_FALSE(
        applyMemberProbe(fixture("probe_primary_locks.json")
                             .replace("\"root_blocker\" : {", "\"root_blocker\" : null, \"x\" : {"),
                         m)
            .isError());
    ASSERT_TRUE(m.locks);
    EXPECT_FALSE(m.locks->rootBlocker) << "the blocker ended";
}

// Two probes recorded 1.5 s apart on the sandbox's leader, with 40 rolled-back transactions
// and two 0.6 s statements between them.
TEST(ClusterSqlProbe, RatesAreDeltasOverTheLastInterval)
{
    MemberSnapshot m;
    const QDateTime t0 = QDateTime(QDate(2026, 12, 3), QTime(21, 0, 0), Qt::UTC);
    ASSERT_FALSE(applyMemberProbe(fixture("probe_primary_rates_a.json"), m, t0).isError());
    EXPECT_FALSE(m.rates.rollbacksPerSecond) << "no interval yet";
    EXPECT_FALSE(m.rates.statementMeanMs);
    ASSERT_FALSE(
        applyMemberProbe(fixture("probe_primary_rates_b.json"), m, t0.addMSecs(2000)).isError());
    ASSERT_TRUE(m.rates.rollbacksPerSecond);
    EXPECT_DOUBLE_EQ(*m.rates.rollbacksPerSecond, 20.0) << "40 rollbacks in 2 s";
    ASSERT_TRUE(m.rates.statementMeanMs);
    EXPECT_EQ(m.rates.statementCalls, 131);
    EXPECT_NEAR(*m.rates.statementMeanMs, (42965.202314 - 41756.871905) / 131, 0.01);
    EXPECT_DOUBLE_EQ(m.rates.statementIntervalSeconds, 2.0);

    // A cycle without statements (not a sizes cycle) keeps the statements' last mean.
    const MemberRates kept = m.rates;
    ASSERT_FALSE(applyMemberProbe(fixture("probe_primary_nobreakdown.json"), m, t0.addMSecs(3000))
                     .isError());
    EXPECT_EQ(m.rates.statementMeanMs, kept.statementMeanMs);

    // Counters that went backwards (a statistics reset, a restart): no rate for that interval.
    MemberSnapshot r;
    ASSERT_FALSE(applyMemberProbe(fixture("probe_primary_rates_b.json"), r, t0).isError());
    ASSERT_FALSE(
        applyMemberProbe(fixture("probe_primary_rates_a.json"), r, t0.addMSecs(1000)).isError());
    EXPECT_FALSE(r.rates.rollbacksPerSecond);
    EXPECT_FALSE(r.rates.statementMeanMs);
    // ... and the next interval counts from the new values.
    ASSERT_FALSE(
        applyMemberProbe(fixture("probe_primary_rates_b.json"), r, t0.addMSecs(3000)).isError());
    ASSERT_TRUE(r.rates.rollbacksPerSecond);
    EXPECT_DOUBLE_EQ(*r.rates.rollbacksPerSecond, 20.0);
}
