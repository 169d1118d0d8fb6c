#pragma once

#include "error.h"
#include "pgresult.h"
#include "pgsession.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace vigil::services {

// One session in the blocker tree (see resources/sql/locks_tree.sql for the exact contract).
struct LockNode
{
    int root = 0;            // the root blocker this session is shown under
    int pid = 0;
    int parent = 0;          // 0 for a root
    int depth = 0;           // 0 for a root
    bool inCycle = false;    // waiting, but no root reaches it (deadlock cycle)
    int direct = 0;          // sessions shown directly under this one
    int total = 0;           // all sessions below this one
    QList<int> blockedBy;    // every blocker pg_blocking_pids() names (waiting sessions)
    QString backendStart;    // with pid: the identity for cancel/terminate
    QString user, database, application, clientAddr, state, waitEventType, waitEvent, backendType;
    std::optional<double> xactAge;      // seconds in the current transaction
    std::optional<double> waitSeconds;  // waiting sessions: since the lock wait began
    QString lockMode, lockType, relation, lockTarget; // what a waiting session asks for
    QString query;

    bool isRoot() const { return parent == 0; }
    bool isWaiting() const { return !isRoot() || inCycle; }
};

// One reading of the blocker tree of one server.
struct LockTreeSnapshot
{
    QDateTime takenAt;
    qint64 roundTripMs = 0;  // query round trip as seen by the client
    QList<LockNode> nodes;   // roots first (by total, descending), then each tree by depth

    int rootCount() const;
    int waitingCount() const;
};

// Reads the blocker tree of one member (resources/sql/locks_tree.sql). Lives on its PgSession's
// thread; every call returns at once and calls back exactly once (unless destroyed first).
class LockService : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Result<LockTreeSnapshot> &)>;

    explicit LockService(PgSession *session, QObject *parent = nullptr);

    void fetch(Callback callback, std::chrono::milliseconds deadline = std::chrono::milliseconds(5000));

    static Result<LockTreeSnapshot> parse(const PgResult &result);

private:
    QPointer<PgSession> m_session;
};

} // namespace vigil::services
