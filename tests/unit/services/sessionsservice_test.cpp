#include "services/diagnostics/lockservice.h"
#include "services/diagnostics/sessionsservice.h"
#include "services/diagnostics/statementsservice.h"
#include "services/diagnostics/tablestatsservice.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
SessionRow row(int pid, const QString &state, double stateAge,
               const QString &app = QStringLiteral("hokm-lobby"),
               const QString &type = QStringLiteral("client backend"))
{
    SessionRow r;
    r.pid = pid;
    r.backendStart =
        QStringLiteral("2026-11-27 00:00:%1.123456+00").arg(pid % 60, 2, 10, QLatin1Char('0'));
    r.state = state;
    r.stateAge = stateAge;
    r.application = app;
    r.backendType = type;
    r.user = QStringLiteral("hokm_app");
    r.database = QStringLiteral("hokm_game");
    return r;
}
} // namespace

TEST(SessionsService, ParsesPgStatActivityRows)
{
    PgResult result;
    result.columns = {QStringLiteral("pid"),          QStringLiteral("backend_start"),
                      QStringLiteral("state"),        QStringLiteral("state_age_s"),
                      QStringLiteral("blocked_by"),   QStringLiteral("is_self"),
                      QStringLiteral("backend_type"), QStringLiteral("xact_age_s")};
    result.rows = {{QStringLiteral("42"), QStringLiteral("2026-11-27 00:41:58.784207+00"),
                    QStringLiteral("active"), QStringLiteral("12.5"), QStringLiteral("{7,9}"),
                    QStringLiteral("f"), QStringLiteral("client backend"), QVariant()}};
    const auto parsed = SessionsService::parseSessions(result);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed.value().size(), 1);
    const SessionRow &r = parsed.value().first();
    EXPECT_EQ(r.pid, 42);
    EXPECT_EQ(r.backendStart, QStringLiteral("2026-11-27 00:41:58.784207+00"));
    EXPECT_EQ(r.blockedBy, (QList<int>{7, 9}));
    EXPECT_DOUBLE_EQ(r.stateAge.value(), 12.5);
    EXPECT_FALSE(r.xactAge.has_value()); // NULL stays unknown
    EXPECT_FALSE(r.isSelf);

    PgResult bad;
    bad.columns = {QStringLiteral("x")};
    EXPECT_FALSE(SessionsService::parseSessions(bad).ok());
}

TEST(SessionsService, PidArrays)
{
    EXPECT_EQ(parsePidArray(QStringLiteral("{}")), QList<int>{});
    EXPECT_EQ(parsePidArray(QStringLiteral("{28219}")), QList<int>{28219});
    EXPECT_EQ(parsePidArray(QStringLiteral("{1, 2,3}")), (QList<int>{1, 2, 3}));
    EXPECT_EQ(parsePidArray(QString()), QList<int>{});
}

TEST(SessionsService, LikePatterns)
{
    EXPECT_TRUE(
        SessionsService::likeMatches(QStringLiteral("hokm%"), QStringLiteral("hokm-lobby")));
    EXPECT_TRUE(
        SessionsService::likeMatches(QStringLiteral("HOKM%"), QStringLiteral("hokm-lobby")));
    EXPECT_FALSE(
        SessionsService::likeMatches(QStringLiteral("hokm"), QStringLiteral("hokm-lobby")));
    EXPECT_TRUE(SessionsService::likeMatches(QStringLiteral("h_km%"), QStringLiteral("hokm-x")));
    EXPECT_FALSE(SessionsService::likeMatches(QStringLiteral("a.c"),
                                              QStringLiteral("abc"))); // '.' is literal
    EXPECT_TRUE(SessionsService::likeMatches(QStringLiteral("100\\%"), QStringLiteral("100%")));
    EXPECT_FALSE(SessionsService::likeMatches(QStringLiteral("100\\%"), QStringLiteral("1000")));
}

TEST(SessionsService, IdlePlanTakesExactlyTheSessionsPastTheThreshold)
{
    QList<SessionRow> rows{
        row(1, QStringLiteral("idle"), 4000),                          // idle past 1 h
        row(2, QStringLiteral("idle"), 3000),                          // idle, not long enough
        row(3, QStringLiteral("idle in transaction"), 4000),           // not asked for
        row(4, QStringLiteral("active"), 9000),                        // active: never
        row(5, QStringLiteral("idle"), 5000, QStringLiteral("vigil")), // Vigil's own
        row(6, QStringLiteral("idle"), 5000, QStringLiteral("Patroni")),
        row(7, QStringLiteral("idle"), 5000, QStringLiteral("node2"), QStringLiteral("walsender")),
        row(8, QStringLiteral("idle"), 3600.5, QStringLiteral("hokm-game-server")),
    };
    IdleCriteria c; // default: idle > 1 h
    IdlePlan plan = SessionsService::planIdleTermination(rows, c);
    QList<int> pids;
    for (const auto &e : plan.entries)
        pids.append(e.ref.pid);
    EXPECT_EQ(pids, (QList<int>{1, 8}));
    EXPECT_EQ(plan.entries.first().requiredStates, QStringList{QStringLiteral("idle")});
    EXPECT_EQ(plan.entries.first().ref.backendStart, rows.at(0).backendStart);
    ASSERT_EQ(plan.excluded.size(), 3); // vigil, Patroni, walsender, each with a reason
    for (const auto &x : plan.excluded)
        EXPECT_FALSE(x.second.isEmpty());

    c.idleSeconds.reset();
    c.idleInTransactionSeconds = 600;
    plan = SessionsService::planIdleTermination(rows, c);
    ASSERT_EQ(plan.entries.size(), 1);
    EXPECT_EQ(plan.entries.first().ref.pid, 3);
    EXPECT_TRUE(
        plan.entries.first().requiredStates.contains(QStringLiteral("idle in transaction")));

    c.idleSeconds = 60;
    c.idleInTransactionSeconds.reset();
    c.applicationPattern = QStringLiteral("hokm-game%");
    plan = SessionsService::planIdleTermination(rows, c);
    ASSERT_EQ(plan.entries.size(), 1);
    EXPECT_EQ(plan.entries.first().ref.pid, 8);
}

TEST(SessionsService, OutcomesParsedAndExplained)
{
    PgResult result;
    result.columns = {QStringLiteral("pid"),
                      QStringLiteral("backend_start"),
                      QStringLiteral("application_name"),
                      QStringLiteral("usename"),
                      QStringLiteral("current_state"),
                      QStringLiteral("current_backend_start"),
                      QStringLiteral("outcome")};
    result.rows = {{QStringLiteral("10"), QStringLiteral("a"), QStringLiteral("hokm-lobby"),
                    QStringLiteral("u"), QStringLiteral("idle"), QStringLiteral("a"),
                    QStringLiteral("terminated")},
                   {QStringLiteral("11"), QStringLiteral("b"), QStringLiteral("x"),
                    QStringLiteral("u"), QStringLiteral("idle"), QStringLiteral("c"),
                    QStringLiteral("pid_reused")},
                   {QStringLiteral("12"), QStringLiteral("d"), QVariant(), QVariant(), QVariant(),
                    QVariant(), QStringLiteral("gone")}};
    const auto outcomes = SessionsService::parseOutcomes(result);
    ASSERT_EQ(outcomes.size(), 3);
    EXPECT_TRUE(outcomes.at(0).done());
    EXPECT_EQ(outcomes.at(1).kind, SignalOutcome::Kind::PidReused);
    EXPECT_TRUE(outcomes.at(1)
                    .describe(SignalAction::Terminate)
                    .contains(QStringLiteral("another session")));
    EXPECT_EQ(outcomes.at(2).kind, SignalOutcome::Kind::Gone);
    EXPECT_EQ(SignalOutcome::parseKind(QStringLiteral("cancelled")),
              SignalOutcome::Kind::Signalled);
    EXPECT_EQ(SignalOutcome::parseKind(QStringLiteral("nonsense")), SignalOutcome::Kind::Error);
}

TEST(SessionsService, ShipsItsQueries)
{
    for (const char *name : {"activity", "locks_held", "terminate", "locks_tree", "locks_waiting",
                             "statements", "statements_status", "tablestats_databases",
                             "tablestats_tables", "tablestats_unused_indexes"})
        EXPECT_FALSE(sqlResource(QString::fromLatin1(name)).isEmpty()) << name;
    // The lock tree is built from pg_blocking_pids, never a pg_locks self-join.
    const QString tree = sqlResource(QStringLiteral("locks_tree"));
    EXPECT_TRUE(tree.contains(QStringLiteral("pg_blocking_pids(a.pid)")));
    EXPECT_FALSE(tree.contains(QStringLiteral("FROM pg_locks"))); // the tree never scans pg_locks
    const QString details = sqlResource(QStringLiteral("locks_waiting"));
    EXPECT_EQ(details.count(QStringLiteral("FROM pg_locks")), 1); // one filtered scan
    EXPECT_FALSE(details.contains(QStringLiteral("JOIN pg_locks")));
}

// One callback rule for the diagnostics services: a call that ends before any work (refused,
// no connection, nothing to do) still answers from the event loop, never before it returns.
TEST(SessionsService, EarlyAnswersAreDeferred)
{
    int answers = 0;
    int expected = 0;
    bool returned = false;
    auto count = [&](auto) {
        EXPECT_TRUE(returned) << "called back before the call returned";
        ++answers;
    };
    auto call = [&](const std::function<void()> &f) {
        returned = false;
        f();
        returned = true;
        ++expected;
    };
    auto guard = std::make_shared<ReadOnlyGuard>(false);
    SessionsService sessions(nullptr, {QStringLiteral("c"), QStringLiteral("m"), guard, {}});
    const SignalPlanEntry entry{{1, QStringLiteral("x")}, {}, {}, {}, {}};
    call([&] { sessions.fetch(count); });
    call([&] { sessions.fetchLocksOf(1, count); });
    call([&] { sessions.signal(SignalAction::Cancel, {}, count); });      // nothing to do
    call([&] { sessions.signal(SignalAction::Cancel, {entry}, count); }); // no connection
    guard->setReadOnly(true);
    call([&] { sessions.signal(SignalAction::Cancel, {entry}, count); }); // refused
    LockService locks(nullptr);
    call([&] { locks.fetch(count); });
    StatementsService statements(nullptr);
    call([&] { statements.fetchStatus(count); });
    call([&] { statements.fetchSample(StatementsStatus{}, count); });
    TableStatsService tables(nullptr);
    call([&] { tables.fetchDatabases(count); });
    call([&] { tables.fetchTables(count); });
    EXPECT_EQ(answers, 0);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return answers >= expected; }, 5000));
    vigil::test::spin(20);
    EXPECT_EQ(answers, expected) << "exactly one answer per call";
}
