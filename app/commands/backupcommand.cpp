#include "app/commands/backupcommand.h"

#include "app/commands/backupsource.h"
#include "app/commands/commandoutput.h"
#include "app/commands/stopsignals.h"
#include "app/commands/targetoptions.h"
#include "app/tr.h"
#include "services/backup/backupaudit.h"
#include "services/backup/backupmember.h"
#include "services/backup/pgdumprunner.h"
#include "services/core/formatting.h"
#include "services/monitor/clustermonitor.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace vigil::app {

namespace {

const QString kCommand = QStringLiteral("backup");

struct BackupOptions
{
    QCommandLineOption database{QStringLiteral("database"), Tr::tr("The database to dump."),
                                Tr::tr("name")};
    QCommandLineOption out{QStringLiteral("out"),
                           Tr::tr("The file to write (pg_dump's custom format); FILE.sha256 is "
                                  "written beside it."),
                           Tr::tr("file")};
    QCommandLineOption pgDump{QStringLiteral("pg-dump"),
                              Tr::tr("The pg_dump program to run (default: pg_dump on PATH)."),
                              Tr::tr("path")};
};

void printProgress(double fraction, const QString &table, int started, int total)
{
    if (table.isEmpty()) // the end: pg_dump exited 0
        return printErr(Tr::tr("vigil backup: 100% (%1 tables)\n").arg(total));
    printErr(Tr::tr("vigil backup: %1% %2 (table %3 of %4)\n")
                 .arg(int(fraction * 100))
                 .arg(table)
                 .arg(started)
                 .arg(total));
}

void printResult(const services::BackupResult &r, const QString &program)
{
    printOut(Tr::tr("%1\nsize %2 (%3 bytes)\nsha256 %4\nelapsed %5 s\nby %6 (%7)\n")
                 .arg(r.file, services::formatBytes(r.bytes))
                 .arg(r.bytes)
                 .arg(QString::fromLatin1(r.sha256Hex))
                 .arg(double(r.elapsedMs) / 1000.0, 0, 'f', 1)
                 .arg(r.pgDumpVersion, program));
}

} // namespace

namespace {

// Runs the dump from `source` and ends the event loop with the exit code; the audit log gets
// the outcome either way.
void runDump(const BackupSource &source, const services::PgDumpRequest &base,
             const QString &cluster, services::PgDumpRunner *runner)
{
    services::PgDumpRequest request = base;
    request.connection = source.settings;
    printErr(Tr::tr("vigil backup: dumping %1 from %2 to %3\n")
                 .arg(request.database, source.label, request.outputFile));
    auto audit = [cluster, source, request](const services::BackupResult *r,
                                            const services::ServiceError &e) {
        QString error;
        if (!services::AuditLog().append(
                services::backupAuditEntry(cluster, source.member, request, r, e), &error))
            printCommandError(kCommand, Tr::tr("The audit log was not written: %1").arg(error));
    };
    QObject::connect(runner, &services::PgDumpRunner::progressChanged, runner, &printProgress);
    QObject::connect(runner, &services::PgDumpRunner::finished, runner,
                     [audit, runner](const services::BackupResult &r) {
                         audit(&r, {});
                         printResult(r, runner->program());
                         QCoreApplication::exit(0);
                     });
    QObject::connect(runner, &services::PgDumpRunner::failed, runner,
                     [audit](const services::ServiceError &e) {
                         audit(nullptr, e);
                         failCommand(kCommand, e.toText(), 1);
                     });
    runner->start(request);
}

} // namespace

int runBackupCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Take a full backup of one database with pg_dump -Fc, from a replica by default, "
               "with a progress line per table, and write its SHA-256 beside it.") +
        QLatin1Char('\n') + services::replicaDefaultReason());
    parser.addHelpOption();
    const BackupOptions o;
    parser.addOptions({o.database, o.out, o.pgDump});
    TargetOptions target(TargetOptions::Use::Diagnostics);
    target.addTo(parser);
    if (!target.process(parser, arguments, kCommand))
        return 2;
    if (parser.value(o.database).isEmpty() || parser.value(o.out).isEmpty()) {
        printCommandError(kCommand, Tr::tr("Name the database (--database) and the file to "
                                           "write (--out)."));
        return 2;
    }
    const QFileInfo out(parser.value(o.out));
    if (!out.absoluteDir().exists()) {
        printCommandError(kCommand,
                          Tr::tr("The folder %1 does not exist.").arg(out.absolutePath()));
        return 2;
    }
    services::PgDumpRequest request;
    request.database = parser.value(o.database);
    request.outputFile = out.absoluteFilePath();
    request.program = parser.value(o.pgDump);
    const TargetOptions::Values t = target.values();
    services::ClusterProfile profile;
    t.applyTo(profile);

    QObject scope;
    auto *runner = new services::PgDumpRunner(&scope);
    const StopSignals stop([runner] {
        printErr(Tr::tr("vigil backup: cancelling\n"));
        if (runner->isRunning())
            runner->cancel();
        else
            QCoreApplication::exit(1);
    });
    findBackupSource(t, QStringLiteral("vigil-backup"), &scope,
                     [&](const BackupSource &source, const services::ServiceError &error) {
                         if (error)
                             return failCommand(kCommand, error.toText(), 1);
                         runDump(source, request, profile.name, runner);
                     });
    return QCoreApplication::exec();
}

} // namespace vigil::app
