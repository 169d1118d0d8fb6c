#include "services/metrics/custommetricrunner.h"

#include "services/diagnostics/membersessionpool.h"
#include "services/metrics/custommetricanswer.h"
#include "services/postgres/conninfo.h"

#include <QTimer>
#include <limits>

namespace vigil::services {

struct CustomMetricRunner::Slot
{
    CustomMetric metric;
    CustomMetricReading reading;
    QTimer *timer = nullptr;
    bool running = false;
    QString replica; // the replica it runs on while that stays healthy
    QElapsedTimer clock;
};

namespace {
// The session's deadline for each step: the server's statement_timeout, plus time for the
// cancel to come back; PgSession cancels on its own past it.
constexpr int kStepDeadlineMs = kCustomMetricStatementTimeoutMs + 2000;
} // namespace

CustomMetricRunner::CustomMetricRunner(const ClusterProfile &profile, const QString &sqlPassword,
                                       const QList<CustomMetric> &metrics, QObject *parent)
    : QObject(parent)
    , m_pool(new MemberSessionPool(profile, sqlPassword, nullptr, nullptr, this))
    , m_defaultDatabase(conninfoValues(profile.sqlConninfo).value(QStringLiteral("dbname")))
{
    const QString options = customMetricConnectionOptions(
        conninfoValues(profile.sqlConninfo).value(QStringLiteral("options")));
    m_pool->setSessionSettings(QStringLiteral("vigil-metrics"),
                               {{QStringLiteral("options"), options}});
    for (const CustomMetric &m : metrics) {
        auto *slot = new Slot;
        slot->metric = m;
        slot->reading.name = m.name;
        slot->reading.unit = m.unit;
        slot->reading.warning = m.warning;
        slot->reading.critical = m.critical;
        slot->timer = new QTimer(this);
        slot->timer->setInterval(qMax(CustomMetric::kMinIntervalMs, m.intervalMs));
        const int index = int(m_slots.size());
        connect(slot->timer, &QTimer::timeout, this, [this, index] { run(index); });
        m_slots.append(slot);
    }
}

CustomMetricRunner::~CustomMetricRunner()
{
    qDeleteAll(m_slots);
}

QList<CustomMetric> CustomMetricRunner::metrics() const
{
    QList<CustomMetric> out;
    for (const Slot *s : m_slots)
        out.append(s->metric);
    return out;
}

QList<CustomMetricReading> CustomMetricRunner::readings() const
{
    QList<CustomMetricReading> out;
    for (const Slot *s : m_slots)
        out.append(s->reading);
    return out;
}

void CustomMetricRunner::applySnapshot(const ClusterSnapshot &snapshot)
{
    QList<MemberSessionPool::Member> members;
    m_members.clear();
    for (const MemberSnapshot &m : snapshot.members) {
        if (m.host.isEmpty() || m.port <= 0)
            continue;
        members.append({m.name, m.host, m.port, m.isLeader()});
        MemberState state;
        state.name = m.name;
        state.leader = m.isLeader();
        state.healthyReplica = !m.isLeader() && m.inDcs && isHealthyReplicaState(m.state);
        state.lagBytes = m.replayLagBytes.value_or(m.lagBytes.value_or(0));
        m_members.append(state);
    }
    m_pool->setMembers(members, snapshot.scope);
    if (m_started || m_members.isEmpty())
        return;
    m_started = true;
    for (int i = 0; i < m_slots.size(); ++i) {
        m_slots.at(i)->timer->start();
        run(i);
    }
}

QString CustomMetricRunner::targetFor(Slot &slot) const
{
    if (slot.metric.target == CustomMetric::Target::Leader) {
        for (const MemberState &m : m_members)
            if (m.leader)
                return m.name;
        return {};
    }
    // The replica used last time while it stays healthy (its session stays open), else the one
    // with the least lag.
    const MemberState *best = nullptr;
    for (const MemberState &m : m_members) {
        if (!m.healthyReplica)
            continue;
        if (m.name == slot.replica)
            return m.name;
        if (!best || m.lagBytes < best->lagBytes)
            best = &m;
    }
    slot.replica = best ? best->name : QString();
    return slot.replica;
}

void CustomMetricRunner::runNow(int index)
{
    run(index);
}

void CustomMetricRunner::run(int index)
{
    if (index < 0 || index >= m_slots.size())
        return;
    Slot &slot = *m_slots.at(index);
    // A run still going is not doubled: this tick is skipped. One that has not ended long after
    // every deadline lost its session (the member moved: the pool dropped it, and a dropped
    // session calls nothing back).
    if (slot.running && slot.clock.elapsed() < 4 * kStepDeadlineMs)
        return;
    const QString member = targetFor(slot);
    slot.reading.member = member;
    if (member.isEmpty()) {
        finish(index, {},
               slot.metric.target == CustomMetric::Target::Leader
                   ? tr("There is no leader to run it on.")
                   : tr("There is no running replica to run it on."));
        return;
    }
    const QString database =
        slot.metric.database.isEmpty() ? m_defaultDatabase : slot.metric.database;
    PgSession *session = m_pool->session(member, slot.metric.database);
    if (!session) {
        finish(index, {}, tr("Member %1 is not known yet.").arg(member));
        return;
    }
    slot.running = true;
    slot.clock.start();
    const PgSession::Millis deadline(kStepDeadlineMs);
    // The four steps are queued together, so no other metric's step on this session comes in
    // between, and run in order. The query's own callback reads the answer (or the first error
    // of the frame); ROLLBACK always runs, and its callback publishes the reading.
    auto failed = std::make_shared<QString>();
    auto values = std::make_shared<QList<CustomMetricValue>>();
    const auto noteError = [failed, database](const ServiceError &e) {
        if (e && failed->isEmpty())
            *failed = explainCustomMetricError(e, database);
    };
    session->execSimple(
        customMetricBeginStatement(),
        [noteError](const PgResult &, const ServiceError &e) { noteError(e); }, deadline);
    session->execSimple(
        customMetricTimeoutStatement(),
        [noteError](const PgResult &, const ServiceError &e) { noteError(e); }, deadline);
    // exec() is the extended protocol (PQsendQueryParams): one statement only.
    session->exec(
        slot.metric.sql, {},
        [noteError, failed, values](const PgResult &r, const ServiceError &e) {
            noteError(e);
            if (!failed->isEmpty())
                return;
            const Result<QList<CustomMetricValue>> answer = parseCustomMetricAnswer(r);
            if (answer.ok())
                *values = answer.value();
            else
                *failed = answer.error().message;
        },
        deadline);
    session->execSimple(
        customMetricEndStatement(),
        [this, index, failed, values](const PgResult &, const ServiceError &) {
            finish(index, *values, *failed);
        },
        deadline);
}

void CustomMetricRunner::finish(int index, const QList<CustomMetricValue> &values,
                                const QString &error)
{
    Slot &slot = *m_slots.at(index);
    slot.running = false;
    slot.reading.values = error.isEmpty() ? values : QList<CustomMetricValue>();
    slot.reading.error = error;
    slot.reading.takenAt = QDateTime::currentDateTimeUtc();
    slot.reading.elapsedMs = slot.clock.isValid() ? slot.clock.elapsed() : 0;
    Q_EMIT readingChanged(index);
}

} // namespace vigil::services
