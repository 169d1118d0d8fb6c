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

void LockService::fetch(Callback callback, std::chrono::milliseconds deadline)
{
    if (!m_session) {
        callback(ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("blocker tree"),
                                    {}, {}, Tr::tr("No connection.")));
        return;
    }
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_session->exec(
        sqlResource(QStringLiteral("locks_tree")), {},
        [callback, timer](const PgResult &result, const ServiceError &error) {
            if (error) {
                callback(error);
                return;
            }
            auto parsed = parse(result);
            if (parsed.ok())
                parsed.value().roundTripMs = timer->elapsed();
            callback(parsed);
        },
        deadline);
}

} // namespace vigil::services
