#pragma once

#include "services/backup/pgdumpprogress.h"
#include "services/backup/restoretesttypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <memory>

class QTemporaryDir;
class QTemporaryFile;

namespace vigil::services {

class PgDumpRunner;
class PgSession;
class ThrowawayInstance;

// The restore test, proven: the dump is restored and every user table of the copy is compared
// with the source as the dump saw it.
//
//  1. Snapshot: on the source (a member, a replica by default) a REPEATABLE READ READ ONLY
//     transaction exports its snapshot (pg_export_snapshot) and lists the tables and the
//     columns each checksum covers (restore_test_tables.sql).
//  2. Dumping: PgDumpRunner runs `pg_dump -Fc --snapshot=ID` while the same transaction counts
//     every table exactly and checksums it (restore_test_count.sql): both read the same
//     snapshot, so the figures are those of the dump. The transaction ends after both.
//     With `dumpFile` (an existing dump) steps 1-2 are skipped; the figures come from its
//     sidecar (FILE.counts.json) or, without one, there are none: the result is not proven.
//  3. PreparingTarget: a ThrowawayInstance, or a scratch database on the cluster's leader.
//  4. Restoring: `pg_restore --no-owner --no-privileges` as a child process, the password in a
//     temporary 0600 pgpass file (never on its command line or in its environment).
//  5. Counting: the restored copy, the same queries.
//  6. CleaningUp: the scratch database is dropped / the instance stopped and removed, however
//     the test ended (error and cancel included); the temporary dump is removed.
//
// Lives on one thread (the UI thread in the window) and never blocks it. finished() is emitted
// exactly once per start(), after the cleanup, with the result (its `error` says why it could
// not run to the end). cancel() ends the running step and goes to the cleanup.
class RestoreTest : public QObject
{
    Q_OBJECT
public:
    enum class Phase
    {
        Idle,
        Snapshot,
        Dumping,
        PreparingTarget,
        Restoring,
        Counting,
        CleaningUp,
        Done
    };
    Q_ENUM(Phase)

    explicit RestoreTest(QObject *parent = nullptr);
    ~RestoreTest() override;

    void start(const RestoreTestRequest &request);
    void cancel();

    bool isRunning() const { return m_phase != Phase::Idle && m_phase != Phase::Done; }
    Phase phase() const { return m_phase; }
    qint64 elapsedMs() const;
    const RestoreTestResult &result() const { return m_result; }
    // pg_dump's and pg_restore's PIDs while they run, else 0 (for tests).
    qint64 dumpProcessId() const;
    qint64 restoreProcessId() const;
    static QString phaseText(Phase phase);

    // Test-only seam: SQL run on the restored copy after pg_restore and before it is counted.
    // An integration test truncates a table there to prove that a broken copy fails.
    void setSqlBeforeCount(const QString &sql) { m_sqlBeforeCount = sql; }

Q_SIGNALS:
    void phaseChanged(vigil::services::RestoreTest::Phase phase);
    // Within the phase: "table 3 of 12: public.orders".
    void progressChanged(const QString &table, int done, int total);
    void dumpStarted(qint64 pid);
    void restoreStarted(qint64 pid);
    void finished(const vigil::services::RestoreTestResult &result);

private:
    void setPhase(Phase phase);
    void openSource();
    void startDumpAndCount();
    void sourceStepDone();
    void useExistingDump();
    void prepareTarget();
    void createScratchDatabase(const PgConnectionSettings &admin);
    void startRestore();
    void onRestoreFinished(int exitCode, QProcess::ExitStatus status);
    void countRestored();
    void countRestoredTables();
    void readRestoredSize();
    void fail(const ServiceError &error);
    void cleanup();
    void dropScratchDatabase();
    void stopInstance();
    void end();
    PgConnectionSettings targetSettings(const QString &database) const;
    PgSession *newSession(const PgConnectionSettings &settings, std::chrono::milliseconds deadline);

    RestoreTestRequest m_request;
    RestoreTestResult m_result;
    Phase m_phase = Phase::Idle;
    QElapsedTimer m_clock, m_stepClock;
    QString m_binDir, m_encoding, m_scratchDatabase, m_sqlBeforeCount;
    bool m_dumpDone = false, m_sourceCounted = false, m_scratchCreated = false;
    bool m_failed = false;
    std::unique_ptr<QTemporaryDir> m_work;
    std::unique_ptr<QTemporaryFile> m_pgpass;
    PgDumpProgress m_restoreProgress;
    QPointer<PgDumpRunner> m_dump;
    QPointer<PgSession> m_source, m_restored, m_admin;
    QPointer<ThrowawayInstance> m_instance;
    QPointer<QProcess> m_restore;
    quint64 m_generation = 0;
};

} // namespace vigil::services
