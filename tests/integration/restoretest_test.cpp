// The restore test on the sandbox, proven: hokm_game is dumped from a replica at an exported
// snapshot while the workload writes on the leader, counted in that snapshot, restored into a
// throwaway local instance (initdb in a temporary folder) and compared table by table. One run
// passes; one, whose scratch copy loses a table (TRUNCATE through the test seam before the
// count), fails and names that table. Neither pg_dump's nor pg_restore's command line or
// environment holds a password, and the scratch instance (folder and postmaster) is gone
// afterwards. Then `vigil restore-test` headless: --keep-dump writes the counts sidecar that a
// later --dump compares against; a dump without one is restored and counted, never "proven".
// A scratch database on the leader (--target cluster) is dropped afterwards.
#include "services/backup/restoresidecar.h"
#include "services/backup/restoretest.h"
#include "services/backup/throwawayinstance.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/procfile.h"
#include "support/sandbox.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>
#include <gtest/gtest.h>
#include <memory>

using namespace vigil;
using namespace vigil::test;

namespace {

QString secret(const QByteArray &key)
{
    QFile f(Sandbox::dir() + QStringLiteral("/secrets.env"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key + '='))
            return QString::fromUtf8(line.mid(key.size() + 1)).trimmed();
    return {};
}

QString appPassword()
{
    return secret("PW_HOKM_APP");
}

int memberPort(const QString &name)
{
    return Sandbox::portBase() + 10 + name.mid(4).toInt() - 1;
}

QString replicaName()
{
    const QString leader = Sandbox::leaderName();
    for (int i = 1; i <= 3; ++i)
        if (QStringLiteral("node%1").arg(i) != leader)
            return QStringLiteral("node%1").arg(i);
    return {};
}

services::PgConnectionSettings member(const QString &name, const QString &user,
                                      const QString &password)
{
    return services::PgConnectionSettings::forApplication(
               QStringLiteral("dbname=postgres user=%1").arg(user),
               QStringLiteral("vigil-restore-test"), password)
        .atMember(QStringLiteral("127.0.0.1"), memberPort(name));
}

// True while any process's command line names `text` (a postmaster of the scratch folder).
bool anyProcessMentions(const QString &text)
{
    const QDir proc(QStringLiteral("/proc"));
    for (const QString &pid : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        pid.toLongLong(&ok);
        if (ok && procFile(pid.toLongLong(), "cmdline").contains(text.toUtf8()))
            return true;
    }
    return false;
}

// What a run saw and ended with.
struct Observed
{
    bool done = false;
    services::RestoreTestResult result;
    QByteArray dumpCmdline, dumpEnviron, restoreCmdline, restoreEnviron;
    QList<services::RestoreTest::Phase> phases;

    void attach(services::RestoreTest &t)
    {
        QObject::connect(&t, &services::RestoreTest::dumpStarted, &t, [this](qint64 pid) {
            dumpCmdline = execedFile(pid, "cmdline");
            dumpEnviron = execedFile(pid, "environ");
        });
        QObject::connect(&t, &services::RestoreTest::restoreStarted, &t, [this](qint64 pid) {
            restoreCmdline = execedFile(pid, "cmdline");
            restoreEnviron = execedFile(pid, "environ");
        });
        QObject::connect(&t, &services::RestoreTest::phaseChanged, &t,
                         [this](services::RestoreTest::Phase p) { phases.append(p); });
        QObject::connect(&t, &services::RestoreTest::finished, &t,
                         [this](const services::RestoreTestResult &r) {
                             result = r;
                             done = true;
                         });
    }
};

services::RestoreTestRequest localRequest()
{
    services::RestoreTestRequest r;
    r.source = member(replicaName(), QStringLiteral("hokm_app"), appPassword());
    r.database = QStringLiteral("hokm_game");
    r.target = services::RestoreTarget::LocalInstance;
    return r;
}

const services::RestoreTableCheck *table(const services::RestoreTestResult &r, const char *name)
{
    for (const services::RestoreTableCheck &t : r.tables)
        if (t.qualifiedName() == QLatin1String(name))
            return &t;
    return nullptr;
}

void expectScratchGone(const services::RestoreTestResult &r)
{
    EXPECT_TRUE(r.scratchRemoved) << r.cleanupError.toStdString();
    ASSERT_FALSE(r.scratchLocation.isEmpty());
    EXPECT_FALSE(QFileInfo::exists(r.scratchLocation)) << r.scratchLocation.toStdString();
    EXPECT_FALSE(anyProcessMentions(r.scratchLocation)) << r.scratchLocation.toStdString();
}

} // namespace

TEST(RestoreTest, PassesOnTheWorkloadDatabaseWhileTheWorkloadWrites)
{
    VIGIL_REQUIRE_SANDBOX();
    ASSERT_FALSE(services::restoreTestBinDir().isEmpty()) << "no /usr/lib/postgresql/NN/bin";
    const QString password = appPassword();
    ASSERT_FALSE(password.isEmpty());
    QString out;
    ASSERT_EQ(
        Sandbox::run(
            {QStringLiteral("workload"), QStringLiteral("--seconds"), QStringLiteral("120")}, &out),
        0)
        << out.toStdString();
    const Cleanup stopWorkload{[] {
        Sandbox::run({QStringLiteral("workload"), QStringLiteral("stop")});
    }};
    spin(3000); // the workload is inserting moves now: a count outside the snapshot would drift

    services::RestoreTest test;
    Observed run;
    run.attach(test);
    test.start(localRequest());
    ASSERT_TRUE(waitUntil([&] { return run.done; }, 300000));
    const services::RestoreTestResult &r = run.result;
    ASSERT_FALSE(r.error.isError()) << r.error.toText().toStdString();
    EXPECT_TRUE(r.restoreErrors.isEmpty()) << r.restoreErrors.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(r.proven);
    EXPECT_FALSE(r.snapshot.isEmpty());
    EXPECT_TRUE(r.passed());
    EXPECT_EQ(r.sourceHost, QStringLiteral("127.0.0.1:%1").arg(memberPort(replicaName())));
    const auto *moves = table(r, "public.game_moves");
    const auto *sessions = table(r, "public.game_sessions");
    ASSERT_TRUE(moves && sessions);
    EXPECT_GE(moves->source.rows.value_or(0), 12000);
    EXPECT_EQ(moves->source.rows, moves->restored.rows);
    EXPECT_EQ(moves->source.checksum, moves->restored.checksum);
    EXPECT_FALSE(moves->source.checksum.isEmpty());
    EXPECT_EQ(moves->columns, (QStringList{QStringLiteral("id"), QStringLiteral("game_id"),
                                           QStringLiteral("player_id")}));
    EXPECT_GE(sessions->source.rows.value_or(0), 3000);
    EXPECT_TRUE(sessions->matches());
    EXPECT_GT(r.dumpBytes, 0);
    EXPECT_GT(r.restoredDatabaseBytes, 0);
    // Every phase, in order, ending with the cleanup.
    using P = services::RestoreTest::Phase;
    EXPECT_EQ(run.phases, (QList<P>{P::Snapshot, P::Dumping, P::PreparingTarget, P::Restoring,
                                    P::Counting, P::CleaningUp, P::Done}));
    // No password on pg_dump's or pg_restore's command line or in their environment.
    ASSERT_FALSE(run.dumpCmdline.isEmpty());
    EXPECT_TRUE(run.dumpCmdline.contains("--snapshot=" + r.snapshot.toUtf8()));
    EXPECT_FALSE(run.dumpCmdline.contains(password.toUtf8()));
    EXPECT_FALSE(run.dumpEnviron.contains(password.toUtf8()));
    ASSERT_FALSE(run.restoreCmdline.isEmpty());
    EXPECT_TRUE(run.restoreCmdline.contains("pg_restore"));
    EXPECT_TRUE(run.restoreCmdline.contains("--no-owner"));
    EXPECT_FALSE(run.restoreCmdline.contains("password")) << run.restoreCmdline.toStdString();
    EXPECT_FALSE(run.restoreEnviron.contains("PGPASSWORD="));
    EXPECT_TRUE(run.restoreEnviron.contains("PGPASSFILE="));
    expectScratchGone(r);
    EXPECT_FALSE(QFileInfo::exists(r.dumpFile)) << "the temporary dump stays behind";
    std::printf("restore test figures: dump %lld bytes in %lld ms, restore %lld ms, count %lld ms, "
                "restored database %lld bytes, total %lld ms\n",
                r.dumpBytes, r.dumpMs, r.restoreMs, r.countMs, r.restoredDatabaseBytes, r.totalMs);
}

TEST(RestoreTest, FailsAndNamesTheTableTruncatedInTheScratchCopy)
{
    VIGIL_REQUIRE_SANDBOX();
    services::RestoreTest test;
    test.setSqlBeforeCount(QStringLiteral("TRUNCATE public.game_moves"));
    Observed run;
    run.attach(test);
    test.start(localRequest());
    ASSERT_TRUE(waitUntil([&] { return run.done; }, 300000));
    const services::RestoreTestResult &r = run.result;
    ASSERT_FALSE(r.error.isError()) << r.error.toText().toStdString();
    EXPECT_TRUE(r.proven);
    EXPECT_FALSE(r.passed());
    EXPECT_EQ(r.failedTables(), 1);
    const auto *moves = table(r, "public.game_moves");
    ASSERT_TRUE(moves);
    EXPECT_FALSE(moves->matches());
    EXPECT_GE(moves->source.rows.value_or(0), 12000);
    EXPECT_EQ(moves->restored.rows, 0);
    EXPECT_NE(moves->source.checksum, moves->restored.checksum);
    ASSERT_TRUE(table(r, "public.game_sessions"));
    EXPECT_TRUE(table(r, "public.game_sessions")->matches());
    expectScratchGone(r);
}

TEST(RestoreTest, CancelWhileRestoringRemovesTheInstance)
{
    VIGIL_REQUIRE_SANDBOX();
    services::RestoreTest test;
    Observed run;
    run.attach(test);
    QObject::connect(&test, &services::RestoreTest::restoreStarted, &test,
                     [&test] { test.cancel(); });
    test.start(localRequest());
    ASSERT_TRUE(waitUntil([&] { return run.done; }, 300000));
    EXPECT_EQ(run.result.error.kind, services::ServiceError::Kind::Cancelled);
    EXPECT_FALSE(run.result.passed());
    expectScratchGone(run.result);
}

namespace {

ProcessRun restoreTestCommand(const QStringList &extra, const QString &user,
                              const QString &password, const QString &dataHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), password); // moved into a pgpass file
    env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
    return runInLoop(QStringLiteral(VIGIL_BINARY),
                     QStringList{QStringLiteral("restore-test"), QStringLiteral("--patroni"),
                                 Sandbox::patroniUrl(), QStringLiteral("--sql"),
                                 QStringLiteral("dbname=postgres user=%1").arg(user)} +
                         extra,
                     300000, env);
}

QByteArray auditLogUnder(const QString &dataHome)
{
    QDirIterator it(dataHome, {QStringLiteral("audit.jsonl")}, QDir::Files,
                    QDirIterator::Subdirectories);
    if (!it.hasNext())
        return {};
    QFile f(it.next());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

// Headless: a passing run that keeps its dump and counts; --dump compares against them; the
// same dump without its sidecar is only restored and counted (exit 3, "NOT PROVEN").
// A wizard closed while its throwaway instance runs: the destructor does not wait on the thread
// it runs on (it used to wait up to 15 s for pg_ctl stop), and neither the postmaster nor the
// folder outlives it.
TEST(RestoreTest, DestroyingARunningThrowawayInstanceStopsItWithoutWaiting)
{
    if (services::restoreTestBinDir().isEmpty())
        GTEST_SKIP() << "no PostgreSQL server binaries on this machine";
    auto instance = std::make_unique<services::ThrowawayInstance>();
    bool ready = false;
    QObject::connect(instance.get(), &services::ThrowawayInstance::ready, [&] { ready = true; });
    instance->start(services::restoreTestBinDir());
    ASSERT_TRUE(waitUntil([&] { return ready; }, 120000));
    const QString folder = instance->folder();
    ASSERT_TRUE(anyProcessMentions(folder)) << "the postmaster runs";
    QElapsedTimer destroying;
    destroying.start();
    instance.reset();
    const qint64 destroyMs = destroying.elapsed();
    std::printf("[ figures  ] destructor took %lld ms\n", destroyMs);
    EXPECT_LT(destroyMs, 2000) << "it waited for the instance to stop";
    EXPECT_FALSE(QFileInfo::exists(folder));
    EXPECT_TRUE(waitUntil([&] { return !anyProcessMentions(folder); }, 10000))
        << "a postgres of " << folder.toStdString() << " outlived its instance";
}

TEST(RestoreTest, CommandPassesKeepsTheDumpAndComparesItLater)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    const QString dump = dir.filePath(QStringLiteral("kept.dump"));
    ProcessRun r = restoreTestCommand({QStringLiteral("--database"), QStringLiteral("hokm_game"),
                                       QStringLiteral("--keep-dump"), dump},
                                      QStringLiteral("hokm_app"), appPassword(), data);
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("RESULT: PASS"))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("public.game_moves"))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("scratch copy removed"))) << show(r);
    // A replica by default, progress per phase and table on stderr.
    EXPECT_FALSE(r.err.contains(QStringLiteral("from %1 (").arg(Sandbox::leaderName()))) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("Restoring with pg_restore"))) << show(r);
    ASSERT_TRUE(QFileInfo::exists(dump));
    ASSERT_TRUE(QFileInfo::exists(services::restoreSidecarPath(dump)));
    const QByteArray log = auditLogUnder(data);
    EXPECT_TRUE(log.contains("\"action\":\"restore_test\"")) << log.toStdString();
    EXPECT_TRUE(log.contains("\"result\":\"ok\"")) << log.toStdString();

    r = restoreTestCommand({QStringLiteral("--dump"), dump}, QStringLiteral("hokm_app"),
                           appPassword(), data);
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("RESULT: PASS"))) << show(r);

    const QString bare = dir.filePath(QStringLiteral("bare.dump"));
    ASSERT_TRUE(QFile::copy(dump, bare));
    r = restoreTestCommand({QStringLiteral("--dump"), bare}, QStringLiteral("hokm_app"),
                           appPassword(), data);
    EXPECT_EQ(r.exitCode, 3) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("NOT PROVEN"))) << show(r);
    EXPECT_FALSE(r.out.contains(QStringLiteral("PASS"))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("counted"))) << show(r);
}

// --target cluster: a scratch database on the leader (as the superuser, who may create one),
// with the warning, dropped afterwards.
TEST(RestoreTest, CommandOnAScratchDatabaseOfTheLeaderDropsIt)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString password = secret("PW_POSTGRES");
    ASSERT_FALSE(password.isEmpty());
    const ProcessRun r = restoreTestCommand(
        {QStringLiteral("--database"), QStringLiteral("hokm_game"), QStringLiteral("--target"),
         QStringLiteral("cluster")},
        QStringLiteral("postgres"), password, dir.filePath(QStringLiteral("data")));
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("replica replays"))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("scratch database vigil_restore_test_"))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("scratch copy removed"))) << show(r);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), password);
    const ProcessRun left =
        runInLoop(QStringLiteral("psql"),
                  {QStringLiteral("-XAt"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                   QStringLiteral("-p"), QString::number(memberPort(Sandbox::leaderName())),
                   QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-d"),
                   QStringLiteral("postgres"), QStringLiteral("-c"),
                   QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE "
                                  "'vigil\\_restore\\_test%'")},
                  30000, env);
    ASSERT_EQ(left.exitCode, 0) << show(left);
    EXPECT_EQ(left.out.trimmed(), QStringLiteral("0"));
}
