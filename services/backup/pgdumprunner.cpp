#include "services/backup/pgdumprunner.h"

#include "services/backup/backupchecksum.h"
#include "services/backup/pgpassfile.h"
#include "services/postgres/pgrowreader.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace vigil::services {

namespace {

const QString kWhat = QStringLiteral("pg_dump");
constexpr int kVersionDeadlineMs = 10000;
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
    m_program = request.program.isEmpty()
                    ? QStandardPaths::findExecutable(QStringLiteral("pg_dump"))
                    : request.program;
    if (m_program.isEmpty()) {
        m_phase = Phase::CheckingVersion;
        fail(ServiceError::make(
            ServiceError::Kind::Refused, kWhat, {}, {},
            tr("pg_dump was not found on PATH. Install the PostgreSQL client programs of the "
               "server's major version or newer (Debian: postgresql-client-NN).")));
        return;
    }
    if (request.database.isEmpty() || request.outputFile.isEmpty()) {
        m_phase = Phase::CheckingVersion;
        fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {},
                                tr("Name the database to dump and the file to write.")));
        return;
    }
    // pg_dump --version and the session that reads the server's version and the tables' sizes
    // run at once, and pg_dump starts as soon as its version is known: the sizes only weigh the
    // progress bar, and a server newer than pg_dump is refused whichever answers first. Before,
    // the three ran one after another (a fixed 0.2-2 s ahead of every dump).
    m_versionKnown = false;
    m_sizesKnown = false;
    m_dumpDone = false;
    m_pgDumpMajor = 0;
    checkVersion();
    readSizes();
}

void PgDumpRunner::checkVersion()
{
    setPhase(Phase::CheckingVersion);
    auto *p = new QProcess(this);
    m_process = p;
    const quint64 generation = m_generation;
    connect(p, &QProcess::finished, this,
            [this, p, generation](int code, QProcess::ExitStatus status) {
                p->deleteLater();
                if (generation == m_generation)
                    onVersionChecked(code, status);
            });
    connect(p, &QProcess::errorOccurred, this, [this, p, generation](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart || generation != m_generation)
            return;
        p->deleteLater();
        fail(
            ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {},
                               tr("%1 could not be started: %2").arg(m_program, p->errorString())));
    });
    QTimer::singleShot(kVersionDeadlineMs, p, [p] { p->kill(); });
    p->start(m_program, {QStringLiteral("--version")});
}

void PgDumpRunner::onVersionChecked(int exitCode, QProcess::ExitStatus status)
{
    const QString out = QString::fromUtf8(m_process ? m_process->readAllStandardOutput() : "");
    const auto major = pgDumpMajorVersion(out);
    if (status != QProcess::NormalExit || exitCode != 0 || !major) {
        fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {},
                                tr("%1 --version did not answer as pg_dump does (exit %2): %3")
                                    .arg(m_program)
                                    .arg(exitCode)
                                    .arg(out.trimmed())));
        return;
    }
    m_pgDumpMajor = *major;
    m_result.pgDumpVersion = out.trimmed();
    m_versionKnown = true;
    if (m_sizesKnown && !serverFitsPgDump())
        return;
    startDump();
}

bool PgDumpRunner::serverFitsPgDump()
{
    if (m_result.serverMajor <= m_pgDumpMajor)
        return true;
    fail(ServiceError::make(
        ServiceError::Kind::Refused, kWhat, m_host, {},
        tr("The pg_dump found (%1, major %2) is older than the server (major %3); pg_dump "
           "refuses to dump a newer server. Install postgresql-client-%3 or name a newer "
           "pg_dump.")
            .arg(m_program)
            .arg(m_pgDumpMajor)
            .arg(m_result.serverMajor)));
    return false;
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
    if (m_versionKnown && !serverFitsPgDump())
        return;
    QList<BackupTable> tables;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const auto row = reader.row(i);
        tables.append(
            {row.text("schema_name"), row.text("table_name"), row.integer("bytes").value_or(0)});
    }
    m_progress.setTables(tables);
    m_result.tables = int(tables.size());
    if (m_phase == Phase::Dumping)
        Q_EMIT progressChanged(m_progress.fraction(), m_progress.currentTable(),
                               m_progress.tablesStarted(), m_progress.tablesTotal());
    if (m_dumpDone) // pg_dump ended first (a small database): the backup ends now
        completeDump();
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
        completeDump();
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
    const PgDumpInvocation probe =
        buildPgDumpInvocation(request, {}, QProcessEnvironment::systemEnvironment());
    QString pgpassFile;
    if (!probe.pgpassLine.isEmpty()) {
        QString error;
        if (!writePgpass(probe.pgpassLine, &error)) {
            fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {}, error));
            return;
        }
        pgpassFile = m_pgpass->fileName();
    }
    const PgDumpInvocation inv =
        buildPgDumpInvocation(request, pgpassFile, QProcessEnvironment::systemEnvironment());
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
        kind = ServiceError::Kind::Refused;
        text = tr("pg_dump (major %1) refuses this server: %2").arg(m_pgDumpMajor).arg(text);
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
    if (m_sizesKnown) // else onSizesRead() completes it (the result names the server's major)
        completeDump();
}

void PgDumpRunner::completeDump()
{
    const QString partial = partialPath(m_request.outputFile);
    QFile::remove(m_request.outputFile);
    if (!QFile::rename(partial, m_request.outputFile)) {
        fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {},
                                tr("pg_dump finished, but %1 could not be renamed to %2.")
                                    .arg(partial, m_request.outputFile)));
        return;
    }
    Q_EMIT progressChanged(1.0, {}, m_progress.tablesStarted(), m_progress.tablesTotal());
    hash();
}

void PgDumpRunner::hash()
{
    setPhase(Phase::Hashing);
    const QString file = m_request.outputFile;
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<BackupChecksum>(this);
    connect(watcher, &QFutureWatcher<BackupChecksum>::finished, this,
            [this, watcher, file, generation] {
                watcher->deleteLater();
                if (generation != m_generation)
                    return;
                const BackupChecksum sum = watcher->result();
                QString error = sum.error;
                if (error.isEmpty())
                    error = writeSha256File(sum.sha256Hex, file);
                if (!error.isEmpty()) {
                    fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, m_host, {}, error));
                    return;
                }
                m_result.file = file;
                m_result.checksumFile = file + QStringLiteral(".sha256");
                m_result.sha256Hex = sum.sha256Hex;
                m_result.bytes = sum.bytes;
                setPhase(Phase::Done);
                m_result.elapsedMs = elapsedMs();
                Q_EMIT finished(m_result);
            });
    watcher->setFuture(QtConcurrent::run([file] { return sha256OfFile(file); }));
}

void PgDumpRunner::cancel()
{
    if (!isRunning())
        return;
    m_cancelled = true;
    const bool dumping =
        m_phase == Phase::Dumping && m_process && m_process->state() != QProcess::NotRunning;
    const bool hashed = m_phase == Phase::Hashing;
    ++m_generation; // every pending answer (version, sizes, hash) is dropped from here on
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
    if (hashed)
        QFile::remove(m_request.outputFile);
    cleanup(true);
    setPhase(Phase::Failed);
    Q_EMIT failed(e);
}

void PgDumpRunner::fail(ServiceError error)
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
        m_process->kill();
        m_process->deleteLater();
    }
    cleanup(true);
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
