#pragma once

#include "services/core/error.h"
#include "services/logs/serverlogaccess.h"
#include "services/logs/serverlogentry.h"
#include "services/logs/serverlogparser.h"
#include "services/postgres/pgsession.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <chrono>
#include <functional>
#include <optional>

namespace vigil::services {

// One file of the log directory (pg_ls_logdir()).
struct ServerLogFile
{
    QString name;
    qint64 size = 0;
    QDateTime modified;
};

// How a tail starts and runs.
struct ServerLogTailOptions
{
    // Without `since`: the last windowBytes of the newest file (the partial first line dropped).
    qint64 windowBytes = 256 * 1024;
    // When valid: from the first file modified at or after it; entries before it are dropped.
    // At most maxCatchUpBytes are read to catch up (the newest ones; earlier ones skipped).
    QDateTime since;
    qint64 maxCatchUpBytes = 32 * 1024 * 1024;
    // After catching up: poll the directory every pollInterval for growth and rotation.
    bool follow = false;
    std::chrono::milliseconds pollInterval{1000};
    // The deadline of every query (settings, listing, each chunk).
    std::chrono::milliseconds deadline{5000};
    qint64 chunkBytes = 256 * 1024;
};

// Tails one server's log through SQL, on the session's thread, never blocking it: first the
// settings and privileges (server_log_settings.sql; a missing grant or setting ends the tail with
// a Refused error naming it, see ServerLogAccess::problems()), then pg_ls_logdir()
// (server_log_files.sql) and chunks of pg_read_binary_file (server_log_read.sql) from the start
// point, in file order; when following, it polls the directory listing and reads what grew, and
// moves to the next file when the collector rotated.
//
// Memory: the reader keeps only the listing and an incomplete last line (at most 1 MiB, then
// it is let out as it is); entries go out through entriesRead() and the receiver caps what it
// keeps (ServerLogModel does). Every query has the deadline; a failed query ends the tail with
// failed(). stop() (or destroying the reader) drops every pending answer.
class ServerLogReader : public QObject
{
    Q_OBJECT
public:
    explicit ServerLogReader(PgSession *session, QObject *parent = nullptr);

    void start(const ServerLogTailOptions &options);
    void stop();
    bool isRunning() const { return m_running; }
    // Valid once accessChecked() was emitted.
    const ServerLogAccess &access() const { return m_access; }
    QString currentFile() const { return m_file; }
    qint64 currentOffset() const { return m_offset; }

    static QList<ServerLogFile> parseFiles(const PgResult &result);
    // Where a tail starts: the files to read in order and the offset in the first, for these
    // options (pure: the start rule, tested without a server). Empty when there is none.
    struct StartPoint
    {
        QList<ServerLogFile> files;
        qint64 offset = 0;
        bool dropFirstLine = false; // the offset is not at a line start
    };
    static StartPoint startPoint(const QList<ServerLogFile> &files,
                                 const ServerLogTailOptions &options);

Q_SIGNALS:
    void accessChecked(const vigil::services::ServerLogAccess &access);
    void entriesRead(const QList<vigil::services::ServerLogEntry> &entries);
    void fileChanged(const QString &file);
    // The end of the newest file was reached once (the catch-up is done).
    void caughtUp();
    // Not following: everything up to the end was read.
    void finished();
    void failed(const vigil::services::ServiceError &error);

private:
    void listFiles(std::function<void(const QList<ServerLogFile> &)> then);
    void begin(const QList<ServerLogFile> &files);
    void readChunk();
    void takeBytes(const QByteArray &bytes);
    void flushPending();
    void endOfFile();
    void poll();
    void afterListing(const QList<ServerLogFile> &files);
    void switchTo(const ServerLogFile &file);
    void deliver(const QByteArray &text);
    void fail(const ServiceError &error);
    bool stale(int generation) const { return generation != m_generation || !m_running; }

    QPointer<PgSession> m_session;
    ServerLogTailOptions m_options;
    ServerLogAccess m_access;
    std::optional<ServerLogParser> m_parser;
    QList<ServerLogFile> m_queue; // files still to read after the current one (catching up)
    QString m_file;
    QDateTime m_fileModified;
    qint64 m_offset = 0;
    QByteArray m_pending; // an incomplete last line
    bool m_dropFirstLine = false;
    bool m_sinceReached = false;
    bool m_caughtUp = false;
    bool m_running = false;
    int m_generation = 0;
    QTimer m_poll;
};

} // namespace vigil::services
