#include "services/diagnostics/lockservice.h"

#include "services/core/backgroundpool.h"
#include "services/core/calllater.h"
#include "services/diagnostics/sessionsservice.h"
#include "services/postgres/pgrowreader.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

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
// Runs work() on backgroundPool() and then(result) on owner's thread, unless owner is
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
    watcher->setFuture(QtConcurrent::run(backgroundPool(), std::move(work)));
}
} // namespace

Result<LockTreeSnapshot> LockService::parse(const PgResult &result)
{
    if (result.column(QStringLiteral("pid")) < 0 || result.column(QStringLiteral("parent")) < 0)
        return ServiceError::make(ServiceError::Kind::Parse, QStringLiteral("blocker tree"), {}, {},
                                  Tr::tr("The answer has no pid or parent column."));
    LockTreeSnapshot snapshot;
    snapshot.takenAt = QDateTime::currentDateTimeUtc();
    const PgRowReader rd(result);
    // Positions resolved once: the tree may have thousands of rows.
    const int cRoot = rd.column("root"), cPid = rd.column("pid"), cParent = rd.column("parent"),
              cDepth = rd.column("depth"), cCycle = rd.column("in_cycle"),
              cDirect = rd.column("direct"), cTotal = rd.column("total"),
              cBlockedBy = rd.column("blocked_by"), cStart = rd.column("backend_start"),
              cUser = rd.column("usename"), cDb = rd.column("datname"),
              cApp = rd.column("application_name"), cClient = rd.column("client_addr"),
              cState = rd.column("state"), cWaitType = rd.column("wait_event_type"),
              cWait = rd.column("wait_event"), cType = rd.column("backend_type"),
              cXact = rd.column("xact_age_s"), cWaitS = rd.column("wait_s"),
              cMode = rd.column("lock_mode"), cLockType = rd.column("lock_type"),
              cRelation = rd.column("relation"), cTarget = rd.column("lock_target"),
              cQuery = rd.column("query");
    // A pid, a depth or a count: 0 for NULL or a missing column.
    const auto intAt = [&rd](int row, int c) {
        return int(rd.integer(row, c).value_or(0));
    };
    snapshot.nodes.reserve(rd.rowCount());
    for (int i = 0; i < rd.rowCount(); ++i) {
        LockNode n;
        n.root = intAt(i, cRoot);
        n.pid = intAt(i, cPid);
        n.parent = intAt(i, cParent);
        n.depth = intAt(i, cDepth);
        n.inCycle = rd.flag(i, cCycle);
        n.direct = intAt(i, cDirect);
        n.total = intAt(i, cTotal);
        if (const QVariant *by = rd.cell(i, cBlockedBy))
            n.blockedBy = parsePidArray(by->toString());
        n.backendStart = rd.text(i, cStart);
        n.user = rd.text(i, cUser);
        n.database = rd.text(i, cDb);
        n.application = rd.text(i, cApp);
        n.clientAddr = rd.text(i, cClient);
        n.state = rd.text(i, cState);
        n.waitEventType = rd.text(i, cWaitType);
        n.waitEvent = rd.text(i, cWait);
        n.backendType = rd.text(i, cType);
        n.xactAge = rd.number(i, cXact);
        n.waitSeconds = rd.number(i, cWaitS);
        n.lockMode = rd.text(i, cMode);
        n.lockType = rd.text(i, cLockType);
        n.relation = rd.text(i, cRelation);
        n.lockTarget = rd.text(i, cTarget);
        n.query = rd.text(i, cQuery);
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
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
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
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("blocker tree"),
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
