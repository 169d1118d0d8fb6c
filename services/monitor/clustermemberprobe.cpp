#include "services/monitor/clustermemberprobe.h"

#include "services/monitor/memberprobequery.h"
#include "services/patroni/patroniclient.h"
#include "services/postgres/pgsession.h"

#include <QDateTime>
#include <algorithm>

namespace vigil::services {

namespace {

// Two deadlines. The cycle's (deadlineMs) says when a channel that has not answered is reported
// Unresponsive; the request's own deadline (requestLifetime) says when the request is abandoned
// and a new one may be sent. The request outlives the cycle on purpose: a hung member keeps its
// one outstanding request (answered as soon as it wakes up) instead of getting a new connection
// every cycle — Qt keeps the socket of an aborted HTTP request open, and a PQcancel against a
// frozen postmaster blocks a worker thread, so retrying every second would pile both up.
int requestLifetime(int deadlineMs)
{
    return std::max(deadlineMs, ClusterMemberProbe::kRequestLifetimeMs);
}

ChannelStatus::State stateFor(const ServiceError &e)
{
    return e.kind == ServiceError::Kind::Timeout ? ChannelStatus::State::Unresponsive
                                                 : ChannelStatus::State::Unreachable;
}

// Errors after which the connection is not worth keeping: the next cycle opens a fresh one.
bool dropsConnection(const ServiceError &e)
{
    switch (e.kind) {
    case ServiceError::Kind::Connect:
    case ServiceError::Kind::Auth:
    case ServiceError::Kind::Timeout:
    case ServiceError::Kind::Cancelled:
        return true;
    default:
        return false;
    }
}

} // namespace

ClusterMemberProbe::ClusterMemberProbe(QNetworkAccessManager *nam, const ClusterProfile &profile,
                                       const ClusterMonitor::Secrets &secrets, const QString &name,
                                       QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_profile(profile)
    , m_secrets(secrets)
{
    m_member.name = name;
}

ClusterMemberProbe::~ClusterMemberProbe()
{
    m_alive.reset(); // callbacks of requests still out become no-ops
    resetClients();
}

QUrl ClusterMemberProbe::apiBaseUrl() const
{
    QUrl u = m_member.apiUrl;
    u.setPath(QString());
    u.setQuery(QString());
    u.setFragment(QString());
    return u;
}

void ClusterMemberProbe::setDcsView(const PatroniMember &pm)
{
    const bool moved =
        pm.apiUrl != m_member.apiUrl || pm.host != m_member.host || pm.port != m_member.port;
    m_member.host = pm.host;
    m_member.port = pm.port;
    m_member.apiUrl = pm.apiUrl;
    m_member.inDcs = true;
    m_member.role = pm.role;
    m_member.state = pm.state;
    m_member.timeline = pm.timeline;
    m_member.lagBytes = pm.lagBytes;
    // A restart just became pending: read pg_settings (with the sizes) on the next cycle rather
    // than up to sizeIntervalMs later, so the reason shows with the flag.
    if (pm.pendingRestart && !m_member.pendingRestart)
        m_sizesAt.invalidate();
    m_member.pendingRestart = pm.pendingRestart;
    m_member.tags = pm.tags;
    m_member.scheduledRestart = pm.scheduledRestart;
    if (moved)
        resetClients();
    sendSkippedRestIfDue(); // e.g. the DCS now names another leader than the last answer
}

void ClusterMemberProbe::setAbsentFromDcs()
{
    if (!m_member.inDcs)
        return;
    // Keep showing it: a member that vanished from the DCS (its key expired after its Patroni
    // died) is exactly what the operator needs to see. Its role and state now come from the
    // member itself, if it answers.
    m_member.inDcs = false;
    m_member.role = PatroniRole::Unknown;
    m_member.state.clear();
    m_member.lagBytes.reset();
}

void ClusterMemberProbe::resetClients()
{
    delete m_patroni;
    m_patroni = nullptr;
    m_rest.inFlight = false;
    m_restAskedAt.invalidate(); // the last answer came from another address
    dropSession();
}

void ClusterMemberProbe::dropSession()
{
    if (m_session)
        m_session->deleteLater();
    m_session = nullptr;
    m_sql.inFlight = false;
}

void ClusterMemberProbe::startCycle(int deadlineMs, bool withRest)
{
    m_cycleOpen = true;
    m_rest.answered = false;
    m_sql.answered = false;
    m_restPending = !withRest;
    m_restSkipped = false;
    if (withRest)
        m_restReason = RestPoll::Forced;
    // The breakdown's clock runs from when its cycle was sent, and a cycle that comes up to half
    // an interval early counts: at an interval of N cycles, every Nth cycle has one.
    // While fewer than kLearningSamples cycles with the breakdown were measured, every other
    // cycle has one: a single slow first measurement (a loaded host, a connection's cold caches)
    // would otherwise set the pace to the longest interval and keep it there until the next one.
    constexpr int kLearningSamples = 3;
    int breakdownEvery =
        breakdownIntervalFor(m_fullServerMs, m_cheapServerMs, m_profile.stateIntervalMs,
                             m_profile.breakdownIntervalMs, m_profile.breakdownBudgetMs);
    if (m_fullSamples < kLearningSamples && m_profile.breakdownBudgetMs > 0)
        breakdownEvery = std::min(breakdownEvery, 2 * std::max(1, m_profile.stateIntervalMs));
    startSql(deadlineMs, !m_sizesAt.isValid() || m_sizesAt.elapsed() >= m_profile.sizeIntervalMs,
             !m_breakdownAt.isValid() ||
                 m_breakdownAt.elapsed() + m_profile.stateIntervalMs / 2 >= breakdownEvery);
    if (withRest)
        startRest(deadlineMs);
}

void ClusterMemberProbe::startPendingRest(int deadlineMs, const RestCadence &cadence)
{
    if (!m_cycleOpen || !m_restPending)
        return;
    m_restPending = false;
    m_cadence = cadence;
    m_restDeadlineMs = deadlineMs;
    m_restReason = restReason();
    if (m_restReason == RestPoll::Skip) {
        m_restSkipped = true;
        m_rest.answered = true; // nothing to wait for; the last answer stands
        return;
    }
    startRest(deadlineMs);
}

RestPoll ClusterMemberProbe::restReason() const
{
    RestCadence c = m_cadence;
    c.sinceAskedMs = m_restAskedAt.isValid() ? m_restAskedAt.elapsed() : -1;
    return restPollReason(m_member, c);
}

// A cycle that skipped GET /patroni sends it after all once the member's SQL answer or a new DCS
// view disagrees with the last answer (or the SQL probe failed): at once, not a slow cycle later.
void ClusterMemberProbe::sendSkippedRestIfDue()
{
    if (!m_cycleOpen || !m_restSkipped)
        return;
    const RestPoll reason = restReason();
    if (reason == RestPoll::Skip)
        return;
    m_restSkipped = false;
    m_restReason = reason;
    m_rest.answered = false;
    startRest(m_restDeadlineMs);
}

void ClusterMemberProbe::finishCycle(int deadlineMs)
{
    if (!m_cycleOpen)
        return;
    m_cycleOpen = false;
    m_restPending = false;
    m_restSkipped = false;
    const std::pair<Channel *, ChannelStatus *> channels[] = {{&m_rest, &m_member.rest},
                                                              {&m_sql, &m_member.sql}};
    for (const auto &[channel, status] : channels) {
        if (channel->answered)
            continue;
        // The error is ours (the deadline), not the member's: say what we waited for.
        status->state = ChannelStatus::State::Unresponsive;
        status->latencyMs = -1;
        status->error = ServiceError::make(
            ServiceError::Kind::Timeout,
            channel == &m_rest ? Tr::tr("GET /patroni") : Tr::tr("SQL probe"),
            channel == &m_rest ? apiBaseUrl().authority()
                               : QStringLiteral("%1:%2").arg(m_member.host).arg(m_member.port),
            {}, Tr::tr("no answer within %1 ms").arg(deadlineMs));
    }
}

void ClusterMemberProbe::markAnswered(Channel &channel)
{
    channel.inFlight = false;
    if (!m_cycleOpen)
        return;
    channel.answered = true;
    if (onAnswered)
        onAnswered();
}

// ---- REST: GET /patroni -----------------------------------------------------------------------

void ClusterMemberProbe::startRest(int deadlineMs)
{
    if (m_rest.inFlight)
        return; // still waiting for the previous answer: one request at a time
    if (!m_member.apiUrl.isValid() || m_member.apiUrl.host().isEmpty()) {
        m_member.rest.state = ChannelStatus::State::Unknown;
        m_rest.answered = true;
        return;
    }
    if (!m_patroni) {
        m_patroni =
            new PatroniClient(m_nam, restEndpoint(m_profile, m_secrets, apiBaseUrl()), this);
    }
    m_patroni->setTimeout(std::chrono::milliseconds(requestLifetime(deadlineMs)));
    m_rest.inFlight = true;
    m_rest.sentAt.start();
    std::weak_ptr<int> alive = m_alive;
    m_patroni->getPatroni([this, alive](const Result<PatroniNodeStatus> &r) {
        if (alive.expired())
            return;
        restAnswered(r);
    });
}

void ClusterMemberProbe::restAnswered(const Result<PatroniNodeStatus> &r)
{
    ChannelStatus &st = m_member.rest;
    if (r.ok()) {
        st.state = ChannelStatus::State::Ok;
        st.error = {};
        st.latencyMs = m_rest.sentAt.elapsed();
        st.lastOk = QDateTime::currentDateTimeUtc(); // the answer's time (dcsAgeAtAnswer)
        m_restAskedAt = m_rest.sentAt;               // the cadence runs from when it was sent
        m_member.patroni = r.value();
        if (!m_member.inDcs) {
            m_member.role = r->role;
            m_member.state = r->state;
            m_member.timeline = r->timeline;
            m_member.pendingRestart = r->pendingRestart;
        }
        // Newer Patroni's reason; empty (3.0.2, or nothing pending) clears it, and the
        // snapshot falls back to the SQL probe's pg_settings (describePendingRestart).
        m_member.pendingRestartReason = r->pendingRestartReason;
    } else {
        st.state = stateFor(r.error());
        st.error = r.error();
        st.latencyMs = -1;
    }
    markAnswered(m_rest);
}

// ---- SQL probe -------------------------------------------------------------------------------

void ClusterMemberProbe::startSql(int deadlineMs, bool withSizes, bool withBreakdown)
{
    if (m_sql.inFlight)
        return;
    if (m_member.host.isEmpty() || m_member.port <= 0) {
        m_member.sql.state = ChannelStatus::State::Unknown;
        m_sql.answered = true;
        return;
    }
    if (m_authFailedAt.isValid() && m_authFailedAt.elapsed() < kAuthRetryMs) {
        m_sql.answered = true; // nothing sent: the last auth error stands (see finishCycle)
        return;
    }
    if (!m_session) {
        auto cs = PgConnectionSettings::forApplication(
                      m_profile.sqlConninfo, QStringLiteral("vigil"), m_secrets.sqlPassword)
                      .atMember(m_member.host, m_member.port);
        m_session = new PgSession(this);
        m_session->open(cs, std::chrono::milliseconds(requestLifetime(deadlineMs)));
    }
    m_sql.inFlight = true;
    m_sql.sentAt.start();
    const QDateTime sentAt = QDateTime::currentDateTimeUtc();
    std::weak_ptr<int> alive = m_alive;
    QPointer<PgSession> session = m_session;
    const auto deadline = std::chrono::milliseconds(requestLifetime(deadlineMs));
    // The statement this cycle runs is prepared by the session the first time it runs on a
    // connection (PQsendPrepare), then only executed (PQsendQueryPrepared); a failed prepare is
    // the error this cycle reports, and the next cycle that needs the statement tries again.
    m_session->execPrepared(
        memberProbeStatement(withSizes, withBreakdown),
        {QVariant(withSizes), QVariant(withBreakdown)},
        [this, alive, session, withSizes, withBreakdown, sentAt](const PgResult &res,
                                                                 const ServiceError &err) {
            if (alive.expired() || session != m_session)
                return; // an answer on a session we already dropped
            QByteArray json;
            if (!err.isError())
                json = res.text(0, QStringLiteral("probe")).toUtf8();
            sqlAnswered(json, err, withSizes, withBreakdown, sentAt);
        },
        deadline);
}

void ClusterMemberProbe::sqlAnswered(const QByteArray &json, const ServiceError &error,
                                     bool withSizes, bool withBreakdown, const QDateTime &sentAt)
{
    ChannelStatus &st = m_member.sql;
    ServiceError e = error;
    if (!e.isError()) {
        e = applyMemberProbe(json, m_member, sentAt);
        if (e.isError())
            e.host = QStringLiteral("%1:%2").arg(m_member.host).arg(m_member.port);
    }
    if (!e.isError()) {
        st.state = ChannelStatus::State::Ok;
        st.error = {};
        st.latencyMs = m_sql.sentAt.elapsed();
        st.lastOk = QDateTime::currentDateTimeUtc();
        m_authFailedAt.invalidate();
        if (withSizes)
            m_sizesAt.start();
        if (withBreakdown)
            m_breakdownAt = m_sql.sentAt;
        // The cost of each kind of cycle, smoothed (the first runs on a connection are slower:
        // cold caches). Cycles with sizes are left out: pg_database_size is another cost. A
        // query's server time is only ever inflated (load, cold caches, waits), never deflated:
        // a cheaper sample is taken at once, a dearer one by halves.
        if (m_member.probeServerMs && !withSizes) {
            const double sample = *m_member.probeServerMs;
            std::optional<double> &cost = withBreakdown ? m_fullServerMs : m_cheapServerMs;
            cost = cost ? std::min(sample, (*cost + sample) / 2) : sample;
            if (withBreakdown)
                ++m_fullSamples;
        }
    } else {
        st.state = stateFor(e);
        st.error = e;
        st.latencyMs = -1;
        if (e.kind == ServiceError::Kind::Auth)
            m_authFailedAt.start();
        if (dropsConnection(e) ||
            (m_session && m_session->state() == PgSession::State::Disconnected))
            dropSession();
    }
    sendSkippedRestIfDue(); // before markAnswered: the cycle must wait for it
    markAnswered(m_sql);
}

} // namespace vigil::services
