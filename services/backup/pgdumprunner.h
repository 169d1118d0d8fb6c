#pragma once

#include "services/backup/backupchecksum.h"
#include "services/backup/pgdumparchive.h"
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
#include <optional>

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
    QString pgDumpVersion; // "pg_dump (PostgreSQL) 15.18 (...)", from the archive's header
    int serverMajor = 0;   // the server's major version
};

// Runs one `pg_dump -Fc -v` of one database as a child process (QProcess) and reports its
// progress, never blocking the thread it lives on (the UI thread in the window):
//
//  1. pg_dump (the one found on PATH, or the request's program) at once (PgDumpInvocation: no
//     password on its argument list or in its environment; the password, when there is one, in
//     a 0600 temporary pgpass file named by PGPASSFILE, removed as soon as pg_dump ended,
//     however it ended), writing FILE.partial, renamed to FILE only after pg_dump exited 0, so
//     a failed or cancelled run never leaves a truncated FILE nor replaces an older one;
//  2. beside it, a PgSession to the member and database: the server's version and the table
//     sizes (backup_table_sizes.sql) that weigh the progress. A server newer than pg_dump is
//     refused by pg_dump itself; the error names both versions and the client package to get;
//  3. on a worker thread, the header of FILE (PgDumpArchiveHeader: pg_dump's version, and
//     proof that FILE is an archive) and its SHA-256, streamed, written to FILE.sha256.
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
    QString program() const { return m_program; } // the pg_dump started (pg_wrapper resolved)
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
    void readSizes();
    void onSizesRead(const PgResult &result, const ServiceError &error);
    void sizesUnavailable(const ServiceError &error);
    void startDump();
    void completeWhenAllIn(); // completeDump() once pg_dump ended and the sizes are in
    void completeDump();      // pg_dump exited 0 and the sizes are in: check()
    bool writePgpass(const QString &line, QString *error);
    void onDumpFinished(int exitCode, QProcess::ExitStatus status);
    // What the worker thread finds in the finished file: its header and its SHA-256.
    struct FileCheck
    {
        std::optional<PgDumpArchiveHeader> header;
        QString headerError;
        BackupChecksum sum;
    };
    void check(); // the header and the SHA-256 of FILE.partial, on a worker thread
    void onChecked(const FileCheck &check); // then FILE.partial becomes FILE
    ServiceError dumpError(int exitCode, QProcess::ExitStatus status) const;
    enum class KeepPartial
    {
        No,
        Yes // a whole dump that only could not take FILE's name
    };
    void fail(ServiceError error, KeepPartial keep = KeepPartial::No);
    void cleanup(bool removeOutput);

    PgDumpRequest m_request;
    QString m_program;
    QProcessEnvironment m_environment; // pg_dump's, before the password's PGPASSFILE
    QString m_host;
    Phase m_phase = Phase::Idle;
    QElapsedTimer m_clock;
    qint64 m_elapsedAtEnd = -1;
    PgDumpProgress m_progress;
    BackupResult m_result;
    bool m_sizesKnown = false;    // the session answered (server major, sizes)
    bool m_dumpDone = false;      // pg_dump exited 0
    QPointer<QProcess> m_process; // pg_dump
    QPointer<PgSession> m_session;
    std::unique_ptr<QTemporaryFile> m_pgpass;
    bool m_cancelled = false;
    quint64 m_generation = 0; // bumps per start/cancel: stale callbacks are dropped
};

} // namespace vigil::services
