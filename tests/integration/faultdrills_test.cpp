// Fault drills (issue 18 §3): each test breaks the real sandbox the way an incident does while the
// real main window (offscreen, its ClusterMonitor polling every second) and the built `vigil
// status` watch, and asserts a clear state on screen (read from the window's models) and in
// `vigil status` (exit code and the JSON naming the failed layer), no crash, and the UI thread's
// longest stall under 50 ms, measured by an event-loop probe (services/core/stallprobe.h) over the
// whole drill: fault, detection, restore and heal. Every process the harness runs (sandbox.sh,
// vigil) runs while the event loop turns, so the probe measures Vigil's stalls, not the harness's.
//
// Each drill restores the sandbox and checks that the cluster healed and that the window and
// `vigil status` show it healed. One line per drill is printed:
//   drill <name>: longest stall X ms, detected after Y s
// and the suite's duration at the end. The TLS mismatch drills need the TLS sandbox:
// faultdrills_tls_test.cpp (label "tls").
#include "faultdrills_fixture.h"
#include "support/tinytablespace.h"

#include <QMap>
#include <QRegularExpression>
#include <cmath>

TEST_F(FaultDrill, HaproxyKilled)
{
    Drill drill(QStringLiteral("haproxy-killed"));
    Cleanup restart{[] {
        Sandbox::run({QStringLiteral("start"), QStringLiteral("haproxy")});
    }};
    ASSERT_GT(Sandbox::killService(QStringLiteral("haproxy")), 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::HaproxyUnreachable, {},
                                      QStringLiteral("HAProxy"));
        },
        15000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    EXPECT_TRUE(win().last()->pgbouncer.channel.ok()) << "only HAProxy failed";
    const ProcessRun status = vigilStatus();
    EXPECT_EQ(status.exitCode, 2) << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("haproxy_unreachable")).isEmpty())
        << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("start"), QStringLiteral("haproxy")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

TEST_F(FaultDrill, PgBouncerKilled)
{
    Drill drill(QStringLiteral("pgbouncer-killed"));
    Cleanup restart{[] {
        Sandbox::run({QStringLiteral("start"), QStringLiteral("pgbouncer")});
    }};
    ASSERT_GT(Sandbox::killService(QStringLiteral("pgbouncer")), 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::PgBouncerUnreachable, {},
                                      QStringLiteral("PgBouncer"));
        },
        15000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    EXPECT_TRUE(win().last()->haproxy.channel.ok()) << "only PgBouncer failed";
    const ProcessRun status = vigilStatus();
    EXPECT_EQ(status.exitCode, 2) << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("pgbouncer_unreachable")).isEmpty())
        << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("start"), QStringLiteral("pgbouncer")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// A member action with a wrong REST password: Patroni 3.0.2 checks credentials on unsafe methods
// only, so the monitor's reads (and the window) stay healthy, and the action gets the real
// Patroni's 401, named as the REST credential. `vigil reload` is the harmless action.
TEST_F(FaultDrill, RestUnauthorized)
{
    Drill drill(QStringLiteral("rest-401"));
    const QString member = aReplica(*win().last());
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), QStringLiteral("drill-wrong-password"));
    drill.fault();
    const ProcessRun reload = runInLoop(
        QStringLiteral(VIGIL_BINARY),
        {QStringLiteral("reload"), member, QStringLiteral("--confirm"), kCluster,
         QStringLiteral("--patroni"), Sandbox::patroniUrl(), QStringLiteral("--rest-user"),
         Sandbox::restUser(), QStringLiteral("--sql"), QStringLiteral("dbname=postgres user=vigil"),
         QStringLiteral("--audit-log"), dir.filePath(QStringLiteral("audit.jsonl"))},
        60000, env);
    drill.detected();
    drill.screenshot(win().window);
    const QString said = reload.out + reload.err;
    EXPECT_NE(reload.exitCode, 0) << show(reload);
    EXPECT_TRUE(said.contains(QLatin1String("401"))) << show(reload);
    EXPECT_TRUE(said.contains(QLatin1String("REST user or password"))) << show(reload);
    EXPECT_FALSE(said.contains(QLatin1String("drill-wrong-password"))) << "never echo a secret";
    EXPECT_FALSE(reload.err.contains(QLatin1String("QCommandLineParser"))) << show(reload);
    // Nothing on screen changed: no false alarm from a refused action.
    EXPECT_TRUE(waitUntil([this] { return win().showsHealthy(); }, 10000)) << win().describe();
    EXPECT_EQ(vigilStatus().exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// Patroni itself answers 503 (the real one, no fake): a reinitialize of the leader is refused
// with "I am the leader, can not reinitialize". Vigil must say Patroni refused, and nothing moves.
TEST_F(FaultDrill, RestServiceUnavailable)
{
    Drill drill(QStringLiteral("rest-503"));
    const QString leader = win().last()->leader()->name;
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
    drill.fault();
    const ProcessRun reinit = runInLoop(
        QStringLiteral(VIGIL_BINARY),
        {QStringLiteral("reinit"), leader, QStringLiteral("--force"), QStringLiteral("--confirm"),
         kCluster, QStringLiteral("--wait"), QStringLiteral("10"), QStringLiteral("--patroni"),
         Sandbox::patroniUrl(), QStringLiteral("--rest-user"), Sandbox::restUser(),
         QStringLiteral("--sql"), QStringLiteral("dbname=postgres user=vigil"),
         QStringLiteral("--audit-log"), dir.filePath(QStringLiteral("audit.jsonl"))},
        60000, env);
    drill.detected();
    drill.screenshot(win().window);
    const QString said = reinit.out + reinit.err;
    EXPECT_EQ(reinit.exitCode, 2) << "refused\n" << show(reinit);
    EXPECT_TRUE(said.contains(QLatin1String("can not reinitialize"))) << show(reinit);
    EXPECT_TRUE(said.contains(QLatin1String("Patroni"))) << show(reinit);
    EXPECT_FALSE(reinit.err.contains(QLatin1String("QCommandLineParser"))) << show(reinit);
    EXPECT_TRUE(waitUntil([this] { return win().showsHealthy(); }, 10000)) << win().describe();
    EXPECT_EQ(win().leaderShown(), leader) << "nothing moved";
    EXPECT_EQ(vigilStatus().exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// A window opened with a wrong SQL password (and `vigil status` with a pgpass that has one): every
// member's SQL column says the login was refused and why; REST still answers.
TEST_F(FaultDrill, WrongSqlPassword)
{
    Drill drill(QStringLiteral("wrong-sql-password"));
    services::ClusterMonitor::Secrets wrong;
    wrong.sqlPassword = QStringLiteral("drill-wrong-password");
    // Opening a second window is the harness's doing (a person starting Vigil), not a stall of
    // the console watching the incident: left out of the probe.
    drill.probe.pause();
    auto second = std::make_unique<Window>(wrong);
    drill.probe.resume();
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto s = second->last();
            if (!s || s->members.size() != 3)
                return false;
            for (const auto &m : s->members)
                if (!second->memberCell(m.name, models::MembersModel::Sql)
                         .contains(QLatin1String("password authentication failed")) ||
                    !m.rest.ok())
                    return false;
            return second->showsFinding(Finding::Code::MemberUnreachable, {},
                                        QStringLiteral("could not log in"));
        },
        20000))
        << second->describe();
    drill.detected();
    drill.screenshot(second->window);
    EXPECT_TRUE(win().showsHealthy()) << "the first window, with the right password, is unmoved";

    QTemporaryDir dir;
    QFile pgpass(dir.filePath(QStringLiteral("pgpass")));
    ASSERT_TRUE(pgpass.open(QIODevice::WriteOnly));
    pgpass.write("*:*:*:vigil:drill-wrong-password\n");
    pgpass.close();
    pgpass.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSFILE"), pgpass.fileName());
    env.remove(QStringLiteral("PGPASSWORD"));
    env.remove(QStringLiteral("PGSERVICE"));
    const ProcessRun status = vigilStatus(env);
    EXPECT_EQ(status.exitCode, 3) << show(status);
    const QJsonObject f = statusFinding(status, QStringLiteral("member_unreachable"));
    EXPECT_TRUE(f.value(QLatin1String("message"))
                    .toString()
                    .contains(QLatin1String("password authentication failed")))
        << show(status);
    EXPECT_FALSE(status.out.contains(QLatin1String("drill-wrong-password")));
    drill.probe.pause();
    second.reset();
    drill.probe.resume();
    expectHealed(drill);
    drill.finish();
}

// max_connections (1200 in the sandbox) filled with real backends on a replica: the window's
// monitor, whose session was open before, shows the member at ~100 % of max_connections; a fresh
// connection (`vigil status`) is refused by the server, and status names that member's SQL.
TEST_F(FaultDrill, TooManyConnections)
{
    Drill drill(QStringLiteral("too-many-connections"));
    const auto before = win().last();
    const QString member = aReplica(*before);
    const int port = before->member(member)->port;
    ASSERT_GT(port, 0);
    QProcess filler;
    Cleanup close{[&filler] {
        filler.closeWriteChannel();
        if (!filler.waitForFinished(30000))
            filler.kill();
    }};
    // The storm of 1,200 forks and SCRAM logins on 2 cores is the harness making the fault: the
    // machine, not Vigil, is saturated then (whole stalls of 0.3-1.1 s, nearly all of it waiting
    // for a CPU, and 10-106 ms blocked in the kernel). It gets a probe of its own, printed, not
    // held to the budget; the drill's probe covers the full server and its recovery.
    drill.probe.pause();
    services::StallProbe stormProbe;
    stormProbe.start();
    filler.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"), QString::fromLatin1(kFiller), QString::number(port),
                  QStringLiteral("1300")});
    QString filled;
    ASSERT_TRUE(waitUntil(
        [&] {
            filled += QString::fromUtf8(filler.readAllStandardOutput());
            return filled.contains(QLatin1String("filled")) ||
                   filler.state() == QProcess::NotRunning;
        },
        180000))
        << "the filler did not finish";
    stormProbe.stop();
    drill.probe.resume();
    std::cout << "[ figures  ] " << filled.trimmed().toStdString() << " after "
              << stormProbe.secondsSinceStart() << " s; meanwhile the loop was held at most "
              << stormProbe.longestOwnMs() << " ms (" << stormProbe.longestOwnOnCpuMs()
              << " ms of it on a CPU), whole stalls up to " << stormProbe.longestMs() << " ms\n";
    drill.fault();
    ASSERT_TRUE(filled.contains(QLatin1String("too many clients")) ||
                filled.contains(QLatin1String("reserved")))
        << filled.toStdString() << filler.readAllStandardError().toStdString();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::ConnectionsHigh, member,
                                      QStringLiteral("max_connections")) ||
                   win()
                       .memberCell(member, models::MembersModel::Sql)
                       .contains(QLatin1String("too many clients"));
        },
        30000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    const ProcessRun status = vigilStatus();
    EXPECT_NE(status.exitCode, 0) << show(status);
    const QJsonObject m = statusMember(status, member);
    EXPECT_EQ(channelState(m, "sql"), QStringLiteral("unreachable")) << show(status);
    const QString error = QString::fromUtf8(
        QJsonDocument(m.value(QLatin1String("sql")).toObject()).toJson(QJsonDocument::Compact));
    EXPECT_TRUE(error.contains(QLatin1String("too many clients")) ||
                error.contains(QLatin1String("reserved")))
        << show(status);
    // Closing the 1,200 connections is the harness undoing the fault, a storm of its own (1,200
    // backends exiting at once; CI: the loop blocked 325 ms off a CPU meanwhile, not waiting for
    // one): printed like the filling, not held to the budget. The healing is the drill's again.
    // The storm lasts until the server has let the backends go, not until the filler exits:
    // they exit for a second or more after it (perf sched, 2026-12-05: the drill's probe,
    // resumed at the filler's exit, saw the UI thread blocked 53 ms in a QSemaphore of Qt's
    // raster engine, which hands fills of 96+ rows to Qt's global thread pool and waits, while
    // those threads waited 58 ms for a CPU among the exiting backends). So it waits until the
    // window counts the member's client backends at a tenth of max_connections or fewer.
    drill.probe.pause();
    services::StallProbe closingProbe;
    closingProbe.start();
    filler.closeWriteChannel();
    ASSERT_TRUE(waitUntil([&] { return filler.state() == QProcess::NotRunning; }, 60000));
    const double fillerGoneS = closingProbe.secondsSinceStart();
    const bool backendsGone = waitUntil(
        [&] {
            const auto s = win().last();
            const auto *m = s ? s->member(member) : nullptr;
            return m && m->connections && m->connections->maxConnections > 0 &&
                   m->connections->usedFraction() <= 0.1;
        },
        60000);
    closingProbe.stop();
    EXPECT_TRUE(backendsGone) << "the member's backends did not go within 60 s:\n"
                              << win().describe();
    drill.probe.resume();
    std::cout << "[ figures  ] the filler exited after " << fillerGoneS
              << " s, its backends were gone after " << closingProbe.secondsSinceStart()
              << " s; meanwhile the loop was held at most " << closingProbe.longestOwnMs()
              << " ms (" << closingProbe.longestOwnOnCpuMs()
              << " ms of it on a CPU), whole stalls up to " << closingProbe.longestMs() << " ms\n";
    expectHealed(drill);
    drill.finish();
}

// A replica frozen (SIGSTOP of its Patroni and PostgreSQL: its TCP connections hang): it goes
// "no answer" at its deadline, the other members' figures and the cycle keep their pace.
TEST_F(FaultDrill, ReplicaFrozen)
{
    Drill drill(QStringLiteral("replica-sigstop"));
    const QString frozen = aReplica(*win().last());
    // The running monitor's cycle deadline: the member deadline capped at 9/10 of the interval
    // (ClusterPoller::effectiveDeadline), 900 ms at the window's 1 s.
    const int deadlineMs = std::min(win().launch.profile->memberDeadlineMs,
                                    std::max(100, win().launch.profile->stateIntervalMs * 9 / 10));
    const int intervalMs = win().launch.profile->stateIntervalMs;
    Cleanup thaw{[frozen] {
        Sandbox::run({QStringLiteral("thaw"), frozen});
    }};
    QList<qint64> arrivals;
    QElapsedTimer clock;
    clock.start();
    const QMetaObject::Connection feed = QObject::connect(
        win().session.monitor(kCluster), &services::ClusterMonitor::snapshotReady,
        [&](const services::ClusterSnapshotPtr &) { arrivals << clock.elapsed(); });
    Cleanup disconnect{[feed] {
        QObject::disconnect(feed);
    }};
    ASSERT_EQ(sandbox({QStringLiteral("freeze"), frozen}).exitCode, 0);
    drill.fault();
    const qsizetype fromArrival = arrivals.size();
    const auto cell = [&](models::MembersModel::Column c) {
        return win().memberCell(frozen, c);
    };
    const QLatin1String noAnswer("No answer");
    // Not answering at the deadline of the first cycle after the freeze (the SQL probe asks every
    // cycle; GET /patroni, asked at the slow cadence while SQL agrees, follows in the next one).
    ASSERT_TRUE(waitUntil(
        [&] {
            return cell(models::MembersModel::Rest).startsWith(noAnswer) ||
                   cell(models::MembersModel::Sql).startsWith(noAnswer);
        },
        20000))
        << win().describe();
    drill.detected();
    EXPECT_LE(drill.detectedS * 1000, intervalMs + deadlineMs + 1000) << "at its deadline";
    ASSERT_TRUE(waitUntil(
        [&] {
            return cell(models::MembersModel::Rest).startsWith(noAnswer) &&
                   cell(models::MembersModel::Sql).startsWith(noAnswer) &&
                   win().showsFinding(Finding::Code::MemberUnresponsive, frozen);
        },
        10000))
        << win().describe();
    drill.screenshot(win().window);
    // At once, before the member's key expires from the DCS (ttl): a fresh `vigil status` knows
    // the members only from GET /cluster.
    const ProcessRun status = vigilStatus();
    EXPECT_EQ(status.exitCode, 1) << show(status);
    EXPECT_LE(status.ms, 4000) << "status waits for the deadline, no longer";
    EXPECT_EQ(channelState(statusMember(status, frozen), "rest"), QStringLiteral("unresponsive"))
        << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("member_unresponsive"), frozen).isEmpty())
        << show(status);
    test::spin(2 * (intervalMs + deadlineMs)); // a few more cycles with the member frozen
    qint64 longestGap = 0;
    for (qsizetype i = std::max<qsizetype>(fromArrival, 1); i < arrivals.size(); ++i)
        longestGap = std::max(longestGap, arrivals[i] - arrivals[i - 1]);
    std::cout << "[ figures  ] longest gap between snapshots while frozen: " << longestGap
              << " ms\n";
    EXPECT_LE(longestGap, intervalMs + deadlineMs + 1000) << "the cycle waits for nobody";
    for (const auto &m : win().last()->members)
        if (m.name != frozen) {
            EXPECT_TRUE(m.rest.ok() && m.sql.ok()) << win().describe();
            EXPECT_TRUE(win()
                            .memberCell(m.name, models::MembersModel::Sql)
                            .startsWith(QLatin1String("OK")));
        }
    // Past the DCS's ttl Patroni's view no longer lists the frozen member; the window still does.
    EXPECT_GE(win().window.membersModel()->rowOf(frozen), 0) << win().describe();
    EXPECT_FALSE(
        win().memberCell(frozen, models::MembersModel::Rest).startsWith(QLatin1String("OK")))
        << win().describe();
    ASSERT_EQ(sandbox({QStringLiteral("thaw"), frozen}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// etcd killed (SIGKILL: connections refused): GET /cluster fails on every member while their own
// REST APIs and PostgreSQL answer; the DCS is named as the failed layer.
TEST_F(FaultDrill, EtcdKilled)
{
    Drill drill(QStringLiteral("etcd-killed"));
    Cleanup restart{[] {
        Sandbox::run({QStringLiteral("start"), QStringLiteral("etcd")});
        Sandbox::ensureHealthy();
    }};
    ASSERT_GT(Sandbox::killService(QStringLiteral("etcd")), 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::DcsUnreachable, {}, QStringLiteral("DCS"));
        },
        30000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    EXPECT_TRUE(showsSqlTruth(win())) << win().describe();
    const ProcessRun status = vigilStatus();
    EXPECT_NE(status.exitCode, 0) << show(status);
    EXPECT_NE(status.exitCode, 3) << "the members answer: not UNKNOWN\n" << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("dcs_unreachable")).isEmpty())
        << show(status);
    EXPECT_EQ(status.json.value(QLatin1String("members")).toArray().size(), 3) << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("start"), QStringLiteral("etcd")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// etcd frozen (SIGSTOP: its connections hang). Patroni's etcd v3 watch cache keeps answering for
// a while (statuscli_test's FrozenDcs says why), so the DCS is named once the leader's own
// contact is lost or GET /cluster stops answering: the same bound as there, 3 x loop_wait + 13 s.
TEST_F(FaultDrill, EtcdFrozen)
{
    Drill drill(QStringLiteral("etcd-sigstop"));
    Cleanup thaw{[] {
        Sandbox::run({QStringLiteral("thaw"), QStringLiteral("etcd")});
        Sandbox::ensureHealthy();
    }};
    const int loopWait = std::max(qEnvironmentVariableIntValue("VIGIL_SANDBOX_LOOP_WAIT"), 10);
    ASSERT_EQ(sandbox({QStringLiteral("freeze"), QStringLiteral("etcd")}).exitCode, 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::DcsUnreachable, {}, QStringLiteral("DCS"));
        },
        (3 * loopWait + 13) * 1000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    EXPECT_TRUE(showsSqlTruth(win())) << win().describe();
    ProcessRun status;
    waitUntil(
        [&] {
            status = vigilStatus();
            return !statusFinding(status, QStringLiteral("dcs_unreachable")).isEmpty();
        },
        (3 * loopWait + 13) * 1000);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("dcs_unreachable")).isEmpty())
        << show(status);
    EXPECT_NE(status.exitCode, 0) << show(status);
    EXPECT_NE(status.exitCode, 3) << "the members answer: not UNKNOWN\n" << show(status);
    EXPECT_EQ(status.json.value(QLatin1String("members")).toArray().size(), 3) << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("thaw"), QStringLiteral("etcd")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// The leader crashes (SIGKILL of its Patroni and PostgreSQL): the window shows the crash at once
// and the new leader within a poll interval + 0.5 s of Patroni promoting it.
TEST_F(FaultDrill, LeaderKilled)
{
    Drill drill(QStringLiteral("leader-sigkill"));
    const QString old = win().last()->leader()->name;
    const int intervalMs = win().launch.profile->stateIntervalMs;
    Cleanup heal{[] {
        Sandbox::ensureHealthy();
    }};
    PromotionWatch watch(old);
    ASSERT_EQ(sandbox({QStringLiteral("kill-leader")}).exitCode, 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            watch.poll();
            return win()
                       .memberCell(old, models::MembersModel::Rest)
                       .startsWith(QLatin1String("Unreachable")) &&
                   win()
                       .memberCell(old, models::MembersModel::Sql)
                       .startsWith(QLatin1String("Unreachable"));
        },
        15000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    const ProcessRun status = vigilStatus();
    EXPECT_NE(status.exitCode, 0) << show(status);
    EXPECT_EQ(channelState(statusMember(status, old), "rest"), QStringLiteral("unreachable"))
        << show(status);

    QString promoted;
    ASSERT_TRUE(waitUntil([&] { return !(promoted = watch.poll()).isEmpty(); }, 90000))
        << "Patroni promoted nobody within 90 s";
    QElapsedTimer sincePromotion;
    sincePromotion.start();
    ASSERT_TRUE(waitUntil([&] { return win().leaderShown() == promoted; }, 30000))
        << win().describe();
    const qint64 shownMs = sincePromotion.elapsed();
    std::cout << "[ figures  ] " << promoted.toStdString() << " promoted "
              << drill.sinceFault.elapsed() / 1000.0 - shownMs / 1000.0
              << " s after the crash, shown " << shownMs << " ms after Patroni promoted it\n";
    EXPECT_LE(shownMs, intervalMs + 500) << "failover shown within a poll interval + 0.5 s";
    expectHealed(drill);
    drill.finish();
}

namespace {

// An application writing onto the tiny volume: WORKERS sessions (psycopg2, as hokm_app through
// HAProxy's rw port), each with a temporary table there (TinyTablespace says why temporary),
// insert 2,000 rows of 1 kB at a time; once the volume is full every insert fails and is retried
// five times a second, as an application's retry loop would.
// Prints "full: <the first error>" once, holds on until its stdin closes, then prints
// "stopped: N inserts, M failed".
const char *kWriter = R"PY(
import sys, threading, psycopg2
port, workers = int(sys.argv[1]), int(sys.argv[2])
stop, lock, count = threading.Event(), threading.Lock(), [0, 0]
def work():
    try:
        c = psycopg2.connect(host='127.0.0.1', port=port, dbname='postgres', user='hokm_app',
                             application_name='vigil-drill-writer', connect_timeout=20)
    except psycopg2.Error as e:
        print('cannot connect: %s' % ' '.join(str(e).split()), flush=True)
        return
    c.autocommit = True
    try:
        c.cursor().execute("CREATE TEMP TABLE vigil_drill_fill (pad text) "
                           "TABLESPACE vigil_drill_full")
    except psycopg2.Error as e:
        print('cannot create: %s' % ' '.join(str(e).split()), flush=True)
        return
    while not stop.is_set():
        try:
            c.cursor().execute("INSERT INTO vigil_drill_fill "
                               "SELECT repeat('x', 1000) FROM generate_series(1, 2000)")
            with lock:
                count[0] += 1
        except psycopg2.Error as e:
            with lock:
                count[1] += 1
                if count[1] == 1:
                    print('full: %s' % ' '.join(str(e).split()), flush=True)
            stop.wait(0.2)
    c.close()
threads = [threading.Thread(target=work) for _ in range(workers)]
for t in threads: t.start()
sys.stdin.read()
stop.set()
for t in threads: t.join()
print('stopped: %d inserts, %d failed' % (count[0], count[1]), flush=True)
)PY";

// Where each member's PostgreSQL log files end now, to read what they log from here on.
QMap<QString, qint64> logEnds(const QStringList &members)
{
    QMap<QString, qint64> ends;
    for (const QString &m : members) {
        const QDir dir(Sandbox::dir() + QStringLiteral("/%1/data/log").arg(m));
        for (const QFileInfo &f : dir.entryInfoList({QStringLiteral("*.log")}, QDir::Files))
            ends.insert(f.absoluteFilePath(), f.size());
    }
    return ends;
}

// The lines `members` logged since `from` (logEnds) that match `pattern`.
QStringList loggedSince(const QStringList &members, const QMap<QString, qint64> &from,
                        const QRegularExpression &pattern)
{
    QStringList lines;
    const QMap<QString, qint64> now = logEnds(members);
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        QFile f(it.key());
        if (!f.open(QIODevice::ReadOnly) || !f.seek(from.value(it.key(), 0)))
            continue;
        for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n')))
            if (line.contains(pattern))
                lines << line;
    }
    return lines;
}

// While the volume is full, what the window shows besides the leader's ErrorRate: empty when
// nothing (three members answering on every channel, the same leader, no other warning).
QString otherThanTheErrorRate(const Window &w, const QString &leader)
{
    const auto s = w.last();
    if (!s || s->members.size() != 3 || !s->leader() || s->leader()->name != leader)
        return QStringLiteral("the members or the leader changed");
    if (!s->discovery.ok() || !s->haproxy.channel.ok() || !s->pgbouncer.channel.ok())
        return QStringLiteral("a channel other than the members' failed");
    for (const auto &m : s->members)
        if (!m.rest.ok() || !m.sql.ok() ||
            !w.memberCell(m.name, models::MembersModel::Sql).startsWith(QLatin1String("OK")))
            return m.name + QStringLiteral(" does not answer");
    for (const auto &f : s->findings) // information (an earlier drill's failover) is no alarm
        if (f.severity != Finding::Severity::Ok &&
            (f.code != Finding::Code::ErrorRate || f.member != leader))
            return QStringLiteral("another finding: ") + f.message;
    return {};
}

// The members' PostgreSQL logs since `logsBefore`: the leader's names the cause the ErrorRate
// finding points at and never PANICked; the replicas logged nothing of the full volume or the
// tablespace (a cancelled probe of an overloaded machine is not theirs to judge here).
void expectLogsAfterTheFullVolume(const QString &leader, const QStringList &replicas,
                                  const QMap<QString, qint64> &logsBefore)
{
    EXPECT_FALSE(loggedSince({leader}, logsBefore,
                             QRegularExpression(QStringLiteral("No space left on device")))
                     .isEmpty())
        << "the leader's log names the cause the finding points at";
    const QStringList panics =
        loggedSince({leader}, logsBefore, QRegularExpression(QStringLiteral("PANIC")));
    EXPECT_TRUE(panics.isEmpty()) << "the leader: " << panics.join(QLatin1Char('\n')).toStdString();
    const QStringList trouble =
        loggedSince(replicas, logsBefore,
                    QRegularExpression(QStringLiteral(
                        "PANIC|No space left|tablespace|pg_tblspc|startup process|could not "
                        "(fsync|remove|unlink|extend|create|open|write|read) (file|directory)")));
    EXPECT_TRUE(trouble.isEmpty())
        << "the replicas: " << trouble.join(QLatin1Char('\n')).toStdString();
}

} // namespace

// A member's disk full: a tablespace on a tiny volume (an 8 MiB tmpfs, support/tinytablespace.h
// says why its tables are temporary) fills up, and an application's inserts fail with "could not
// extend file ...: No space left on device" and are retried. SQL cannot see free space, so what
// Vigil honestly shows is the failing application: the leader's ErrorRate finding (rollbacks
// from pg_stat_database, the default threshold of 10/s; the writer's retries run at about twice
// that), pointing at the server log's "No space left on device". Nothing else may move: no
// member unreachable, no failover, no DiskSpace or other finding; the replicas log nothing of it.
TEST_F(FaultDrill, TablespaceFull)
{
    Drill drill(QStringLiteral("tablespace-full"));
    const QString leader = win().last()->leader()->name;
    QStringList replicas;
    for (const auto &m : win().last()->members)
        if (m.name != leader)
            replicas << m.name;
    const QMap<QString, qint64> logsBefore = logEnds(replicas + QStringList{leader});
    test::TinyTablespace volume;
    Cleanup removeVolume{[&volume] {
        volume.remove();
    }};
    const QString created = volume.create();
    ASSERT_TRUE(created.isEmpty()) << created.toStdString();

    const double threshold = win().launch.profile->thresholds.rollbacksWarningPerSecond;
    const int workers = std::max(2, int(std::ceil(2 * threshold / 5)));
    QProcess writer;
    Cleanup stopWriter{[&writer] {
        writer.closeWriteChannel();
        if (!writer.waitForFinished(30000))
            writer.kill();
    }};
    writer.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"), QString::fromLatin1(kWriter),
                  QString::number(Sandbox::rwPort()), QString::number(workers)});
    QString said;
    ASSERT_TRUE(waitUntil(
        [&] {
            said += QString::fromUtf8(writer.readAllStandardOutput());
            return said.contains(QLatin1Char('\n')) || writer.state() == QProcess::NotRunning;
        },
        60000))
        << "the writer neither filled the volume nor failed within 60 s";
    drill.fault();
    // PostgreSQL says the volume is full in one of two ways: ENOSPC ("No space left on device"),
    // or, when the last page only half fitted, "could not extend file ...: wrote only 4096 of
    // 8192 bytes" with the hint "Check free disk space" (seen 2026-12-04).
    ASSERT_TRUE(said.contains(QLatin1String("No space left on device")) ||
                said.contains(QLatin1String("Check free disk space")))
        << said.toStdString() << writer.readAllStandardError().toStdString();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::ErrorRate, leader,
                                      QStringLiteral("No space left on device"));
        },
        30000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    EXPECT_TRUE(otherThanTheErrorRate(win(), leader).isEmpty()) << win().describe();
    // A few more cycles with the volume full: the fault stays in that one finding.
    QString other;
    waitUntil([&] { return !(other = otherThanTheErrorRate(win(), leader)).isEmpty(); }, 5000);
    EXPECT_TRUE(other.isEmpty()) << other.toStdString() << "\n" << win().describe();
    // One look (`vigil status` takes one sample, so no rate): the cluster as healthy as it is.
    // On a machine loaded past its cores a member's SQL may miss status's deadline: ask again.
    ProcessRun status;
    waitUntil(
        [&] {
            status = vigilStatus();
            return status.exitCode == 0;
        },
        30000);
    EXPECT_EQ(status.exitCode, 0) << show(status);
    EXPECT_EQ(status.json.value(QLatin1String("members")).toArray().size(), 3) << show(status);
    EXPECT_TRUE(status.json.value(QLatin1String("findings")).toArray().isEmpty()) << show(status);

    writer.closeWriteChannel();
    ASSERT_TRUE(waitUntil([&] { return writer.state() == QProcess::NotRunning; }, 60000));
    said += QString::fromUtf8(writer.readAllStandardOutput());
    std::cout << "[ figures  ] " << workers << " writers; " << said.simplified().toStdString()
              << "\n";
    const QString removed = volume.remove();
    EXPECT_TRUE(removed.isEmpty()) << removed.toStdString();
    EXPECT_FALSE(volume.mounted());
    expectHealed(drill);
    expectLogsAfterTheFullVolume(leader, replicas, logsBefore);
    drill.finish();
}
