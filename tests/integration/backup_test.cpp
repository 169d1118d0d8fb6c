// Full backups on the sandbox: pg_dump -Fc of the workload database (hokm_game) from a replica
// through PgDumpRunner and through `vigil backup`; pg_restore --list reads the file, its SHA-256
// matches, and while pg_dump runs its /proc/PID/cmdline and /proc/PID/environ hold no password
// (the password is in a 0600 temporary pgpass file, gone afterwards). A wrong password and a
// cancel give their clear endings and leave no file behind.
#include "services/backup/pgdumprunner.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/procfile.h"
#include "troubleshooting_fixture.h"
#include "ui/backup/backupdialog.h"

#include <QApplication>
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

// Holds pg_dump at its first LOCK TABLE, so that its /proc entry can be read however slow the
// machine: an ACCESS EXCLUSIVE lock on game_moves, taken on the leader in an open transaction, is
// replayed on the replica, where pg_dump's ACCESS SHARE lock waits behind it. Without it a small
// dump can end (and its /proc/PID/cmdline read empty) before the started signal is handled.
class DumpGate
{
public:
    // Takes the lock and waits until the replica has replayed it; false (and a test failure)
    // when either did not happen.
    bool close(const QString &password)
    {
        m_holder = std::make_unique<services::PgSession>();
        bool done = false, ok = false;
        QObject::connect(m_holder.get(), &services::PgSession::opened, [&] { done = ok = true; });
        QObject::connect(m_holder.get(), &services::PgSession::failed,
                         [&](const services::ServiceError &) { done = true; });
        m_holder->open(services::PgConnectionSettings::forApplication(
                           QStringLiteral("dbname=hokm_game user=hokm_app"),
                           QStringLiteral("vigil-it-dumpgate"), password)
                           .atMember(QStringLiteral("127.0.0.1"), leaderPort()),
                       std::chrono::milliseconds(5000));
        waitUntil([&] { return done; }, 10000);
        if (!ok || exec(*m_holder, QStringLiteral("BEGIN")).error.isError())
            return false;
        const SqlAnswer lock =
            exec(*m_holder, QStringLiteral("LOCK TABLE game_moves IN ACCESS EXCLUSIVE MODE"));
        EXPECT_FALSE(lock.error.isError()) << lock.error.toText().toStdString();
        const SqlAnswer table =
            exec(*m_holder, QStringLiteral("SELECT 'game_moves'::regclass::oid AS oid"));
        const qint64 oid = table.result.integer(0, QStringLiteral("oid")).value_or(0);
        // The lock's WAL record goes to the replica once WAL is flushed past it: a committed
        // transaction of another session (txid_current() takes an xid) flushes it.
        const auto replayed = [&] {
            Sandbox::run({QStringLiteral("psql"), QStringLiteral("leader"),
                          QStringLiteral("-XAtqc"), QStringLiteral("SELECT txid_current()")});
            QString out;
            Sandbox::run({QStringLiteral("psql"), replica().first, QStringLiteral("-d"),
                          QStringLiteral("hokm_game"), QStringLiteral("-XAtqc"),
                          QStringLiteral("SELECT count(*) FROM pg_locks WHERE relation = %1 "
                                         "AND mode = 'AccessExclusiveLock'")
                              .arg(oid)},
                         &out, 30000);
            return out.trimmed() == QLatin1String("1");
        };
        const bool held = oid > 0 && waitUntil(replayed, 30000);
        EXPECT_TRUE(held) << "the replica did not replay the lock on game_moves";
        return held;
    }
    void open()
    {
        if (m_holder && m_holder->isOpen())
            exec(*m_holder, QStringLiteral("COMMIT"));
    }
    ~DumpGate() { open(); }

private:
    std::unique_ptr<services::PgSession> m_holder;
};

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
    int endSignals = 0; // progress without a table name: the end's, and only it
    double lastFraction = 0;

    void attach(services::PgDumpRunner &runner, bool cancelAtStart = false)
    {
        QObject::connect(&runner, &services::PgDumpRunner::dumpStarted, &runner,
                         [this, &runner, cancelAtStart](qint64 pid) {
                             cmdline = execedFile(pid, "cmdline");
                             environ = execedFile(pid, "environ");
                             pgpassPath = runner.pgpassPath();
                             pgpassPermissions = QFileInfo(pgpassPath).permissions();
                             if (cancelAtStart)
                                 runner.cancel();
                         });
        QObject::connect(&runner, &services::PgDumpRunner::progressChanged, &runner,
                         [this](double f, const QString &table, int, int) {
                             ++progressSignals;
                             endSignals += table.isEmpty() ? 1 : 0;
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
    DumpGate gate;
    ASSERT_TRUE(gate.close(password));
    runner.start(request(password, file));
    ASSERT_TRUE(waitUntil([&] { return !o.cmdline.isEmpty() || o.done; }, 60000));
    // The gate holds: pg_dump waits for its lock on the replica while /proc is read.
    EXPECT_TRUE(waitUntil(
        [] {
            QString out;
            Sandbox::run({QStringLiteral("psql"), replica().first, QStringLiteral("-XAtqc"),
                          QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                         "application_name = 'vigil-backup' AND "
                                         "wait_event_type = 'Lock'")},
                         &out, 30000);
            return out.trimmed() == QLatin1String("1");
        },
        30000));
    gate.open();
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
    EXPECT_EQ(o.endSignals, 1); // the sizes' late answer is no "100 %" before the tables
    EXPECT_DOUBLE_EQ(o.lastFraction, 1.0);
    EXPECT_EQ(o.result.host, QStringLiteral("127.0.0.1:%1").arg(replica().second));
    // pg_dump's version and the server's major, from the archive's header and the session.
    EXPECT_TRUE(o.result.pgDumpVersion.startsWith(QStringLiteral("pg_dump (PostgreSQL) 15.")))
        << o.result.pgDumpVersion.toStdString();
    EXPECT_EQ(o.result.serverMajor, 15);
    // Debian's pg_dump is pg_wrapper (Perl): the versioned binary it would run is run directly.
    if (QFileInfo(QStringLiteral("/usr/bin/pg_dump"))
            .canonicalFilePath()
            .endsWith(QStringLiteral("/pg_wrapper"))) {
        EXPECT_TRUE(runner.program().startsWith(QStringLiteral("/usr/lib/postgresql/")))
            << runner.program().toStdString();
        EXPECT_TRUE(o.cmdline.startsWith(runner.program().toUtf8())) << o.cmdline.toStdString();
        EXPECT_TRUE(o.environ.contains("PGSYSCONFDIR=/etc/postgresql-common"));
    }
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
    DumpGate gate; // pg_dump is still running when the cancel comes
    ASSERT_TRUE(gate.close(appPassword()));
    runner.start(request(appPassword(), file));
    ASSERT_TRUE(waitUntil([&] { return o.done; }, 60000));
    gate.open();
    EXPECT_EQ(o.error.kind, services::ServiceError::Kind::Cancelled);
    ASSERT_FALSE(o.pgpassPath.isEmpty());
    EXPECT_FALSE(QFileInfo::exists(o.pgpassPath));
    // pg_dump ends (SIGTERM) and no file stays behind.
    EXPECT_TRUE(waitUntil([&] { return runner.processId() == 0; }, 10000));
    EXPECT_FALSE(QFileInfo::exists(file));
    EXPECT_FALSE(QFileInfo::exists(services::PgDumpRunner::partialPath(file)));
}

// A pg_dump program that is not what it should be, as a fake beside the real server.
QString writeFakePgDump(const QTemporaryDir &dir, const QString &body)
{
    const QString path = dir.filePath(QStringLiteral("pg_dump"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write("#!/bin/sh\n" + body.toUtf8());
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

// One backup of hokm_game to `file` through `program` (empty: the one Vigil finds), to its end.
Outcome dumpWith(const QString &program, const QString &file)
{
    services::PgDumpRunner runner;
    Outcome o;
    o.attach(runner);
    services::PgDumpRequest r = request(appPassword(), file);
    r.program = program;
    runner.start(r);
    EXPECT_TRUE(waitUntil([&] { return o.done; }, 30000));
    return o;
}

// pg_dump's version is no longer asked for before the dump: a pg_dump older than the server
// refuses it itself, and the error names both versions and the client package to install.
TEST(Backup, PgDumpOlderThanTheServerIsRefusedNamingTheClientToInstall)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    // pg_dump 14's words (pg_backup_db.c) when it meets a newer server.
    const QString fake = writeFakePgDump(
        dir, QStringLiteral("echo 'pg_dump: error: aborting because of server version mismatch' "
                            ">&2\necho 'pg_dump: detail: server version: 15.18 (Debian "
                            "15.18-0+deb12u1); pg_dump version: 14.9' >&2\nexit 1\n"));
    const QString file = dir.filePath(QStringLiteral("old.dump"));
    const Outcome o = dumpWith(fake, file);
    ASSERT_TRUE(o.error.isError());
    EXPECT_EQ(o.error.kind, services::ServiceError::Kind::Refused);
    const QString text = o.error.toText();
    EXPECT_TRUE(text.contains(QStringLiteral("pg_dump version: 14.9"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("postgresql-client-15"))) << text.toStdString();
    EXPECT_FALSE(QFileInfo::exists(file));
    EXPECT_FALSE(QFileInfo::exists(services::PgDumpRunner::partialPath(file)));
}

// A program that exits 0 but writes no archive: refused after the header check, and the older
// backup of the same name is kept as it was.
TEST(Backup, WhatIsNotAnArchiveNeverReplacesTheOlderFile)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("kept.dump"));
    // The real argument list names the output as --file=PATH.
    const QString fake = writeFakePgDump(
        dir, QStringLiteral("for a; do case $a in --file=*) echo 'not a dump' > \"${a#--file=}\";; "
                            "esac; done\nexit 0\n"));
    {
        QFile older(file);
        ASSERT_TRUE(older.open(QIODevice::WriteOnly));
        older.write("yesterday's backup");
    }
    const Outcome o = dumpWith(fake, file);
    ASSERT_TRUE(o.error.isError());
    EXPECT_TRUE(o.error.toText().contains(QStringLiteral("not a pg_dump archive")))
        << o.error.toText().toStdString();
    QFile older(file);
    ASSERT_TRUE(older.open(QIODevice::ReadOnly));
    EXPECT_EQ(older.readAll(), QByteArray("yesterday's backup"));
    EXPECT_FALSE(QFileInfo::exists(services::PgDumpRunner::partialPath(file)));
    EXPECT_FALSE(QFileInfo::exists(file + QStringLiteral(".sha256")));
}

// A whole dump that cannot take FILE's name (here FILE is a folder) stays as FILE.partial, and
// the error says where it is and its SHA-256; an older FILE is replaced in one step otherwise.
TEST(Backup, AWholeDumpThatCannotBeRenamedIsKeptAsPartial)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("taken.dump"));
    ASSERT_TRUE(QDir().mkpath(file + QStringLiteral("/inside")));
    const Outcome o = dumpWith(QString(), file);
    ASSERT_TRUE(o.error.isError());
    const QString partial = services::PgDumpRunner::partialPath(file);
    EXPECT_TRUE(o.error.toText().contains(partial)) << o.error.toText().toStdString();
    EXPECT_TRUE(o.error.toText().contains(QStringLiteral("SHA-256")));
    ASSERT_TRUE(QFileInfo::exists(partial));
    EXPECT_TRUE(o.error.toText().contains(QString::fromLatin1(sha256Of(partial))));
    const ProcessRun list =
        runInLoop(QStringLiteral("pg_restore"), {QStringLiteral("--list"), partial}, 60000);
    EXPECT_EQ(list.exitCode, 0) << show(list);

    // With the folder gone, an older file of the name is replaced by the new dump.
    ASSERT_TRUE(QDir(file).removeRecursively());
    {
        QFile older(file);
        ASSERT_TRUE(older.open(QIODevice::WriteOnly));
        older.write("yesterday's backup");
    }
    const Outcome replaced = dumpWith(QString(), file);
    ASSERT_FALSE(replaced.error.isError()) << replaced.error.toText().toStdString();
    EXPECT_EQ(replaced.result.sha256Hex, sha256Of(file));
    EXPECT_FALSE(QFileInfo::exists(partial));
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
    EXPECT_EQ(r.err.count(QStringLiteral("100% (")), 1) << show(r); // the end, said once, last
    EXPECT_GT(r.err.indexOf(QStringLiteral("100% (")), r.err.indexOf(QStringLiteral("game_moves")));
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
    // The same at the main window's war-room font (Large fonts: 1.6 times the base size).
    const QFont base = QApplication::font();
    QFont large = base;
    large.setPointSizeF(base.pointSizeF() * 1.6);
    QApplication::setFont(large);
    spin(50); // the font change reaches every widget, and the layout recomputes its hints
    d.resize(d.sizeHint().expandedTo(QSize(1100, 0)));
    spin(50);
    shoot(&d, QStringLiteral("backupdialog_done_warroom"));
    QApplication::setFont(base);
    const QByteArray sha = sha256Of(file);
    ASSERT_FALSE(sha.isEmpty()) << d.resultLabel()->text().toStdString();
    EXPECT_TRUE(d.resultLabel()->text().contains(QString::fromLatin1(sha)));
    EXPECT_TRUE(d.resultLabel()->text().contains(QStringLiteral("pg_dump (PostgreSQL) 15.")))
        << d.resultLabel()->text().toStdString();
    const auto entries = ctx.audit->readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].action, QStringLiteral("backup"));
    EXPECT_EQ(entries[0].result, QStringLiteral("ok"));
    EXPECT_EQ(entries[0].member, d.member());
    EXPECT_EQ(entries[0].parameters.value(QStringLiteral("sha256")).toString(),
              QString::fromLatin1(sha));
}
