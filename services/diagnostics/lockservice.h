#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "services/postgres/pgsession.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>
#include <optional>

namespace vigil::services {

// One session in the blocker tree (see resources/sql/locks_tree.sql for the exact contract).
struct LockNode
{
    int root = 0; // the root blocker this session is shown under
    int pid = 0;
    int parent = 0;       // 0 for a root
    int depth = 0;        // 0 for a root
    bool inCycle = false; // waiting, but no root reaches it (deadlock cycle)
    int direct = 0;       // sessions shown directly under this one
    int total = 0;        // all sessions below this one
    QList<int> blockedBy; // every blocker pg_blocking_pids() names (waiting sessions)
    QString backendStart; // with pid: the identity for cancel/terminate
    QString user, database, application, clientAddr, state, waitEventType, waitEvent, backendType;
    std::optional<double> xactAge;                    // seconds in the current transaction
    std::optional<double> waitSeconds;                // waiting sessions: since the lock wait began
    QString lockMode, lockType, relation, lockTarget; // what a waiting session asks for
    QString query;

    bool isRoot() const { return parent == 0; }
    bool isWaiting() const { return !isRoot() || inCycle; }
};

// One reading of the blocker tree of one server.
struct LockTreeSnapshot
{
    QDateTime takenAt;
    qint64 roundTripMs = 0;    // tree query round trip as seen by the client
    qint64 detailsMs = -1;     // lock details (pg_locks) round trip; -1: not read this time
    bool detailsFresh = false; // lock details read with this snapshot (else: last known ones)
    QList<LockNode> nodes;     // roots first (by total, descending), then each tree by depth

    // Lookup tables over nodes (LockService builds them off the UI thread, with the parse):
    // pid → index in nodes, and parent pid (0 = top level) → its children's pids in order.
    QHash<int, int> indexOfPid;
    QHash<int, QList<int>> childrenOf;
    bool indexed = false;
    void buildIndex();
    const LockNode *node(int pid) const; // needs buildIndex()

    int rootCount() const;
    int waitingCount() const;
};

// Reads the blocker tree of one member (resources/sql/locks_tree.sql). Lives on its PgSession's
// thread; every call returns at once and calls back exactly once (unless destroyed first),
// always from the event loop, never before the call returns (services/core/calllater.h).
// Parsing, merging the details and indexing the snapshot run on a worker thread (Qt's global
// pool): with thousands of waiting sessions they would otherwise stall the UI thread.
class LockService : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Result<LockTreeSnapshot> &)>;

    explicit LockService(PgSession *session, QObject *parent = nullptr);

    // The tree (locks_tree.sql), then, when withDetails, what each waiter asks for
    // (locks_waiting.sql, a pg_locks scan) merged in. Without details, the last known details of
    // the same sessions are merged in (the scan costs ~100 ms per 50,000 locks on the server, so
    // a view refreshing every second reads it less often when it is slow: see detailsDue()).
    void fetch(Callback callback,
               std::chrono::milliseconds deadline = std::chrono::milliseconds(5000),
               bool withDetails = true);
    // Whether the next fetch should read details: always while they are cheap (< 100 ms round
    // trip), otherwise at most every 10 s.
    bool detailsDue() const;

    static Result<LockTreeSnapshot> parse(const PgResult &result);

    struct Detail
    {
        QString backendStart, lockMode, lockType, relation, lockTarget;
        std::optional<double> waitSeconds; // at the time of reading
        QDateTime readAt;
    };
    static QHash<int, Detail> parseDetails(const PgResult &result);
    // Merges details into the snapshot's waiting sessions (same pid and backend_start only).
    static void mergeDetails(LockTreeSnapshot &snapshot, const QHash<int, Detail> &details);

private:
    void fetchDetails(LockTreeSnapshot snapshot, Callback callback,
                      std::chrono::milliseconds deadline);

    QPointer<PgSession> m_session;
    QHash<int, Detail> m_details;
    qint64 m_lastDetailsMs = -1;
    QDateTime m_lastDetailsAt;
};

} // namespace vigil::services
