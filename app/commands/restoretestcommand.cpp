#include "app/commands/restoretestcommand.h"

#include "app/commands/backupsource.h"
#include "app/commands/commandoutput.h"
#include "app/commands/stopsignals.h"
#include "app/commands/targetoptions.h"
#include "app/commands/texttable.h"
#include "app/tr.h"
#include "services/backup/backupaudit.h"
#include "services/backup/backupmember.h"
#include "services/backup/restoretest.h"
#include "services/core/formatting.h"
#include "services/monitor/clustermonitor.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace vigil::app {

namespace {

const QString kCommand = QStringLiteral("restore-test");

struct RestoreTestOptions
{
    QCommandLineOption database{QStringLiteral("database"),
                                Tr::tr("The database to dump, restore and compare."),
                                Tr::tr("name")};
    QCommandLineOption dump{QStringLiteral("dump"),
                            Tr::tr("Restore this existing dump instead (compared against the "
                                   "counts recorded beside it in FILE.counts.json, if any)."),
                            Tr::tr("file")};
    QCommandLineOption target{QStringLiteral("target"),
                              Tr::tr("Where to restore: local (a throwaway PostgreSQL instance, "
                                     "the default when the server programs are installed) or "
                                     "cluster (a scratch database on the leader)."),
                              QStringLiteral("local|cluster")};
    QCommandLineOption keepDump{QStringLiteral("keep-dump"),
                                Tr::tr("Keep the dump taken at this path, with its counts in "
                                       "FILE.counts.json for a later --dump."),
                                Tr::tr("file")};
    QCommandLineOption binDir{QStringLiteral("bin-dir"),
                              Tr::tr("The folder of initdb, pg_ctl, pg_dump and pg_restore "
                                     "(default: the newest /usr/lib/postgresql/NN/bin)."),
                              Tr::tr("path")};
};

QString figures(const services::TableFigures &f)
{
    if (!f.error.isEmpty())
        return Tr::tr("error");
    return f.rows ? QString::number(*f.rows) : QStringLiteral("-");
}

void printReport(const services::RestoreTestResult &r)
{
    TextTable table({Tr::tr("TABLE"), Tr::tr("SOURCE ROWS"), Tr::tr("RESTORED ROWS"),
                     Tr::tr("CHECKSUM"), Tr::tr("RESULT")});
    table.setRightAligned(1);
    table.setRightAligned(2);
    for (const services::RestoreTableCheck &t : r.tables) {
        const bool sumsEqual = t.source.checksum == t.restored.checksum;
        QString verdict = !r.proven     ? Tr::tr("counted")
                          : t.matches() ? Tr::tr("pass")
                                        : Tr::tr("FAIL");
        table.addRow({t.qualifiedName(), figures(t.source), figures(t.restored),
                      !t.hasSource() ? QStringLiteral("-")
                      : sumsEqual    ? Tr::tr("equal")
                                     : Tr::tr("differs"),
                      verdict});
    }
    printOut(table.render(TextTable::Style::Plain));
    for (const services::RestoreTableCheck &t : r.tables) {
        if (!t.restored.error.isEmpty())
            printOut(Tr::tr("%1: %2\n").arg(t.qualifiedName(), t.restored.error));
    }
    for (const QString &line : r.restoreErrors)
        printOut(Tr::tr("pg_restore: %1\n").arg(line));
    const auto secs = [](qint64 ms) {
        return QString::number(double(ms) / 1000.0, 'f', 1);
    };
    printOut(Tr::tr("dump %1 (%2 bytes) in %3 s; source database %4\n")
                 .arg(services::formatBytes(r.dumpBytes))
                 .arg(r.dumpBytes)
                 .arg(secs(r.dumpMs), services::formatBytes(r.sourceDatabaseBytes)));
    printOut(Tr::tr("restore into %1 in %2 s; restored database %3; counting %4 s; total %5 s\n")
                 .arg(r.targetDescription, secs(r.restoreMs),
                      services::formatBytes(r.restoredDatabaseBytes), secs(r.countMs),
                      secs(r.totalMs)));
    printOut(r.scratchRemoved ? Tr::tr("scratch copy removed\n")
                              : Tr::tr("scratch copy NOT removed: %1\n").arg(r.cleanupError));
    if (r.error)
        printOut(Tr::tr("RESULT: the restore test did not finish: %1\n").arg(r.error.toText()));
    else if (r.passed())
        printOut(Tr::tr("RESULT: PASS - %1 tables restored with the same rows and checksums as "
                        "the source at the dump's snapshot %2\n")
                     .arg(r.tables.size())
                     .arg(r.snapshot));
    else if (!r.proven)
        printOut(Tr::tr("RESULT: NOT PROVEN - this dump has no counts recorded at its snapshot, "
                        "so it was only restored and counted; nothing was compared\n"));
    else
        printOut(Tr::tr("RESULT: FAIL - %1 of %2 tables differ%3\n")
                     .arg(r.failedTables())
                     .arg(r.tables.size())
                     .arg(r.restoreErrors.isEmpty() ? QString()
                                                    : Tr::tr("; pg_restore reported errors")));
}

int exitCodeOf(const services::RestoreTestResult &r)
{
    if (r.passed())
        return 0;
    if (!r.error && !r.proven && r.restoreErrors.isEmpty())
        return 3;
    return 1;
}

void printPhase(services::RestoreTest::Phase phase)
{
    printErr(Tr::tr("vigil restore-test: %1\n").arg(services::RestoreTest::phaseText(phase)));
}

} // namespace

namespace {

void runTest(const BackupSource &source, services::RestoreTestRequest request,
             const QString &cluster, services::RestoreTest *test)
{
    request.source = source.settings;
    request.clusterTarget = source.leader;
    if (request.dumpFile.isEmpty())
        printErr(Tr::tr("vigil restore-test: %1 from %2\n").arg(request.database, source.label));
    if (request.target == services::RestoreTarget::ClusterDatabase)
        printErr(Tr::tr("vigil restore-test: warning: restoring into a scratch database on the "
                        "leader %1 writes WAL that every replica replays and takes disk on every "
                        "member until it is dropped\n")
                     .arg(source.leader.displayHost()));
    QObject::connect(test, &services::RestoreTest::phaseChanged, test, &printPhase);
    QObject::connect(test, &services::RestoreTest::progressChanged, test,
                     [](const QString &table, int done, int total) {
                         if (!table.isEmpty())
                             printErr(Tr::tr("vigil restore-test:   %1 (%2 of %3)\n")
                                          .arg(table)
                                          .arg(done)
                                          .arg(total));
                     });
    const QString database = request.database.isEmpty() ? request.dumpFile : request.database;
    QObject::connect(
        test, &services::RestoreTest::finished, test,
        [cluster, source, database](const services::RestoreTestResult &r) {
            QString error;
            if (!services::AuditLog().append(
                    services::restoreTestAuditEntry(cluster, source.member, database, r), &error))
                printCommandError(kCommand, Tr::tr("The audit log was not written: %1").arg(error));
            printReport(r);
            QCoreApplication::exit(exitCodeOf(r));
        });
    test->start(request);
}

} // namespace

int runRestoreTestCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Prove that a dump restores: pg_dump -Fc of the database at an exported snapshot "
               "while the same snapshot counts every table, pg_restore into a scratch target, "
               "count again and compare table by table; the scratch copy is removed afterwards.") +
        QLatin1Char('\n') + services::restoreTestChecksumDescription() + QLatin1Char('\n') +
        services::replicaDefaultReason());
    parser.addHelpOption();
    const RestoreTestOptions o;
    parser.addOptions({o.database, o.dump, o.target, o.keepDump, o.binDir});
    TargetOptions target(TargetOptions::Use::Diagnostics);
    target.addTo(parser);
    if (!target.process(parser, arguments, kCommand))
        return 2;
    services::RestoreTestRequest request;
    request.database = parser.value(o.database);
    if (parser.isSet(o.dump))
        request.dumpFile = QFileInfo(parser.value(o.dump)).absoluteFilePath();
    if (request.database.isEmpty() == request.dumpFile.isEmpty()) {
        printCommandError(kCommand, Tr::tr("Name either the database to test (--database) or an "
                                           "existing dump (--dump FILE)."));
        return 2;
    }
    if (parser.isSet(o.keepDump))
        request.keepDumpAs = QFileInfo(parser.value(o.keepDump)).absoluteFilePath();
    request.binDir = parser.value(o.binDir);
    const QString where = parser.value(o.target);
    if (where == QLatin1String("cluster")) {
        request.target = services::RestoreTarget::ClusterDatabase;
    } else if (where.isEmpty() || where == QLatin1String("local")) {
        if (where.isEmpty() && request.binDir.isEmpty() &&
            services::restoreTestBinDir().isEmpty()) {
            request.target = services::RestoreTarget::ClusterDatabase;
            printErr(Tr::tr("vigil restore-test: no PostgreSQL server programs here for a "
                            "throwaway instance; using a scratch database on the leader\n"));
        }
    } else {
        printCommandError(kCommand, Tr::tr("--target is local or cluster, not '%1'.").arg(where));
        return 2;
    }
    const TargetOptions::Values t = target.values();
    services::ClusterProfile profile;
    t.applyTo(profile);

    QObject scope;
    auto *test = new services::RestoreTest(&scope);
    const StopSignals stop([test] {
        printErr(Tr::tr("vigil restore-test: cancelling; removing the scratch copy\n"));
        if (test->isRunning())
            test->cancel();
        else
            QCoreApplication::exit(1);
    });
    findBackupSource(t, QStringLiteral("vigil-restore-test"), &scope,
                     [&](const BackupSource &source, const services::ServiceError &error) {
                         if (error)
                             return failCommand(kCommand, error.toText(), 1);
                         runTest(source, request, profile.name, test);
                     });
    return QCoreApplication::exec();
}

} // namespace vigil::app
