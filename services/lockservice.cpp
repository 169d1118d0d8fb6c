#include "lockservice.h"

#include "activityservice.h"

#include <QElapsedTimer>

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

LockService::LockService(PgSession *session, QObject *parent) : QObject(parent), m_session(session) {}

Result<LockTreeSnapshot> LockService::parse(const PgResult &result)
{
    if (result.column(QStringLiteral("pid")) < 0 || result.column(QStringLiteral("parent")) < 0)
        return ServiceError::make(ServiceError::Kind::Parse, QStringLiteral("blocker tree"), {}, {},
                                  Tr::tr("The answer has no pid or parent column."));
    LockTreeSnapshot snapshot;
    snapshot.takenAt = QDateTime::currentDateTimeUtc();
    snapshot.nodes.reserve(result.rowCount());
    for (int i = 0; i < result.rowCount(); ++i) {
        const SqlRow r(result, i);
        LockNode n;
        n.root = int(r.integer("root").value_or(0));
        n.pid = int(r.integer("pid").value_or(0));
        n.parent = int(r.integer("parent").value_or(0));
        n.depth = int(r.integer("depth").value_or(0));
        n.inCycle = r.boolean("in_cycle");
        n.direct = int(r.integer("direct").value_or(0));
        n.total = int(r.integer("total").value_or(0));
        n.blockedBy = parsePidArray(r.text("blocked_by"));
        n.backendStart = r.text("backend_start");
        n.user = r.text("usename");
        n.database = r.text("datname");
        n.application = r.text("application_name");
        n.clientAddr = r.text("client_addr");
        n.state = r.text("state");
        n.waitEventType = r.text("wait_event_type");
        n.waitEvent = r.text("wait_event");
        n.backendType = r.text("backend_type");
        n.xactAge = r.number("xact_age_s");
        n.waitSeconds = r.number("wait_s");
        n.lockMode = r.text("lock_mode");
        n.lockType = r.text("lock_type");
        n.relation = r.text("relation");
        n.lockTarget = r.text("lock_target");
        n.query = r.text("query");
        snapshot.nodes.append(std::move(n));
    }
    return snapshot;
}

bool LockService::detailsDue() const
{
    if (m_lastDetailsMs < 0 || m_lastDetailsMs < 100)
        return true;
    return !m_lastDetailsAt.isValid() || m_lastDetailsAt.secsTo(QDateTime::currentDateTimeUtc()) >= 10;
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
        if (it == details.constEnd() || (!it->backendStart.isEmpty() && it->backendStart != n.backendStart))
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
        [self, callback, timer, withDetails, deadline](const PgResult &result, const ServiceError &error) {
            if (error) {
                callback(error);
                return;
            }
            auto parsed = parse(result);
            if (!parsed.ok() || !self) {
                callback(parsed);
                return;
            }
            LockTreeSnapshot snapshot = parsed.value();
            snapshot.roundTripMs = timer->elapsed();
            const bool anyWaiting = snapshot.waitingCount() > 0;
            if (!withDetails || !anyWaiting || !self->m_session) {
                mergeDetails(snapshot, self->m_details);
                callback(snapshot);
                return;
            }
            auto detailsTimer = std::make_shared<QElapsedTimer>();
            detailsTimer->start();
            // Identity for the merge: the tree's backend_start of each pid.
            QHash<int, QString> starts;
            for (const auto &n : snapshot.nodes)
                starts.insert(n.pid, n.backendStart);
            self->m_session->exec(
                sqlResource(QStringLiteral("locks_waiting")), {},
                [self, callback, snapshot, detailsTimer, starts](const PgResult &r, const ServiceError &e) mutable {
                    if (!self) {
                        callback(snapshot);
                        return;
                    }
                    if (!e) {
                        QHash<int, Detail> details = parseDetails(r);
                        for (auto it = details.begin(); it != details.end(); ++it)
                            it->backendStart = starts.value(it.key());
                        self->m_details = details;
                        self->m_lastDetailsMs = detailsTimer->elapsed();
                        self->m_lastDetailsAt = QDateTime::currentDateTimeUtc();
                        snapshot.detailsMs = self->m_lastDetailsMs;
                        snapshot.detailsFresh = true;
                    }
                    mergeDetails(snapshot, self->m_details);
                    callback(snapshot); // a details error leaves the last known details
                },
                deadline);
        },
        deadline);
}

} // namespace vigil::services
