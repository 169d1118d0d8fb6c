#include "services/backup/pgdumprunner.h"

#include "services/backup/pgpassfile.h"
#include "services/core/backgroundpool.h"
#include "services/postgres/pgrowreader.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QTemporaryFile>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <filesystem>

namespace vigil::services {

namespace {

const QString kWhat = QStringLiteral("pg_dump");
constexpr int kKillAfterMs = 5000;

} // namespace

PgDumpRunner::PgDumpRunner(QObject *parent)
    : QObject(parent)
{
}

PgDumpRunner::~PgDumpRunner()
{
    ++m_generation;
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000); // only at teardown, after SIGKILL: returns at once
    }
    cleanup(isRunning());
}

QString PgDumpRunner::partialPath(const QString &outputFile)
{
    return outputFile + QStringLiteral(".partial");
}

bool PgDumpRunner::isRunning() const
{
    return m_phase != Phase::Idle && m_phase != Phase::Done && m_phase != Phase::Failed;
}

qint64 PgDumpRunner::elapsedMs() const
{
    if (m_elapsedAtEnd >= 0)
        return m_elapsedAtEnd;
    return m_clock.isValid() ? m_clock.elapsed() : 0;
}

qint64 PgDumpRunner::processId() const
{
    return m_process && m_process->state() != QProcess::NotRunning ? m_process->processId() : 0;
}

QString PgDumpRunner::pgpassPath() const
{
    return m_pgpass ? m_pgpass->fileName() : QString();
}

void PgDumpRunner::setPhase(Phase phase)
{
    m_phase = phase;
    if (phase == Phase::Done || phase == Phase::Failed)
        m_elapsedAtEnd = m_clock.elapsed();
    Q_EMIT phaseChanged(phase);
}

void PgDumpRunner::start(const PgDumpRequest &request)
{
    if (isRunning())
        return;
    ++m_generation;
    m_request = request;
    m_progress = PgDumpProgress();
    m_result = BackupResult();
    m_cancelled = false;
    m_elapsedAtEnd = -1;
    m_clock.start();
    m_host = PgConnectionSettings(request.connection).withDatabase(request.database).displayHost();
    m_result.host = m_host;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    const PgClientProgram program = request.program.isEmpty()
                                        ? resolvePgClientProgram(QStringLiteral("pg_dump"), system)
                                        : PgClientProgram{request.program, {}, system};
    m_program = program.path;
    m_environment = program.environment;
    if (m_program.isEmpty()) {
        m_phase = Phase::Dumping; // running, so that fail() reports it
        fail(ServiceError::make(
            ServiceError::Kind::Refused, kWhat, {}, {},
            tr("pg_dump was not found on PATH. Install the PostgreSQL client programs of the "
               "server's major version or newer (Debian: postgresql-client-NN).")));
        return;
    }
    if (request.database.isEmpty() || request.outputFile.isEmpty()) {
        m_phase = Phase::Dumping;
        fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {},
                                tr("Name the database to dump and the file to write.")));
        return;
    }
    // pg_dump and the session that reads the server's version and the tables' sizes start at
    // once (pg_dump first): the sizes only weigh the progress bar. pg_dump's own version is read
    // from the header of the file it wrote, and pg_dump refuses a server newer than itself.
    // Before, `pg_dump --version` ran first: Debian's pg_dump is pg_wrapper, a Perl script, and
    // that put ~50 ms of one more Perl start ahead of (or beside) every dump.
    m_sizesKnown = false;
    m_dumpDone = false;
    startDump();
    if (isRunning())
        readSizes();
}

void PgDumpRunner::completeWhenAllIn()
{
    if (m_dumpDone && m_sizesKnown && m_phase == Phase::Dumping)
        completeDump();
}

void PgDumpRunner::readSizes()
{
    auto *session = new PgSession(this);
    m_session = session;
    const quint64 generation = m_generation;
    connect(session, &PgSession::failed, this, [this, session, generation](const ServiceError &e) {
        session->deleteLater();
        if (generation != m_generation)
            return;
        sizesUnavailable(e);
    });
    session->open(PgConnectionSettings(m_request.connection).withDatabase(m_request.database),
                  std::chrono::milliseconds(10000));
    session->exec(
        sqlResource(QStringLiteral("backup_table_sizes")), {},
        [this, generation](const PgResult &r, const ServiceError &e) {
            if (generation == m_generation)
                onSizesRead(r, e);
        },
        std::chrono::milliseconds(30000));
}

void PgDumpRunner::onSizesRead(const PgResult &result, const ServiceError &error)
{
    const int serverVersion = m_session ? m_session->serverVersion() : 0;
    if (m_session) {
        m_session->disconnect(this);
        m_session->deleteLater();
    }
    if (error) {
        sizesUnavailable(error); // a connection error also comes through PgSession::failed
        return;
    }
    m_result.serverMajor = serverMajorVersion(serverVersion);
    m_sizesKnown = true;
    QList<BackupTable> tables;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const auto row = reader.row(i);
        tables.append(
            {row.text("schema_name"), row.text("table_name"), row.integer("bytes").value_or(0)});
    }
    m_progress.setTables(tables);
    m_result.tables = int(tables.size());
    // Sizes that came after tables began reweigh the bar; before any, there is nothing to show
    // (an empty table name is the end's signal).
    if (m_phase == Phase::Dumping && m_progress.tablesStarted() > 0 && !m_dumpDone)
        Q_EMIT progressChanged(m_progress.fraction(), m_progress.currentTable(),
                               m_progress.tablesStarted(), m_progress.tablesTotal());
    completeWhenAllIn(); // pg_dump may have ended first (a small database)
}

void PgDumpRunner::sizesUnavailable(const ServiceError &error)
{
    if (m_sizesKnown)
        return; // the second report of the same failure
    m_sizesKnown = true;
    // pg_dump already exited 0: the dump is whole, only the progress weights (and the server's
    // major in the result) are missing. Else the session's error (a refused password, no
    // answer) is the clearer one, and pg_dump would meet the same.
    if (m_dumpDone)
        completeWhenAllIn();
    else
        fail(error);
}

bool PgDumpRunner::writePgpass(const QString &line, QString *error)
{
    // 0600 with a unique name; it stays until cleanup(), right after pg_dump ended.
    m_pgpass = writeTemporaryPgpass(line, error);
    return bool(m_pgpass);
}

void PgDumpRunner::startDump()
{
    setPhase(Phase::Dumping);
    PgDumpRequest request = m_request;
    request.outputFile = partialPath(m_request.outputFile);
    QFile::remove(request.outputFile);
    // The file name is fixed before the line is written, so the invocation can name it.
    const PgDumpInvocation probe = buildPgDumpInvocation(request, {}, m_environment);
    QString pgpassFile;
    if (!probe.pgpassLine.isEmpty()) {
        QString error;
        if (!writePgpass(probe.pgpassLine, &error)) {
            fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {}, error));
            return;
        }
        pgpassFile = m_pgpass->fileName();
    }
    const PgDumpInvocation inv = buildPgDumpInvocation(request, pgpassFile, m_environment);
    auto *p = new QProcess(this);
    m_process = p;
    p->setProcessEnvironment(inv.environment);
    p->setProcessChannelMode(QProcess::SeparateChannels);
    p->setStandardOutputFile(QProcess::nullDevice());
    const quint64 generation = m_generation;
    connect(p, &QProcess::readyReadStandardError, this, [this, p] {
        if (m_progress.feed(p->readAllStandardError()))
            Q_EMIT progressChanged(m_progress.fraction(), m_progress.currentTable(),
                                   m_progress.tablesStarted(), m_progress.tablesTotal());
    });
    connect(p, &QProcess::finished, this,
            [this, generation](int code, QProcess::ExitStatus status) {
                if (generation == m_generation || m_cancelled)
                    onDumpFinished(code, status);
            });
    connect(p, &QProcess::errorOccurred, this, [this, p](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(ServiceError::make(
                ServiceError::Kind::Refused, kWhat, m_host, {},
                tr("%1 could not be started: %2").arg(m_program, p->errorString())));
    });
    connect(p, &QProcess::started, this, [this, p] { Q_EMIT dumpStarted(p->processId()); });
    p->start(m_program, inv.arguments);
}

ServiceError PgDumpRunner::dumpError(int exitCode, QProcess::ExitStatus status) const
{
    QString text = m_progress.errorText();
    if (text.isEmpty())
        text = m_progress.messages().join(QLatin1Char('\n'));
    ServiceError::Kind kind = ServiceError::Kind::Query;
    if (text.contains(QLatin1String("password authentication failed")) ||
        text.contains(QLatin1String("no password supplied"))) {
        kind = ServiceError::Kind::Auth;
        text = tr("The server refused the password: %1").arg(text);
    } else if (text.contains(QLatin1String("server version mismatch"))) {
        // "pg_dump: detail: server version: 16.1; pg_dump version: 15.18": the server's major
        // from pg_dump's own words, as the session may not have answered yet.
        const QLatin1String said("server version: ");
        const qsizetype at = text.indexOf(said);
        const int serverMajor =
            at >= 0 ? majorOfVersionString(text.mid(at + said.size())) : m_result.serverMajor;
        kind = ServiceError::Kind::Refused;
        text = tr("%1 refuses this server, a newer major than its own: %2").arg(m_program, text);
        if (serverMajor > 0)
            text += QLatin1Char('\n') +
                    tr("Install postgresql-client-%1 or name a newer pg_dump.").arg(serverMajor);
    } else if (text.contains(QLatin1String("connection to server"))) {
        kind = ServiceError::Kind::Connect;
    }
    if (status != QProcess::NormalExit)
        text = tr("pg_dump ended abnormally (killed or crashed). %1").arg(text);
    else if (text.isEmpty())
        text = tr("pg_dump exited with code %1 and said nothing.").arg(exitCode);
    return ServiceError::make(kind, kWhat, m_host, QString::number(exitCode), text.trimmed());
}

void PgDumpRunner::onDumpFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_process) {
        m_progress.feed(m_process->readAllStandardError());
        m_process->deleteLater();
    }
    m_progress.finish();
    if (m_pgpass)
        m_pgpass.reset(); // removes the password file at once
    if (m_cancelled) {
        cleanup(true);
        return;
    }
    if (status != QProcess::NormalExit || exitCode != 0) {
        fail(dumpError(exitCode, status));
        return;
    }
    m_dumpDone = true;
    completeWhenAllIn(); // else the sizes' answer completes it
}

void PgDumpRunner::completeDump()
{
    Q_EMIT progressChanged(1.0, {}, m_progress.tablesStarted(), m_progress.tablesTotal());
    check();
}

void PgDumpRunner::check()
{
    setPhase(Phase::Hashing);
    // The partial file is checked and hashed first, and only then takes FILE's name: what is
    // not an archive never replaces an older FILE.
    const QString partial = partialPath(m_request.outputFile);
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<FileCheck>(this);
    connect(watcher, &QFutureWatcher<FileCheck>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_generation)
            onChecked(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(backgroundPool(), [partial] {
        FileCheck check;
        check.header = readPgDumpArchiveHeader(partial, &check.headerError);
        if (check.header)
            check.sum = sha256OfFile(partial);
        return check;
    }));
}

void PgDumpRunner::onChecked(const FileCheck &check)
{
    const QString partial = partialPath(m_request.outputFile);
    const QString file = m_request.outputFile;
    if (!check.header) {
        fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {},
                                tr("%1 exited 0, but what it wrote is not a pg_dump archive "
                                   "(%2); nothing was kept.")
                                    .arg(m_program, check.headerError)));
        return;
    }
    m_result.pgDumpVersion = QStringLiteral("pg_dump (PostgreSQL) ") + check.header->pgDumpVersion;
    if (m_result.serverMajor == 0) // the session gave none: the file says it
        m_result.serverMajor = majorOfVersionString(check.header->serverVersion);
    if (!check.sum.error.isEmpty()) {
        fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {}, check.sum.error));
        return;
    }
    // rename(2) replaces an older FILE in one step (QFile::rename refuses an existing target,
    // and removing it first would lose it if the rename then failed). If it fails, the whole
    // dump stays as FILE.partial and the error says so.
    std::error_code renameError;
    std::filesystem::rename(partial.toStdString(), file.toStdString(), renameError);
    if (renameError) {
        fail(ServiceError::make(
                 ServiceError::Kind::Refused, kWhat, m_host, {},
                 tr("pg_dump finished and the dump is whole in %1, but it could not be renamed "
                    "to %2: %3. Rename it yourself; its SHA-256 is %4.")
                     .arg(partial, file, QString::fromStdString(renameError.message()),
                          QString::fromLatin1(check.sum.sha256Hex))),
             KeepPartial::Yes);
        return;
    }
    if (const QString error = writeSha256File(check.sum.sha256Hex, file); !error.isEmpty()) {
        fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {}, error));
        return;
    }
    m_result.file = file;
    m_result.checksumFile = file + QStringLiteral(".sha256");
    m_result.sha256Hex = check.sum.sha256Hex;
    m_result.bytes = check.sum.bytes;
    setPhase(Phase::Done);
    m_result.elapsedMs = elapsedMs();
    Q_EMIT finished(m_result);
}

void PgDumpRunner::cancel()
{
    if (!isRunning())
        return;
    m_cancelled = true;
    const bool dumping =
        m_phase == Phase::Dumping && m_process && m_process->state() != QProcess::NotRunning;
    ++m_generation; // every pending answer (sizes, file check) is dropped from here on
    if (m_session) {
        m_session->disconnect(this);
        m_session->deleteLater();
    }
    if (dumping) {
        m_process->terminate();
        QPointer<QProcess> p = m_process;
        QTimer::singleShot(kKillAfterMs, this, [p] {
            if (p && p->state() != QProcess::NotRunning)
                p->kill();
        });
    }
    const ServiceError e = ServiceError::make(ServiceError::Kind::Cancelled, kWhat, m_host, {},
                                              tr("The backup was cancelled; the partial file "
                                                 "was removed."));
    cleanup(true);
    setPhase(Phase::Failed);
    Q_EMIT failed(e);
}

void PgDumpRunner::fail(ServiceError error, KeepPartial keep)
{
    if (!isRunning())
        return;
    ++m_generation;
    if (m_session) {
        m_session->disconnect(this);
        m_session->deleteLater();
    }
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        // SIGKILL, and the QProcess goes once it reaped the child: deleting a QProcess whose
        // child still runs would wait for it on this thread.
        connect(m_process, &QProcess::finished, m_process, &QObject::deleteLater);
        m_process->kill();
    }
    cleanup(keep == KeepPartial::No);
    setPhase(Phase::Failed);
    Q_EMIT failed(error);
}

void PgDumpRunner::cleanup(bool removeOutput)
{
    m_pgpass.reset();
    if (removeOutput && !m_request.outputFile.isEmpty())
        QFile::remove(partialPath(m_request.outputFile));
}

} // namespace vigil::services
