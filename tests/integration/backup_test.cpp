// Full backups on the sandbox: pg_dump -Fc of the workload database (hokm_game) from a replica
// through PgDumpRunner and through `vigil backup`; pg_restore --list reads the file, its SHA-256
// matches, and while pg_dump runs its /proc/PID/cmdline and /proc/PID/environ hold no password
// (the password is in a 0600 temporary pgpass file, gone afterwards). A wrong password and a
// cancel give their clear endings and leave no file behind.
#include "services/backup/pgdumprunner.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "troubleshooting_fixture.h"
#include "ui/backup/backupdialog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>

using namespace vigil;
using namespace vigil::test;

namespace {

// hokm_app's password, as the keychain would hand it to Vigil (the sandbox's secrets file).
QString appPassword()
{
    QFile f(Sandbox::dir() + QStringLiteral("/secrets.env"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("PW_HOKM_APP="))
            return QString::fromUtf8(line.mid(12)).trimmed();
    return {};
}

// A streaming replica's name and port (node1..3 on B+10..12).
std::pair<QString, int> replica()
{
    const QString leader = Sandbox::leaderName();
    for (int i = 1; i <= 3; ++i) {
        const QString name = QStringLiteral("node%1").arg(i);
        if (name != leader)
            return {name, Sandbox::portBase() + 10 + i - 1};
    }
    return {};
}

services::PgDumpRequest request(const QString &password, const QString &file)
{
    services::PgDumpRequest r;
    r.connection = services::PgConnectionSettings::forApplication(
                       QStringLiteral("dbname=postgres user=hokm_app"),
                       QStringLiteral("vigil-backup"), password)
                       .atMember(QStringLiteral("127.0.0.1"), replica().second);
    r.database = QStringLiteral("hokm_game");
    r.outputFile = file;
    return r;
}

QByteArray procFile(qint64 pid, const char *name)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// What one run ended with.
struct Outcome
{
    bool done = false;
    services::BackupResult result;
    services::ServiceError error;
    QByteArray cmdline, environ; // of pg_dump, read while it ran
    QString pgpassPath;
    QFileDevice::Permissions pgpassPermissions;
    int progressSignals = 0;
    double lastFraction = 0;

    void attach(services::PgDumpRunner &runner, bool cancelAtStart = false)
    {
        QObject::connect(&runner, &services::PgDumpRunner::dumpStarted, &runner,
                         [this, &runner, cancelAtStart](qint64 pid) {
                             cmdline = procFile(pid, "cmdline");
                             environ = procFile(pid, "environ");
                             pgpassPath = runner.pgpassPath();
                             pgpassPermissions = QFileInfo(pgpassPath).permissions();
                             if (cancelAtStart)
                                 runner.cancel();
                         });
        QObject::connect(&runner, &services::PgDumpRunner::progressChanged, &runner,
                         [this](double f, const QString &, int, int) {
                             ++progressSignals;
                             lastFraction = f;
                         });
        QObject::connect(&runner, &services::PgDumpRunner::finished, &runner,
                         [this](const services::BackupResult &r) {
                             result = r;
                             done = true;
                         });
        QObject::connect(&runner, &services::PgDumpRunner::failed, &runner,
                         [this](const services::ServiceError &e) {
                             error = e;
                             done = true;
                         });
    }
};

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

} // namespace

TEST(Backup, DumpsTheWorkloadDatabaseFromAReplicaWithoutAPasswordInTheChild)
{
    VIGIL_REQUIRE_SANDBOX();
    const QString password = appPassword();
    ASSERT_FALSE(password.isEmpty()) << "no PW_HOKM_APP in the sandbox's secrets.env";
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("hokm_game.dump"));
    services::PgDumpRunner runner;
    Outcome o;
    o.attach(runner);
    runner.start(request(password, file));
    ASSERT_TRUE(waitUntil([&] { return o.done; }, 180000));
    ASSERT_FALSE(o.error.isError()) << o.error.toText().toStdString();

    // While pg_dump ran: no password on its command line or in its environment, and the
    // password file it read was 0600 and is gone now.
    ASSERT_FALSE(o.cmdline.isEmpty());
    EXPECT_TRUE(o.cmdline.contains("pg_dump"));
    EXPECT_TRUE(o.cmdline.contains("-Fc"));
    EXPECT_FALSE(o.cmdline.contains(password.toUtf8())) << o.cmdline.toStdString();
    ASSERT_FALSE(o.environ.isEmpty());
    EXPECT_FALSE(o.environ.contains(password.toUtf8()));
    EXPECT_FALSE(o.environ.contains("PGPASSWORD="));
    EXPECT_TRUE(o.environ.contains("PGPASSFILE=" + o.pgpassPath.toUtf8()));
    ASSERT_FALSE(o.pgpassPath.isEmpty());
    EXPECT_EQ(o.pgpassPermissions, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                       QFileDevice::ReadUser | QFileDevice::WriteUser);
    EXPECT_FALSE(QFileInfo::exists(o.pgpassPath));

    // The file: pg_restore reads its table of contents, the SHA-256 is the file's, and the
    // .sha256 file says the same in sha256sum's format.
    EXPECT_EQ(o.result.file, file);
    EXPECT_EQ(o.result.bytes, QFileInfo(file).size());
    EXPECT_EQ(o.result.sha256Hex, sha256Of(file));
    QFile side(file + QStringLiteral(".sha256"));
    ASSERT_TRUE(side.open(QIODevice::ReadOnly));
    EXPECT_EQ(side.readAll(), o.result.sha256Hex + "  hokm_game.dump\n");
    const ProcessRun list =
        runInLoop(QStringLiteral("pg_restore"), {QStringLiteral("--list"), file}, 60000);
    ASSERT_EQ(list.exitCode, 0) << show(list);
    EXPECT_TRUE(list.out.contains(QStringLiteral("TABLE DATA public game_moves"))) << show(list);
    EXPECT_TRUE(list.out.contains(QStringLiteral("TABLE DATA public game_sessions")));
    EXPECT_FALSE(QFileInfo::exists(services::PgDumpRunner::partialPath(file)));
    // Progress per table: the workload's tables were weighed and each one advanced the bar.
    EXPECT_GE(o.result.tables, 2);
    EXPECT_GE(o.progressSignals, 2);
    EXPECT_DOUBLE_EQ(o.lastFraction, 1.0);
    EXPECT_EQ(o.result.host, QStringLiteral("127.0.0.1:%1").arg(replica().second));
}

TEST(Backup, WrongPasswordSaysSoAndLeavesNoFile)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("wrong.dump"));
    services::PgDumpRunner runner;
    Outcome o;
    o.attach(runner);
    runner.start(request(QStringLiteral("not-the-password"), file));
    ASSERT_TRUE(waitUntil([&] { return o.done; }, 60000));
    ASSERT_TRUE(o.error.isError());
    EXPECT_EQ(o.error.kind, services::ServiceError::Kind::Auth) << o.error.toText().toStdString();
    EXPECT_TRUE(o.error.toText().contains(QStringLiteral("password authentication failed")))
        << o.error.toText().toStdString();
    EXPECT_FALSE(QFileInfo::exists(file));
    EXPECT_FALSE(QFileInfo::exists(services::PgDumpRunner::partialPath(file)));
}

TEST(Backup, CancelEndsPgDumpAndRemovesThePartialAndPasswordFiles)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("cancelled.dump"));
    services::PgDumpRunner runner;
    Outcome o;
    o.attach(runner, true);
    runner.start(request(appPassword(), file));
    ASSERT_TRUE(waitUntil([&] { return o.done; }, 60000));
    EXPECT_EQ(o.error.kind, services::ServiceError::Kind::Cancelled);
    ASSERT_FALSE(o.pgpassPath.isEmpty());
    EXPECT_FALSE(QFileInfo::exists(o.pgpassPath));
    // pg_dump ends (SIGTERM) and no file stays behind.
    EXPECT_TRUE(waitUntil([&] { return runner.processId() == 0; }, 10000));
    EXPECT_FALSE(QFileInfo::exists(file));
    EXPECT_FALSE(QFileInfo::exists(services::PgDumpRunner::partialPath(file)));
}

TEST(Backup, CommandDumpsFromAReplicaAndPrintsSizeAndSha256)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("cli.dump"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), appPassword()); // moved into the pgpass file
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    const ProcessRun r = runInLoop(
        QStringLiteral(VIGIL_BINARY),
        {QStringLiteral("backup"), QStringLiteral("--patroni"), Sandbox::patroniUrl(),
         QStringLiteral("--sql"), QStringLiteral("dbname=postgres user=hokm_app"),
         QStringLiteral("--database"), QStringLiteral("hokm_game"), QStringLiteral("--out"), file},
        180000, env);
    ASSERT_EQ(r.exitCode, 0) << show(r);
    const QByteArray sha = sha256Of(file);
    ASSERT_FALSE(sha.isEmpty());
    EXPECT_TRUE(r.out.contains(QStringLiteral("sha256 ") + QString::fromLatin1(sha))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("%1 bytes").arg(QFileInfo(file).size())));
    // A replica, never the leader, without --member; a progress line per table.
    EXPECT_FALSE(r.err.contains(QStringLiteral("from %1 (").arg(Sandbox::leaderName()))) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("public.game_moves"))) << show(r);
    const ProcessRun list =
        runInLoop(QStringLiteral("pg_restore"), {QStringLiteral("--list"), file}, 60000);
    EXPECT_EQ(list.exitCode, 0) << show(list);
    // The audit log (under the run's XDG_DATA_HOME) has the backup, with its result.
    QDirIterator it(dir.filePath(QStringLiteral("data")), {QStringLiteral("audit.jsonl")},
                    QDir::Files, QDirIterator::Subdirectories);
    ASSERT_TRUE(it.hasNext()) << "no audit.jsonl under " << dir.path().toStdString();
    QFile audit(it.next());
    ASSERT_TRUE(audit.open(QIODevice::ReadOnly));
    const QByteArray log = audit.readAll();
    EXPECT_TRUE(log.contains("\"action\":\"backup\"")) << log.toStdString();
    EXPECT_TRUE(log.contains(sha)) << log.toStdString();
    EXPECT_TRUE(log.contains("\"result\":\"ok\"")) << log.toStdString();
}

namespace {

// The sandbox as the window's snapshot names it (roles from Patroni).
services::ClusterSnapshotPtr sandboxSnapshot()
{
    auto s = std::make_shared<services::ClusterSnapshot>();
    s->scope = QStringLiteral("hokm-ha");
    const QString leader = Sandbox::leaderName();
    for (int i = 1; i <= 3; ++i) {
        services::MemberSnapshot m;
        m.name = QStringLiteral("node%1").arg(i);
        m.host = QStringLiteral("127.0.0.1");
        m.port = Sandbox::portBase() + 10 + i - 1;
        m.role = m.name == leader ? services::PatroniRole::Leader : services::PatroniRole::Replica;
        m.state = m.name == leader ? QStringLiteral("running") : QStringLiteral("streaming");
        m.lagBytes = m.name == leader ? std::nullopt : std::optional<qint64>(0);
        m.databaseSizes = {{QStringLiteral("postgres"), 8 << 20},
                           {QStringLiteral("hokm_game"), 9 << 20}};
        s->members.append(m);
    }
    return s;
}

void shoot(QWidget *w, const QString &name)
{
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    EXPECT_TRUE(w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

} // namespace

// The dialog as the window opens it, run against the sandbox: rendered while pg_dump runs and
// when it is done (size and SHA-256 shown), and the audit log gets the backup.
TEST(Backup, DialogDumpsFromTheDefaultReplicaAndShowsSizeAndSha256)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    services::OperationContext ctx;
    ctx.profile.name = QStringLiteral("hokm-ha");
    ctx.profile.sqlConninfo = QStringLiteral("dbname=postgres user=hokm_app");
    ctx.secrets.sqlPassword = appPassword();
    ctx.audit = std::make_shared<services::AuditLog>(dir.filePath(QStringLiteral("audit.jsonl")));
    ui::BackupDialog d(ctx, sandboxSnapshot());
    EXPECT_NE(d.member(), Sandbox::leaderName());
    EXPECT_EQ(d.database(), QStringLiteral("hokm_game"));
    const QString file = dir.filePath(QStringLiteral("dialog.dump"));
    d.setOutputFile(file);
    d.resize(720, d.sizeHint().height());
    d.show();
    bool shotDuring = false, ended = false;
    QObject::connect(d.runner(), &services::PgDumpRunner::progressChanged, &d,
                     [&](double f, const QString &, int, int) {
                         if (!shotDuring && f < 1.0) {
                             EXPECT_TRUE(d.cancelButton()->isEnabled());
                             shoot(&d, QStringLiteral("backupdialog_running"));
                             shotDuring = true;
                         }
                     });
    QObject::connect(d.runner(), &services::PgDumpRunner::finished, &d, [&] { ended = true; });
    QObject::connect(d.runner(), &services::PgDumpRunner::failed, &d, [&] { ended = true; });
    d.startBackup();
    ASSERT_TRUE(waitUntil([&] { return ended; }, 180000));
    spin(50);
    EXPECT_TRUE(shotDuring);
    shoot(&d, QStringLiteral("backupdialog_done"));
    const QByteArray sha = sha256Of(file);
    ASSERT_FALSE(sha.isEmpty()) << d.resultLabel()->text().toStdString();
    EXPECT_TRUE(d.resultLabel()->text().contains(QString::fromLatin1(sha)));
    const auto entries = ctx.audit->readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].action, QStringLiteral("backup"));
    EXPECT_EQ(entries[0].result, QStringLiteral("ok"));
    EXPECT_EQ(entries[0].member, d.member());
    EXPECT_EQ(entries[0].parameters.value(QStringLiteral("sha256")).toString(),
              QString::fromLatin1(sha));
}
