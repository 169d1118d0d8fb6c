#pragma once

#include "services/backup/pgdumpinvocation.h"
#include "services/backup/pgdumpprogress.h"
#include "services/core/error.h"
#include "services/postgres/pgresult.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <memory>

class QTemporaryFile;

namespace vigil::services {

class PgSession;

// What a finished backup is.
struct BackupResult
{
    QString file;         // the dump, complete
    QString checksumFile; // FILE.sha256 (sha256sum's format)
    QByteArray sha256Hex;
    qint64 bytes = 0;
    qint64 elapsedMs = 0;
    int tables = 0;
    QString host;          // "host:port" it was taken from
    QString pgDumpVersion; // pg_dump --version's line
    int serverMajor = 0;   // the server's major version
};

// Runs one `pg_dump -Fc -v` of one database as a child process (QProcess) and reports its
// progress, never blocking the thread it lives on (the UI thread in the window):
//
//  1. `pg_dump --version` (the pg_dump found on PATH, or the request's program) and, at the
//     same time, a PgSession to the member and database: its server version (a pg_dump older
//     than the server's major is refused, naming both versions) and the table sizes
//     (backup_table_sizes.sql) that weigh the progress, which may arrive after pg_dump began;
//  3. pg_dump itself, as soon as its version is known (PgDumpInvocation: no password on its
//  argument list or in its environment;
//     the password, when there is one, in a 0600 temporary pgpass file named by PGPASSFILE,
//     removed as soon as pg_dump ended, however it ended), writing FILE.partial, renamed to FILE
//     only after pg_dump exited 0, so a failed or cancelled run never leaves a truncated FILE nor
//     replaces an older one;
//  4. the SHA-256 of FILE, streamed on a worker thread, written to FILE.sha256.
//
// Exactly one of finished() and failed() is emitted per start(). cancel() terminates pg_dump
// (SIGTERM, SIGKILL after 5 s), removes the partial file and the pgpass file and ends with a
// Cancelled error. Destroying the runner does the same without signals.
class PgDumpRunner : public QObject
{
    Q_OBJECT
public:
    enum class Phase
    {
        Idle,
        CheckingVersion, // and reading the sizes
        Dumping,
        Hashing,
        Done,
        Failed
    };
    Q_ENUM(Phase)

    explicit PgDumpRunner(QObject *parent = nullptr);
    ~PgDumpRunner() override;

    void start(const PgDumpRequest &request);
    void cancel();

    Phase phase() const { return m_phase; }
    bool isRunning() const;
    qint64 elapsedMs() const;
    qint64 processId() const; // pg_dump's PID while it runs, else 0
    const PgDumpProgress &progress() const { return m_progress; }
    QString host() const { return m_host; }
    // Where the password file is while pg_dump runs (empty when none is used): for tests.
    QString pgpassPath() const;

    static QString partialPath(const QString &outputFile);

Q_SIGNALS:
    void phaseChanged(vigil::services::PgDumpRunner::Phase phase);
    void dumpStarted(qint64 pid);
    void progressChanged(double fraction, const QString &table, int started, int total);
    void finished(const vigil::services::BackupResult &result);
    void failed(const vigil::services::ServiceError &error);

private:
    void setPhase(Phase phase);
    void checkVersion();
    void onVersionChecked(int exitCode, QProcess::ExitStatus status);
    void readSizes();
    void onSizesRead(const PgResult &result, const ServiceError &error);
    bool serverFitsPgDump(); // fails the run when the server is newer than pg_dump
    void sizesUnavailable(const ServiceError &error);
    void startDump();
    void completeDump(); // pg_dump exited 0 and the sizes are in: rename, then hash()
    bool writePgpass(const QString &line, QString *error);
    void onDumpFinished(int exitCode, QProcess::ExitStatus status);
    void hash();
    ServiceError dumpError(int exitCode, QProcess::ExitStatus status) const;
    void fail(ServiceError error);
    void cleanup(bool removeOutput);

    PgDumpRequest m_request;
    QString m_program;
    QString m_host;
    Phase m_phase = Phase::Idle;
    QElapsedTimer m_clock;
    qint64 m_elapsedAtEnd = -1;
    PgDumpProgress m_progress;
    BackupResult m_result;
    int m_pgDumpMajor = 0;
    bool m_versionKnown = false; // pg_dump --version answered
    bool m_sizesKnown = false;   // the session answered (server major, sizes)
    bool m_dumpDone = false;     // pg_dump exited 0 before the sizes came
    QPointer<QProcess> m_process;
    QPointer<PgSession> m_session;
    std::unique_ptr<QTemporaryFile> m_pgpass;
    bool m_cancelled = false;
    quint64 m_generation = 0; // bumps per start/cancel: stale callbacks are dropped
};

} // namespace vigil::services
