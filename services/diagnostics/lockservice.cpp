#include "services/diagnostics/lockservice.h"

#include "services/diagnostics/sessionsservice.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <type_traits>

namespace vigil::services {

int LockTreeSnapshot::rootCount() const
{
    int n = 0;
    for (const auto &node : nodes)
        n += node.isRoot() ? 1 : 0;
    return n;
}

int LockTreeSnapshot::waitingCount() const
{
    int n = 0;
    for (const auto &node : nodes)
        n += node.isWaiting() ? 1 : 0;
    return n;
}

void LockTreeSnapshot::buildIndex()
{
    indexOfPid.clear();
    childrenOf.clear();
    indexOfPid.reserve(nodes.size());
    for (int i = 0; i < nodes.size(); ++i) {
        const LockNode &n = nodes.at(i);
        if (indexOfPid.contains(n.pid))
            continue; // the query names each session once; be robust anyway
        indexOfPid.insert(n.pid, i);
        childrenOf[n.parent].append(n.pid);
    }
    indexed = true;
}

const LockNode *LockTreeSnapshot::node(int pid) const
{
    const auto it = indexOfPid.constFind(pid);
    return it == indexOfPid.constEnd() ? nullptr : &nodes.at(*it);
}

LockService::LockService(PgSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
}

namespace {
// Column positions resolved once per result (not a name lookup per cell).
struct Columns
{
    const PgResult &result;
    int operator()(const char *name) const { return result.column(QLatin1String(name)); }
};

inline const QVariant *cellAt(const QVector<QVariant> &row, int c)
{
    return c < 0 || c >= row.size() || !row.at(c).isValid() ? nullptr : &row.at(c);
}
inline QString textAt(const QVector<QVariant> &row, int c)
{
    const QVariant *v = cellAt(row, c);
    return v ? v->toString() : QString();
}
// The cell as a qint64 or a double; nullopt for NULL, a missing column or text that is not one.
template <typename T> std::optional<T> numberAt(const QVector<QVariant> &row, int c)
{
    static_assert(std::is_same_v<T, qint64> || std::is_same_v<T, double>);
    const QVariant *v = cellAt(row, c);
    if (!v)
        return std::nullopt;
    bool ok = false;
    T n;
    if constexpr (std::is_same_v<T, qint64>)
        n = v->toString().toLongLong(&ok);
    else
        n = v->toString().toDouble(&ok);
    return ok ? std::optional<T>(n) : std::nullopt;
}
// A pid, a depth or a count: 0 for NULL or a missing column.
inline int intAt(const QVector<QVariant> &row, int c)
{
    return int(numberAt<qint64>(row, c).value_or(0));
}

// Runs work() on Qt's global thread pool and then(result) on owner's thread, unless owner is
// destroyed first (the watcher is its child).
template <typename T, typename Work, typename Then>
void offThread(QObject *owner, Work work, Then then)
{
    auto *watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner,
                     [watcher, then = std::move(then)]() mutable {
                         watcher->deleteLater();
                         then(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}
} // namespace

Result<LockTreeSnapshot> LockService::parse(const PgResult &result)
{
    if (result.column(QStringLiteral("pid")) < 0 || result.column(QStringLiteral("parent")) < 0)
        return ServiceError::make(ServiceError::Kind::Parse, QStringLiteral("blocker tree"), {}, {},
                                  Tr::tr("The answer has no pid or parent column."));
    LockTreeSnapshot snapshot;
    snapshot.takenAt = QDateTime::currentDateTimeUtc();
    const Columns col{result};
    const int cRoot = col("root"), cPid = col("pid"), cParent = col("parent"),
              cDepth = col("depth"), cCycle = col("in_cycle"), cDirect = col("direct"),
              cTotal = col("total"), cBlockedBy = col("blocked_by"), cStart = col("backend_start"),
              cUser = col("usename"), cDb = col("datname"), cApp = col("application_name"),
              cClient = col("client_addr"), cState = col("state"),
              cWaitType = col("wait_event_type"), cWait = col("wait_event"),
              cType = col("backend_type"), cXact = col("xact_age_s"), cWaitS = col("wait_s"),
              cMode = col("lock_mode"), cLockType = col("lock_type"), cRelation = col("relation"),
              cTarget = col("lock_target"), cQuery = col("query");
    snapshot.nodes.reserve(result.rowCount());
    for (const QVector<QVariant> &r : result.rows) {
        LockNode n;
        n.root = intAt(r, cRoot);
        n.pid = intAt(r, cPid);
        n.parent = intAt(r, cParent);
        n.depth = intAt(r, cDepth);
        const QVariant *cycle = cellAt(r, cCycle);
        n.inCycle = cycle && cycle->toString() == QLatin1String("t");
        n.direct = intAt(r, cDirect);
        n.total = intAt(r, cTotal);
        if (const QVariant *by = cellAt(r, cBlockedBy))
            n.blockedBy = parsePidArray(by->toString());
        n.backendStart = textAt(r, cStart);
        n.user = textAt(r, cUser);
        n.database = textAt(r, cDb);
        n.application = textAt(r, cApp);
        n.clientAddr = textAt(r, cClient);
        n.state = textAt(r, cState);
        n.waitEventType = textAt(r, cWaitType);
        n.waitEvent = textAt(r, cWait);
        n.backendType = textAt(r, cType);
        n.xactAge = numberAt<double>(r, cXact);
        n.waitSeconds = numberAt<double>(r, cWaitS);
        n.lockMode = textAt(r, cMode);
        n.lockType = textAt(r, cLockType);
        n.relation = textAt(r, cRelation);
        n.lockTarget = textAt(r, cTarget);
        n.query = textAt(r, cQuery);
        snapshot.nodes.append(std::move(n));
    }
    return snapshot;
}

bool LockService::detailsDue() const
{
    if (m_lastDetailsMs < 0 || m_lastDetailsMs < 100)
        return true;
    return !m_lastDetailsAt.isValid() ||
           m_lastDetailsAt.secsTo(QDateTime::currentDateTimeUtc()) >= 10;
}

QHash<int, LockService::Detail> LockService::parseDetails(const PgResult &result)
{
    QHash<int, Detail> out;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < result.rowCount(); ++i) {
        const SqlRow r(result, i);
        Detail d;
        d.lockMode = r.text("lock_mode");
        d.lockType = r.text("lock_type");
        d.relation = r.text("relation");
        d.lockTarget = r.text("lock_target");
        d.waitSeconds = r.number("wait_s");
        d.readAt = now;
        out.insert(int(r.integer("pid").value_or(0)), d);
    }
    return out;
}

void LockService::mergeDetails(LockTreeSnapshot &snapshot, const QHash<int, Detail> &details)
{
    for (LockNode &n : snapshot.nodes) {
        if (!n.isWaiting())
            continue;
        const auto it = details.constFind(n.pid);
        if (it == details.constEnd() ||
            (!it->backendStart.isEmpty() && it->backendStart != n.backendStart))
            continue;
        n.lockMode = it->lockMode;
        if (!it->lockType.isEmpty())
            n.lockType = it->lockType;
        n.relation = it->relation;
        n.lockTarget = it->lockTarget;
        if (it->waitSeconds) // the exact wait start, aged to now
            n.waitSeconds = *it->waitSeconds + it->readAt.msecsTo(snapshot.takenAt) / 1000.0;
    }
}

void LockService::fetch(Callback callback, std::chrono::milliseconds deadline, bool withDetails)
{
    if (!m_session) {
        callback(ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("blocker tree"),
                                    {}, {}, Tr::tr("No connection.")));
        return;
    }
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QPointer<LockService> self(this);
    m_session->exec(
        sqlResource(QStringLiteral("locks_tree")), {},
        [self, callback, timer, withDetails, deadline](const PgResult &result,
                                                       const ServiceError &error) {
            if (error) {
                callback(error);
                return;
            }
            const qint64 roundTripMs = timer->elapsed();
            if (!self) {
                callback(parse(result));
                return;
            }
            // Parse and index off the UI thread; the last known details are merged there too
            // (replaced below when fresh ones are read).
            const QHash<int, Detail> known = self->m_details;
            offThread<Result<LockTreeSnapshot>>(
                self,
                [result, known, roundTripMs] {
                    Result<LockTreeSnapshot> parsed = parse(result);
                    if (parsed.ok()) {
                        LockTreeSnapshot &snapshot = parsed.value();
                        snapshot.roundTripMs = roundTripMs;
                        mergeDetails(snapshot, known);
                        snapshot.buildIndex();
                    }
                    return parsed;
                },
                [self, callback, withDetails, deadline](Result<LockTreeSnapshot> parsed) {
                    if (!parsed.ok() || !self || !withDetails || !self->m_session ||
                        parsed.value().waitingCount() == 0) {
                        callback(parsed);
                        return;
                    }
                    self->fetchDetails(std::move(parsed.value()), callback, deadline);
                });
        },
        deadline);
}

void LockService::fetchDetails(LockTreeSnapshot snapshot, Callback callback,
                               std::chrono::milliseconds deadline)
{
    auto detailsTimer = std::make_shared<QElapsedTimer>();
    detailsTimer->start();
    QPointer<LockService> self(this);
    m_session->exec(
        sqlResource(QStringLiteral("locks_waiting")), {},
        [self, callback, snapshot, detailsTimer](const PgResult &r, const ServiceError &e) mutable {
            if (!self || e) {
                callback(snapshot); // a details error leaves the last known details
                return;
            }
            const qint64 detailsMs = detailsTimer->elapsed();
            offThread<std::pair<LockTreeSnapshot, QHash<int, Detail>>>(
                self,
                [snapshot, r]() mutable {
                    // Identity for the merge: the tree's backend_start of each pid.
                    QHash<int, Detail> details = parseDetails(r);
                    for (auto it = details.begin(); it != details.end(); ++it)
                        if (const LockNode *n = snapshot.node(it.key()))
                            it->backendStart = n->backendStart;
                    mergeDetails(snapshot, details);
                    return std::make_pair(std::move(snapshot), std::move(details));
                },
                [self, callback,
                 detailsMs](std::pair<LockTreeSnapshot, QHash<int, Detail>> merged) {
                    if (self) {
                        self->m_details = std::move(merged.second);
                        self->m_lastDetailsMs = detailsMs;
                        self->m_lastDetailsAt = QDateTime::currentDateTimeUtc();
                    }
                    merged.first.detailsMs = detailsMs;
                    merged.first.detailsFresh = true;
                    callback(merged.first);
                });
        },
        deadline);
}

} // namespace vigil::services
