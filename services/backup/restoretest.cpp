#include "services/backup/restoretest.h"

#include "services/backup/pgdumprunner.h"
#include "services/backup/pgpassfile.h"
#include "services/backup/restoresidecar.h"
#include "services/backup/restoretestcounter.h"
#include "services/backup/throwawayinstance.h"
#include "services/postgres/pgrowreader.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

#include <QDateTime>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTimer>

namespace vigil::services {

namespace {

const QString kWhat = QStringLiteral("restore test");
using Millis = std::chrono::milliseconds;
constexpr Millis kConnectDeadline(15000);
constexpr Millis kStatementDeadline(120000);
constexpr int kKillAfterMs = 5000;

} // namespace

RestoreTest::RestoreTest(QObject *parent)
    : QObject(parent)
{
}

RestoreTest::~RestoreTest()
{
    ++m_generation;
    if (m_restore) {
        m_restore->disconnect(this);
        m_restore->kill();
        m_restore->waitForFinished(2000); // teardown only, after SIGKILL
    }
    // The dump runner and the instance are children: their destructors end pg_dump and stop
    // and remove the instance. A scratch database on the cluster can only be dropped by
    // cancel() before destruction (the window and `vigil restore-test` do so).
}

QString RestoreTest::phaseText(Phase phase)
{
    switch (phase) {
    case Phase::Idle:
        return tr("Not started");
    case Phase::Snapshot:
        return tr("Exporting the source's snapshot");
    case Phase::Dumping:
        return tr("Dumping and counting the source in the same snapshot");
    case Phase::PreparingTarget:
        return tr("Preparing the scratch target");
    case Phase::Restoring:
        return tr("Restoring with pg_restore");
    case Phase::Counting:
        return tr("Counting the restored copy");
    case Phase::CleaningUp:
        return tr("Removing the scratch copy");
    case Phase::Done:
        return tr("Done");
    }
    return {};
}

qint64 RestoreTest::elapsedMs() const
{
    if (m_phase == Phase::Done)
        return m_result.totalMs;
    return m_clock.isValid() ? m_clock.elapsed() : 0;
}

qint64 RestoreTest::dumpProcessId() const
{
    return m_dump ? m_dump->processId() : 0;
}

qint64 RestoreTest::restoreProcessId() const
{
    return m_restore && m_restore->state() != QProcess::NotRunning ? m_restore->processId() : 0;
}

void RestoreTest::setPhase(Phase phase)
{
    m_phase = phase;
    m_stepClock.start();
    Q_EMIT phaseChanged(phase);
}

PgSession *RestoreTest::newSession(const PgConnectionSettings &settings, Millis deadline)
{
    auto *s = new PgSession(this);
    const quint64 generation = m_generation;
    connect(s, &PgSession::failed, this, [this, generation](const ServiceError &e) {
        if (generation == m_generation)
            fail(e);
    });
    s->open(withRestoreTestOptions(settings), deadline);
    return s;
}

void RestoreTest::start(const RestoreTestRequest &request)
{
    if (isRunning())
        return;
    ++m_generation;
    m_request = request;
    m_result = RestoreTestResult();
    m_result.target = request.target;
    m_failed = m_dumpDone = m_sourceCounted = m_scratchCreated = false;
    m_encoding = QStringLiteral("UTF8");
    m_clock.start();
    m_binDir = request.binDir.isEmpty() ? restoreTestBinDir() : request.binDir;
    m_work = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                             QStringLiteral("/vigil-restore-dump-XXXXXX"));
    m_phase = Phase::Snapshot;
    if (request.target == RestoreTarget::LocalInstance && m_binDir.isEmpty())
        return fail(ServiceError::make(
            ServiceError::Kind::Refused, kWhat, {}, {},
            tr("No PostgreSQL server programs (initdb, pg_ctl) were found under "
               "/usr/lib/postgresql. Install postgresql-NN for a throwaway local instance, or "
               "restore into a scratch database on the cluster (--target cluster).")));
    if (!request.dumpFile.isEmpty())
        return useExistingDump();
    if (request.database.isEmpty())
        return fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {},
                                       tr("Name the database to test, or a dump file.")));
    m_result.dumpFile = request.keepDumpAs.isEmpty()
                            ? m_work->filePath(request.database + QStringLiteral(".dump"))
                            : request.keepDumpAs;
    openSource();
}

void RestoreTest::openSource()
{
    setPhase(Phase::Snapshot);
    const PgConnectionSettings settings =
        PgConnectionSettings(m_request.source).withDatabase(m_request.database);
    m_result.sourceHost = settings.displayHost();
    m_source = newSession(settings, kConnectDeadline);
    const quint64 generation = m_generation;
    auto onError = [this, generation](const ServiceError &e) {
        if (generation == m_generation)
            fail(e);
    };
    // The transaction stays open until pg_dump has read its tables and the counts are done.
    m_source->exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), {},
                   [onError](const PgResult &, const ServiceError &e) {
                       if (e)
                           onError(e);
                   });
    m_source->exec(sqlResource(QStringLiteral("restore_test_snapshot")), {},
                   [this, onError](const PgResult &r, const ServiceError &e) {
                       if (e)
                           return onError(e);
                       const PgRowReader reader(r); // a Row refers to its reader
                       const auto row = reader.row(0);
                       m_result.snapshot = row.text("snapshot");
                       m_encoding = row.text("encoding");
                       m_result.sourceDatabaseBytes = row.integer("bytes").value_or(0);
                   });
    m_source->exec(
        sqlResource(QStringLiteral("restore_test_tables")), {},
        [this, onError, generation](const PgResult &r, const ServiceError &e) {
            if (e)
                return onError(e);
            if (generation != m_generation || m_result.snapshot.isEmpty())
                return;
            m_result.tables = restoreTestTables(r);
            startDumpAndCount();
        },
        kStatementDeadline);
}

void RestoreTest::startDumpAndCount()
{
    setPhase(Phase::Dumping);
    auto *dump = new PgDumpRunner(this);
    m_dump = dump;
    const quint64 generation = m_generation;
    connect(dump, &PgDumpRunner::dumpStarted, this, &RestoreTest::dumpStarted);
    connect(dump, &PgDumpRunner::progressChanged, this,
            [this](double, const QString &table, int started, int total) {
                Q_EMIT progressChanged(table, started, total);
            });
    connect(dump, &PgDumpRunner::finished, this, [this, generation](const BackupResult &r) {
        if (generation != m_generation)
            return;
        m_result.dumpBytes = r.bytes;
        m_result.dumpMs = r.elapsedMs;
        m_dumpDone = true;
        sourceStepDone();
    });
    connect(dump, &PgDumpRunner::failed, this, [this, generation](const ServiceError &e) {
        if (generation == m_generation)
            fail(e);
    });
    PgDumpRequest request;
    request.connection = m_request.source;
    request.database = m_request.database;
    request.outputFile = m_result.dumpFile;
    request.snapshot = m_result.snapshot;
    if (QFileInfo(m_binDir + QStringLiteral("/pg_dump")).isExecutable())
        request.program = m_binDir + QStringLiteral("/pg_dump");
    dump->start(request);
    countRestoreTestTables(
        m_source, &m_result.tables, CountSide::Source, [](int, const QString &) {},
        [this, generation] {
            if (generation != m_generation)
                return;
            for (const RestoreTableCheck &t : std::as_const(m_result.tables))
                if (!t.source.error.isEmpty())
                    return fail(ServiceError::make(ServiceError::Kind::Query, kWhat,
                                                   m_result.sourceHost, {},
                                                   tr("%1 could not be counted on the source: %2")
                                                       .arg(t.qualifiedName(), t.source.error)));
            m_sourceCounted = true;
            sourceStepDone();
        });
}

void RestoreTest::sourceStepDone()
{
    if (!m_dumpDone || !m_sourceCounted)
        return;
    m_result.proven = true;
    if (m_source) {
        m_source->exec(QStringLiteral("COMMIT"), {}, [](const PgResult &, const ServiceError &) {});
        m_source->disconnect(this);
        QPointer<PgSession> s = m_source;
        QTimer::singleShot(0, this, [s] {
            if (s)
                s->deleteLater();
        });
    }
    if (!m_request.keepDumpAs.isEmpty()) {
        RestoreSidecar sidecar{m_request.database, m_encoding, m_result.sourceHost,
                               m_result.snapshot, m_result.tables};
        const QString error = writeRestoreSidecar(m_result.dumpFile, sidecar);
        if (!error.isEmpty())
            return fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {}, error));
    }
    prepareTarget();
}

void RestoreTest::useExistingDump()
{
    m_result.dumpFile = m_request.dumpFile;
    const QFileInfo info(m_request.dumpFile);
    if (!info.isReadable())
        return fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {},
                                       tr("Cannot read the dump %1.").arg(m_request.dumpFile)));
    m_result.dumpBytes = info.size();
    QString error;
    const auto sidecar = readRestoreSidecar(m_request.dumpFile, &error);
    if (!error.isEmpty())
        return fail(ServiceError::make(ServiceError::Kind::Parse, kWhat, {}, {}, error));
    if (sidecar) {
        m_result.tables = sidecar->tables;
        m_result.sourceHost = sidecar->sourceHost;
        m_result.snapshot = sidecar->snapshot;
        m_result.proven = !sidecar->snapshot.isEmpty();
        if (!sidecar->encoding.isEmpty())
            m_encoding = sidecar->encoding;
    }
    prepareTarget();
}

void RestoreTest::prepareTarget()
{
    setPhase(Phase::PreparingTarget);
    if (m_request.target == RestoreTarget::ClusterDatabase) {
        m_scratchDatabase =
            QStringLiteral("vigil_restore_test_%1")
                .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd_HHmmss")));
        m_result.scratchLocation = m_scratchDatabase;
        m_result.targetDescription =
            tr("scratch database %1 on %2")
                .arg(m_scratchDatabase, m_request.clusterTarget.displayHost());
        return createScratchDatabase(
            PgConnectionSettings(m_request.clusterTarget).withDatabase(QStringLiteral("postgres")));
    }
    m_scratchDatabase = QStringLiteral("vigil_restore_test");
    auto *instance = new ThrowawayInstance(this);
    m_instance = instance;
    const quint64 generation = m_generation;
    connect(instance, &ThrowawayInstance::failed, this, [this, generation](const ServiceError &e) {
        if (generation == m_generation)
            fail(e);
    });
    connect(instance, &ThrowawayInstance::ready, this, [this, instance, generation] {
        if (generation != m_generation)
            return;
        m_result.targetDescription = instance->description();
        m_result.scratchLocation = instance->folder();
        createScratchDatabase(instance->settings(QStringLiteral("postgres")));
    });
    instance->start(m_binDir);
}

// CREATE DATABASE takes no parameters: the name and the encoding go in through
// PQescapeIdentifier / PQescapeLiteral. C collation: the checksum does not depend on it, and
// template0 takes any encoding with it.
void RestoreTest::createScratchDatabase(const PgConnectionSettings &admin)
{
    m_admin = newSession(admin, kConnectDeadline);
    const quint64 generation = m_generation;
    connect(m_admin.data(), &PgSession::opened, this, [this, generation] {
        if (generation != m_generation || !m_admin || m_scratchCreated)
            return;
        const QString sql =
            QStringLiteral("CREATE DATABASE %1 TEMPLATE template0 ENCODING %2 LC_COLLATE 'C' "
                           "LC_CTYPE 'C'")
                .arg(m_admin->escapeIdentifier(m_scratchDatabase),
                     m_admin->escapeLiteral(m_encoding));
        m_admin->exec(
            sql, {},
            [this, generation](const PgResult &, const ServiceError &e) {
                if (generation != m_generation)
                    return;
                if (e)
                    return fail(e);
                m_scratchCreated = true;
                startRestore();
            },
            kStatementDeadline);
    });
}

PgConnectionSettings RestoreTest::targetSettings(const QString &database) const
{
    if (m_instance)
        return m_instance->settings(database);
    return PgConnectionSettings(m_request.clusterTarget).withDatabase(database);
}

void RestoreTest::startRestore()
{
    setPhase(Phase::Restoring);
    PgRestoreRequest request;
    request.connection = targetSettings(m_scratchDatabase);
    request.database = m_scratchDatabase;
    request.dumpFile = m_result.dumpFile;
    // The throwaway instance's own pg_restore, else the one on PATH (pg_wrapper resolved to the
    // newest versioned binary, as for pg_dump: PgClientProgram).
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    PgClientProgram program{m_binDir + QStringLiteral("/pg_restore"), {}, system};
    if (!QFileInfo(program.path).isExecutable())
        program = resolvePgClientProgram(QStringLiteral("pg_restore"), system);
    request.program = program.path;
    if (request.program.isEmpty())
        return fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {},
                                       tr("pg_restore was not found. Install the PostgreSQL "
                                          "client programs (Debian: postgresql-client-NN).")));
    const QProcessEnvironment base = program.environment;
    const QString pgpassLine = buildPgRestoreInvocation(request, {}, base).pgpassLine;
    QString pgpassFile;
    if (!pgpassLine.isEmpty()) {
        QString error;
        m_pgpass = writeTemporaryPgpass(pgpassLine, &error);
        if (!m_pgpass)
            return fail(ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {}, error));
        pgpassFile = m_pgpass->fileName();
    }
    const PgDumpInvocation inv = buildPgRestoreInvocation(request, pgpassFile, base);
    QList<BackupTable> weights;
    for (const RestoreTableCheck &t : std::as_const(m_result.tables))
        weights.append({t.schema, t.name, t.sourceBytes});
    m_restoreProgress = PgDumpProgress();
    m_restoreProgress.setTables(weights);
    auto *p = new QProcess(this);
    m_restore = p;
    p->setProcessEnvironment(inv.environment);
    p->setStandardOutputFile(QProcess::nullDevice());
    const quint64 generation = m_generation;
    connect(p, &QProcess::readyReadStandardError, this, [this, p] {
        if (m_restoreProgress.feed(p->readAllStandardError()))
            Q_EMIT progressChanged(m_restoreProgress.currentTable(),
                                   m_restoreProgress.tablesStarted(),
                                   m_restoreProgress.tablesTotal());
    });
    connect(p, &QProcess::finished, this,
            [this, generation](int code, QProcess::ExitStatus status) {
                if (generation == m_generation)
                    onRestoreFinished(code, status);
            });
    connect(p, &QProcess::errorOccurred, this, [this, p, generation](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart && generation == m_generation)
            fail(ServiceError::make(
                ServiceError::Kind::Refused, kWhat, {}, {},
                tr("pg_restore could not be started: %1").arg(p->errorString())));
    });
    connect(p, &QProcess::started, this, [this, p] { Q_EMIT restoreStarted(p->processId()); });
    p->start(request.program, inv.arguments);
}

void RestoreTest::onRestoreFinished(int exitCode, QProcess::ExitStatus status)
{
    m_pgpass.reset(); // the password file goes as soon as pg_restore ended
    if (m_restore) {
        m_restoreProgress.feed(m_restore->readAllStandardError());
        m_restore->deleteLater();
    }
    m_restoreProgress.finish();
    m_result.restoreMs = m_stepClock.elapsed();
    if (status != QProcess::NormalExit)
        return fail(ServiceError::make(ServiceError::Kind::Refused, QStringLiteral("pg_restore"),
                                       {}, {},
                                       tr("pg_restore ended abnormally (killed or "
                                          "crashed).")));
    if (exitCode != 0) {
        // pg_restore goes on after an error and says so at the end: quote what it said, then
        // still count the copy, so the report shows which tables the errors touched.
        const QString text = m_restoreProgress.errorText();
        m_result.restoreErrors =
            text.isEmpty() ? QStringList{tr("pg_restore exited with code %1.").arg(exitCode)}
                           : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    countRestored();
}

void RestoreTest::countRestored()
{
    setPhase(Phase::Counting);
    m_restored = newSession(targetSettings(m_scratchDatabase), kConnectDeadline);
    const quint64 generation = m_generation;
    if (!m_sqlBeforeCount.isEmpty())
        m_restored->execSimple(m_sqlBeforeCount,
                               [this, generation](const PgResult &, const ServiceError &e) {
                                   if (e && generation == m_generation)
                                       fail(e);
                               });
    if (!m_result.tables.isEmpty())
        return countRestoredTables();
    // A dump without recorded counts: the restored copy names its own tables.
    m_restored->exec(
        sqlResource(QStringLiteral("restore_test_tables")), {},
        [this, generation](const PgResult &r, const ServiceError &e) {
            if (generation != m_generation)
                return;
            if (e)
                return fail(e);
            m_result.tables = restoreTestTables(r);
            countRestoredTables();
        },
        kStatementDeadline);
}

void RestoreTest::countRestoredTables()
{
    const quint64 generation = m_generation;
    const int total = int(m_result.tables.size());
    countRestoreTestTables(
        m_restored, &m_result.tables, CountSide::Restored,
        [this, total](int index, const QString &table) {
            Q_EMIT progressChanged(table, index + 1, total);
        },
        [this, generation] {
            if (generation != m_generation)
                return;
            m_result.countMs = m_stepClock.elapsed();
            readRestoredSize();
        });
}

void RestoreTest::readRestoredSize()
{
    const quint64 generation = m_generation;
    m_restored->exec(QStringLiteral("SELECT pg_database_size(current_database()) AS bytes"), {},
                     [this, generation](const PgResult &r, const ServiceError &) {
                         if (generation != m_generation)
                             return;
                         m_result.restoredDatabaseBytes =
                             PgRowReader(r).row(0).integer("bytes").value_or(0);
                         cleanup();
                     });
}

void RestoreTest::cancel()
{
    if (!isRunning() || m_phase == Phase::CleaningUp)
        return;
    fail(ServiceError::make(ServiceError::Kind::Cancelled, kWhat, {}, {},
                            tr("The restore test was cancelled.")));
}

void RestoreTest::fail(const ServiceError &error)
{
    if (m_failed || !isRunning() || m_phase == Phase::CleaningUp)
        return;
    m_failed = true;
    m_result.error = error;
    ++m_generation; // every answer still on its way is dropped
    if (m_dump) {
        m_dump->disconnect(this);
        m_dump->cancel(); // ends pg_dump, removes its partial file
    }
    if (m_restore && m_restore->state() != QProcess::NotRunning) {
        m_restore->disconnect(this);
        m_restore->terminate();
        QPointer<QProcess> p = m_restore;
        QTimer::singleShot(kKillAfterMs, this, [p] {
            if (p && p->state() != QProcess::NotRunning)
                p->kill();
        });
    }
    // Later than the current slot: fail() may be called from inside a session's callback.
    QTimer::singleShot(0, this, [this] { cleanup(); });
}

void RestoreTest::cleanup()
{
    if (m_phase == Phase::CleaningUp || m_phase == Phase::Done)
        return;
    setPhase(Phase::CleaningUp);
    ++m_generation;
    m_pgpass.reset();
    for (PgSession *s : {m_source.data(), m_restored.data()}) {
        if (s) {
            s->disconnect(this);
            s->deleteLater();
        }
    }
    if (m_scratchCreated && m_request.target == RestoreTarget::ClusterDatabase)
        return dropScratchDatabase();
    stopInstance();
}

void RestoreTest::dropScratchDatabase()
{
    // WITH (FORCE): a session of pg_restore's or ours that has not gone yet must not keep it.
    const quint64 generation = m_generation;
    auto drop = [this, generation] {
        if (generation != m_generation || !m_admin)
            return;
        m_admin->exec(
            QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                .arg(m_admin->escapeIdentifier(m_scratchDatabase)),
            {},
            [this, generation](const PgResult &, const ServiceError &e) {
                if (generation != m_generation)
                    return;
                m_result.scratchRemoved = !e;
                if (e)
                    m_result.cleanupError =
                        tr("The scratch database %1 could not be dropped: %2. Drop it by hand.")
                            .arg(m_scratchDatabase, e.toText());
                stopInstance();
            },
            kStatementDeadline);
    };
    if (m_admin && m_admin->isOpen())
        return drop();
    if (m_admin)
        m_admin->deleteLater();
    m_admin = newSession(
        PgConnectionSettings(m_request.clusterTarget).withDatabase(QStringLiteral("postgres")),
        kConnectDeadline);
    m_admin->disconnect(this); // a failure here is reported by the drop's callback
    drop();
}

void RestoreTest::stopInstance()
{
    if (m_admin) {
        m_admin->disconnect(this);
        m_admin->deleteLater();
    }
    if (!m_instance) {
        if (m_request.target == RestoreTarget::LocalInstance || !m_scratchCreated)
            m_result.scratchRemoved = true;
        return end();
    }
    const quint64 generation = m_generation;
    connect(m_instance.data(), &ThrowawayInstance::stopped, this,
            [this, generation](const QString &error) {
                if (generation != m_generation)
                    return;
                m_result.scratchRemoved = error.isEmpty();
                m_result.cleanupError = error;
                m_instance->deleteLater();
                end();
            });
    m_instance->stop();
}

void RestoreTest::end()
{
    if (m_request.keepDumpAs.isEmpty() && m_request.dumpFile.isEmpty() && m_work)
        m_work->remove(); // the temporary dump (and its .sha256)
    m_work.reset();
    m_result.totalMs = m_clock.elapsed();
    setPhase(Phase::Done);
    Q_EMIT finished(m_result);
}

} // namespace vigil::services
