#include "services/monitor/clusterpoller.h"

#include "services/monitor/clustermemberprobe.h"
#include "services/monitor/findings.h"
#include "services/monitor/memberprobequery.h"
#include "services/monitor/routematching.h"
#include "services/monitor/snapshotextras.h"
#include "services/patroni/patroniclient.h"
#include "services/proxies/clientrouteprober.h"
#include "services/proxies/haproxystatsclient.h"
#include "services/proxies/pgbouncerclient.h"

#include <QNetworkAccessManager>
#include <algorithm>

namespace vigil::services {

namespace {

QString baseUrlKey(const QUrl &url)
{
    QUrl u = url;
    u.setPath(QString());
    u.setQuery(QString());
    u.setFragment(QString());
    u.setUserInfo(QString());
    return u.toString(QUrl::StripTrailingSlash);
}

ChannelStatus::State stateFor(const ServiceError &e)
{
    return e.kind == ServiceError::Kind::Timeout ? ChannelStatus::State::Unresponsive
                                                 : ChannelStatus::State::Unreachable;
}

void setOk(ChannelStatus &c, qint64 latencyMs)
{
    c.state = ChannelStatus::State::Ok;
    c.error = {};
    c.latencyMs = latencyMs;
    c.lastOk = QDateTime::currentDateTimeUtc();
}

void setFailed(ChannelStatus &c, const ServiceError &e)
{
    c.state = stateFor(e);
    c.error = e;
    c.latencyMs = -1;
}

void setNoAnswer(ChannelStatus &c, const QString &what, const QString &host, int deadlineMs)
{
    c.state = ChannelStatus::State::Unresponsive;
    c.latencyMs = -1;
    c.error = ServiceError::make(ServiceError::Kind::Timeout, what, host, {},
                                 Tr::tr("no answer within %1 ms").arg(deadlineMs));
}

// How long the REST requests of a cycle wait, at most, for the SQL probes to answer (see
// beginCycle); a quarter of the cycle's deadline if that is shorter.
constexpr int kRestStaggerMs = 50;

bool dropsConnection(const ServiceError &e)
{
    return e.kind == ServiceError::Kind::Connect || e.kind == ServiceError::Kind::Auth ||
           e.kind == ServiceError::Kind::Timeout || e.kind == ServiceError::Kind::Cancelled;
}

// The read-write backend: the profile's name first; when the stats have no such proxy, the
// names common in Patroni/HAProxy setups (Patroni's own example calls it "batman").
QString findReadWriteBackend(const HaproxyStats &stats, const QString &configured)
{
    QStringList names{configured};
    for (const char *n : {"primary", "rw", "master", "leader", "write", "postgres_rw",
                          "postgres_write", "pg_rw", "postgresql_rw", "batman"})
        names << QLatin1String(n);
    for (const QString &n : names)
        if (!n.isEmpty() && (stats.backend(n) || !stats.servers(n).isEmpty()))
            return n;
    return {};
}

bool channelWell(const ChannelStatus &c)
{
    return c.ok() || c.state == ChannelStatus::State::Unknown; // Unknown: not configured
}

// Each replica's replay lag as the member sending it WAL measures it (current data only).
void applyReplayLag(QList<MemberSnapshot> &members)
{
    for (auto &m : members) {
        for (const auto &sender : members) {
            if (!sender.sql.ok())
                continue;
            for (const auto &r : sender.replication) {
                if (r.applicationName != m.name)
                    continue;
                m.replayLagBytes = r.replayLagBytes;
                m.replayLagSeconds = r.replayLagSeconds;
                // PostgreSQL shows NULL lag times once a standby has caught up and WAL is
                // idle; with nothing left to replay that is a lag of zero, not "unknown".
                if (!m.replayLagSeconds && m.replayLagBytes && *m.replayLagBytes <= 0)
                    m.replayLagSeconds = 0.0;
            }
        }
    }
}

} // namespace

ClusterPoller::ClusterPoller(QNetworkAccessManager *nam, ClusterProfile profile,
                             ClusterMonitor::Secrets secrets, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_profile(std::move(profile))
    , m_secrets(std::move(secrets))
{
    m_profile.memberDeadlineMs = std::max(100, m_profile.memberDeadlineMs);
    m_profile.stateIntervalMs = std::max(200, m_profile.stateIntervalMs);
    m_extras = new SnapshotExtras(m_nam, m_profile, m_secrets.sqlPassword, this);
    m_preferredUrl = baseUrlKey(m_profile.patroniUrl);
    m_deadlineTimer.setSingleShot(true);
    m_hedgeTimer.setSingleShot(true);
    m_restPhaseTimer.setSingleShot(true);
    connect(&m_intervalTimer, &QTimer::timeout, this, [this] {
        finishCycle(); // no-op unless a cycle overran its (capped) deadline
        beginCycle();
    });
    connect(&m_deadlineTimer, &QTimer::timeout, this, [this] { finishCycle(); });
    connect(&m_hedgeTimer, &QTimer::timeout, this, [this] { hedge(); });
    connect(&m_restPhaseTimer, &QTimer::timeout, this, [this] {
        startRestPhase();
        checkComplete();
    });
}

ClusterPoller::~ClusterPoller()
{
    m_alive.reset();
    m_intervalTimer.stop();
    m_deadlineTimer.stop();
    m_hedgeTimer.stop();
    m_restPhaseTimer.stop();
    for (auto &p : m_probes)
        delete p.second;
    qDeleteAll(m_restClients);
    delete m_haproxyClient;
    delete m_bouncer;
}

void ClusterPoller::start()
{
    m_running = true;
    m_forceDiscovery = true;
    m_intervalTimer.start(m_profile.stateIntervalMs);
    beginCycle();
}

void ClusterPoller::stop()
{
    m_running = false;
    m_intervalTimer.stop();
}

void ClusterPoller::pollOnce()
{
    // A cycle already open will emit its snapshot: that is the one. An explicit poll always asks
    // /cluster (a periodic cycle may reuse a recent DCS view).
    m_forceDiscovery = true;
    beginCycle();
}

// ---- cycle ------------------------------------------------------------------------------------

// The cycle's deadline: the member deadline, capped below the interval while polling
// periodically (a cycle must end before the next begins).
int ClusterPoller::effectiveDeadline() const
{
    if (!m_running)
        return m_profile.memberDeadlineMs;
    return std::min(m_profile.memberDeadlineMs, std::max(100, m_profile.stateIntervalMs * 9 / 10));
}

int ClusterPoller::remaining() const
{
    return std::max(1, m_deadlineMs - int(m_cycleClock.elapsed()));
}

// A request's own deadline: longer than the cycle's, see ClusterMemberProbe::kRequestLifetimeMs.
std::chrono::milliseconds ClusterPoller::requestLifetime() const
{
    return std::chrono::milliseconds(
        std::max(m_deadlineMs, ClusterMemberProbe::kRequestLifetimeMs));
}

void ClusterPoller::beginCycle()
{
    if (m_cycleOpen)
        return;
    m_cycleOpen = true;
    m_starting = true;
    m_deadlineMs = effectiveDeadline();
    m_takenAt = QDateTime::currentDateTimeUtc();
    m_cycleClock.start();
    m_deadlineTimer.start(m_deadlineMs);
    m_configDone = true; // /config is asked for after discovery, at the slow cadence
    m_routesDone = true; // waited for only while no route is known yet (see probeRoutes)

    // The SQL probes of the members known from earlier cycles (and PgBouncer's SHOW POOLS)
    // go first; the REST requests (discovery, each member's /patroni, HAProxy) follow once
    // every SQL probe has answered, or after kRestStaggerMs. Sent at the same instant, the
    // Patroni handlers (Python, each also querying its PostgreSQL) compete for the CPU with
    // the probe's backend on the member's host, and the probe's server time (what
    // pg_stat_statements shows the DBA) includes that wait. Members discovered now are
    // probed, both channels at once, as soon as /cluster answers.
    m_discoveryDone = false;
    m_restPhaseStarted = false;
    for (auto &p : m_probes)
        if (!p.second->cycleOpen())
            p.second->startCycle(remaining(), false);
    startPgBouncer();
    m_restPhaseTimer.start(std::min(kRestStaggerMs, std::max(1, m_deadlineMs / 4)));
    m_extras->readIfDue(m_last.get(), requestLifetime());
    if (sqlSettled())
        startRestPhase();
    m_starting = false;
    checkComplete();
}

bool ClusterPoller::sqlSettled() const
{
    for (const auto &p : m_probes)
        if (!p.second->sqlSettled())
            return false;
    return true;
}

void ClusterPoller::startRestPhase()
{
    if (!m_cycleOpen || m_restPhaseStarted)
        return;
    m_restPhaseStarted = true;
    m_restPhaseTimer.stop();
    const bool wasStarting = m_starting;
    m_starting = true; // an answer given at once must not close the cycle halfway
    m_discoverySkipped = dcsViewStillGood();
    m_discoveryRechecked = false;
    if (m_discoverySkipped)
        m_discoveryDone = true;
    else
        startDiscovery();
    const RestCadence cadence = restCadence();
    for (auto &p : m_probes)
        p.second->startPendingRest(remaining(), cadence);
    startHaproxy();
    m_starting = wasStarting;
}

void ClusterPoller::checkComplete()
{
    if (!m_cycleOpen || m_starting)
        return;
    if (!m_restPhaseStarted) {
        if (!sqlSettled())
            return;
        startRestPhase();
    }
    if (!m_discoveryDone || !m_configDone || !m_haproxyDone || !m_bouncerDone || !m_routesDone)
        return;
    for (const auto &p : m_probes)
        if (p.second->cycleOpen() && !p.second->answered())
            return;
    if (m_discoverySkipped && !m_discoveryRechecked && !membersAgreeWithDcs()) {
        // Something moved (a member down, a role or timeline changed): this cycle's
        // snapshot gets a fresh DCS view after all.
        m_discoveryRechecked = true;
        m_discoverySkipped = false;
        startDiscovery();
        return;
    }
    finishCycle();
}

// A periodic cycle may reuse the last DCS view when it is recent (clusterIntervalMs) and
// the last snapshot was all well: every member answered on every channel it has, and no
// finding above OK. Each GET /cluster costs a Patroni handler on a member's host, and at one
// a second it was ~15 % of Vigil's own CPU (an A/B of vigil status --watch 1 on the sandbox).
bool ClusterPoller::dcsViewStillGood() const
{
    if (!m_running || m_forceDiscovery || !m_cluster || !m_discovery.ok() || !m_last ||
        !m_discoveryOkAt.isValid() ||
        m_discoveryOkAt.elapsed() + m_profile.stateIntervalMs / 2 >= m_profile.clusterIntervalMs)
        return false;
    if (m_last->worstSeverity() != Finding::Severity::Ok)
        return false;
    for (const auto &m : m_last->members)
        if (!channelWell(m.rest) || !channelWell(m.sql) || !m.inDcs)
            return false;
    return membersAgreeWithDcs();
}

// How this cycle asks each member's GET /patroni (restcadence.h): at the slow cadence of
// GET /cluster, unless this cycle wants everything fresh: pollOnce and start (like
// m_forceDiscovery), and while the last snapshot had a critical, unknown or DCS finding (the
// DCS age then stays current, and a failover is followed cycle by cycle).
RestCadence ClusterPoller::restCadence() const
{
    RestCadence c;
    c.stateIntervalMs = m_profile.stateIntervalMs;
    c.slowIntervalMs = m_profile.clusterIntervalMs;
    if (m_config && m_config->loopWait)
        c.loopWaitSeconds = *m_config->loopWait;
    c.forced = !m_running || m_forceDiscovery || !m_last;
    if (m_last)
        for (const Finding &f : m_last->findings)
            if (f.severity == Finding::Severity::Critical ||
                f.severity == Finding::Severity::Unknown || f.code == Finding::Code::DcsUnreachable)
                c.forced = true;
    return c;
}

// This cycle's answers of the members match the DCS view they were given.
bool ClusterPoller::membersAgreeWithDcs() const
{
    for (const auto &p : m_probes) {
        const MemberSnapshot &m = p.second->snapshot();
        if (!channelWell(m.rest) || !channelWell(m.sql) || !m.inDcs)
            return false;
        if (m.rest.ok() && m.patroni) {
            const bool restLeader = m.patroni->role == PatroniRole::Leader ||
                                    m.patroni->role == PatroniRole::StandbyLeader;
            // (Not the state: Patroni 3.0.2 says "running" in /patroni and "streaming" in
            // /cluster for the same replica.)
            if (restLeader != m.isLeader() ||
                (m.patroni->timeline && m.timeline && *m.patroni->timeline != *m.timeline))
                return false;
        }
        if (m.sql.ok() && m.inRecovery && *m.inRecovery == (m.role == PatroniRole::Leader))
            return false;
    }
    return true;
}

void ClusterPoller::finishCycle()
{
    if (!m_cycleOpen)
        return;
    m_cycleOpen = false;
    m_deadlineTimer.stop();
    m_hedgeTimer.stop();
    m_restPhaseTimer.stop();
    const bool discoveryHung = !m_discoveryDone;
    markUnanswered();
    auto snap = std::make_shared<ClusterSnapshot>(buildSnapshot());
    m_last = snap;
    m_extras->snapshotTaken(*snap);
    // GET /cluster hung for the whole cycle and no member is known: the next cycle (a receiver
    // may start it from snapshotReady) asks the members' own REST APIs while /cluster may still
    // answer. Not earlier: a fresh monitor's first /cluster may just be slow.
    if (discoveryHung && m_probes.empty())
        probeKnownUrls();
    Q_EMIT snapshotReady(snap);
}

// At the end of a cycle: what has not answered is Unresponsive (or, for discovery that failed
// everywhere it was asked, the last failure).
void ClusterPoller::markUnanswered()
{
    if (!m_discoveryDone) {
        if (m_discoveryError.isError() && m_discoveryInFlight.isEmpty())
            setFailed(m_discovery, m_discoveryError);
        else
            setNoAnswer(m_discovery, Tr::tr("GET /cluster"), QUrl(m_preferredUrl).authority(),
                        m_deadlineMs);
    }
    m_discoveryDone = true;
    if (!m_haproxyDone)
        setNoAnswer(m_haproxy.channel, Tr::tr("HAProxy statistics"),
                    m_profile.haproxyStatsUrl.authority(), m_deadlineMs);
    if (!m_bouncerDone)
        setNoAnswer(m_pgbouncer.channel, Tr::tr("SHOW POOLS"), Tr::tr("PgBouncer"), m_deadlineMs);
    m_haproxyDone = m_bouncerDone = m_configDone = true;
    m_routesDone = true; // a route round still running keeps the routes it carried over
    for (auto &p : m_probes)
        p.second->finishCycle(m_deadlineMs);
}

// Since when each member has held the leader key while its own SQL said pg_is_in_recovery():
// carried from the last snapshot while it lasts, so that deriveFindings can tell a promotion in
// progress (seconds) from a leader that accepts no writes.
void ClusterPoller::markLeaderInRecovery(ClusterSnapshot &s) const
{
    for (auto &m : s.members) {
        m.leaderInRecoverySince.reset();
        if (!m.inDcs || m.role != PatroniRole::Leader || !m.sql.ok() || !m.inRecovery ||
            !*m.inRecovery)
            continue;
        m.leaderInRecoverySince = s.takenAt;
        if (m_last)
            for (const auto &before : m_last->members)
                if (before.name == m.name && before.leaderInRecoverySince)
                    m.leaderInRecoverySince = before.leaderInRecoverySince;
    }
}

// The last leader, when it last answered, and the last change of leader, carried across
// cycles for the PrimaryDown and FailedOver findings. A cycle without a leader (its key expired,
// none elected yet) keeps them; the next leader seen is the change.
void ClusterPoller::trackLeader(ClusterSnapshot &s) const
{
    if (m_last) {
        s.lastLeader = m_last->lastLeader;
        s.lastLeaderSeen = m_last->lastLeaderSeen;
        s.leaderChange = m_last->leaderChange;
    }
    const MemberSnapshot *l = s.leader();
    if (!l)
        return;
    if (!s.lastLeader.isEmpty() && l->name != s.lastLeader) {
        LeaderChange c;
        c.from = s.lastLeader;
        c.to = l->name;
        c.fromLastSeen = s.lastLeaderSeen;
        c.at = s.takenAt;
        const MemberSnapshot *old = s.member(c.from);
        c.planned = old && (old->rest.ok() || old->sql.ok());
        s.leaderChange = c;
        s.lastLeaderSeen = QDateTime();
    }
    s.lastLeader = l->name;
    for (const ChannelStatus *c : {&l->rest, &l->sql})
        if (c->ok() && c->lastOk.isValid() &&
            (!s.lastLeaderSeen.isValid() || c->lastOk > s.lastLeaderSeen))
            s.lastLeaderSeen = c->lastOk;
}

ClusterSnapshot ClusterPoller::buildSnapshot()
{
    ClusterSnapshot s;
    s.sequence = ++m_sequence;
    s.profileName = m_profile.name;
    s.takenAt = m_takenAt;
    s.cycleMs = m_cycleClock.elapsed();
    s.discovery = m_discovery;
    if (m_cluster) {
        s.paused = m_cluster->paused;
        s.scheduledSwitchover = m_cluster->scheduledSwitchover;
    }
    s.dynamicConfig = m_config;
    for (const auto &p : m_probes)
        s.members.append(p.second->snapshot());
    for (const auto &m : s.members)
        if (m.patroni && !m.patroni->scope.isEmpty()) {
            s.scope = m.patroni->scope;
            break;
        }
    for (auto &m : s.members) {
        m.fromUrlOnly = m_fromUrlOnly.contains(m.name);
        const bool pending = m.pendingRestart || (m.patroni && m.patroni->pendingRestart);
        if (pending && m.pendingRestartReason.isEmpty())
            m.pendingRestartReason =
                describePendingRestart(m.pendingRestartSettings, m_config ? &*m_config : nullptr);
    }
    applyReplayLag(s.members);
    markLeaderInRecovery(s);
    trackLeader(s);
    s.haproxy = m_haproxy;
    s.pgbouncer = m_pgbouncer;
    if (m_routes)
        s.pgbouncer.routes = m_routes->routes();
    matchRouteMembers(s.pgbouncer.routes, s.members);
    m_extras->apply(s);
    s.findings = deriveFindings(s, m_profile.thresholds);
    return s;
}

// ---- what the snapshots carry from beside the cluster ------------------------------------------

void ClusterPoller::setHostMetrics(const PrometheusEndpoint &endpoint)
{
    m_extras->setHostMetrics(endpoint);
}

void ClusterPoller::setAlertmanager(const PrometheusEndpoint &endpoint)
{
    m_extras->setAlertmanager(endpoint);
}

void ClusterPoller::setCustomMetrics(const QList<CustomMetric> &metrics)
{
    m_extras->setCustomMetrics(metrics, m_last.get());
}

CustomMetricRunner *ClusterPoller::customMetrics() const
{
    return m_extras->customMetrics();
}

// ---- discovery ----------------------------------------------------------------------------------

PatroniClient *ClusterPoller::restClient(const QString &url)
{
    PatroniClient *&c = m_restClients[url];
    if (!c) {
        c = new PatroniClient(m_nam, restEndpoint(m_profile, m_secrets, QUrl(url)), this);
    }
    return c;
}

QStringList ClusterPoller::discoveryCandidates() const
{
    QStringList urls{m_preferredUrl, baseUrlKey(m_profile.patroniUrl)};
    for (const QUrl &u : m_profile.patroniFallbackUrls)
        urls << baseUrlKey(u);
    for (const auto &p : m_probes)
        if (p.second->apiBaseUrl().isValid() && !p.second->apiBaseUrl().host().isEmpty())
            urls << baseUrlKey(p.second->apiBaseUrl());
    urls.removeDuplicates();
    urls.removeAll(QString());
    // The leader last: Patroni 3.0.2 (etcd v3) answers GET /cluster from its watch cache and
    // counts that as a DCS contact (dcs_last_seen), so asking the leader would keep its contact
    // looking fresh while etcd is frozen, and the leader's is what tells that it will demote.
    if (m_cluster)
        for (const auto &m : m_cluster->members)
            if (m.role == PatroniRole::Leader) {
                const QString leader = baseUrlKey(m.apiUrl);
                if (urls.removeAll(leader) > 0)
                    urls << leader;
            }
    return urls;
}

void ClusterPoller::startDiscovery()
{
    m_discoveryDone = false;
    m_discoveryTried.clear();
    m_discoveryError = {};
    m_discoverySent.start();
    if (!sendNextDiscovery()) {
        // Every candidate still has a request out from an earlier cycle: wait for those.
        if (m_discoveryInFlight.isEmpty())
            discoveryFailedEverywhere();
    }
}

// Sends GET /cluster to the next candidate not tried in this cycle; false when none is left.
bool ClusterPoller::sendNextDiscovery()
{
    for (const QString &url : discoveryCandidates()) {
        if (m_discoveryTried.contains(url))
            continue;
        m_discoveryTried.insert(url);
        if (m_discoveryInFlight.contains(url))
            continue; // one request per member and channel; that one may still answer
        m_discoveryInFlight.insert(url);
        PatroniClient *c = restClient(url);
        c->setTimeout(requestLifetime());
        c->getCluster(
            guarded([this, url](const Result<PatroniCluster> &r) { discoveryAnswered(url, r); }));
        // If it is slow, ask the next member too (hedging), well before the deadline.
        m_hedgeTimer.start(std::max(50, m_deadlineMs / 4));
        return true;
    }
    return false;
}

void ClusterPoller::discoveryAnswered(const QString &url, const Result<PatroniCluster> &r)
{
    m_discoveryInFlight.remove(url);
    if (!m_cycleOpen || m_discoveryDone)
        return; // late: the cycle already has its answer (or is over)
    if (r.ok()) {
        m_discoveryDone = true;
        m_hedgeTimer.stop();
        m_preferredUrl = url;
        setOk(m_discovery, m_discoverySent.elapsed());
        m_discoveryOkAt.start();
        m_forceDiscovery = false;
        applyCluster(r.value());
        startConfig();
        checkComplete();
        return;
    }
    m_discoveryError = r.error();
    if (!sendNextDiscovery() && m_discoveryInFlight.isEmpty())
        discoveryFailedEverywhere();
}

// GET /cluster is slow: ask the next member too. The members' own REST APIs are probed by URL
// only once discovery failed everywhere (discoveryFailedEverywhere) or hung for a whole cycle
// (finishCycle), never because a first answer is merely slow.
void ClusterPoller::hedge()
{
    if (!m_cycleOpen || m_discoveryDone)
        return;
    sendNextDiscovery();
}

void ClusterPoller::discoveryFailedEverywhere()
{
    m_discoveryDone = true;
    m_hedgeTimer.stop();
    if (m_discoveryError.isError())
        setFailed(m_discovery, m_discoveryError);
    else
        setNoAnswer(m_discovery, Tr::tr("GET /cluster"), QUrl(m_preferredUrl).authority(),
                    m_deadlineMs);
    if (m_probes.empty())
        probeKnownUrls();
    checkComplete();
}

// GET /cluster failed everywhere (or hung for a whole cycle) and no DCS view was ever read: the
// DCS may be what failed, while each member's own REST API still answers. Probe the members we
// know by URL (the profile's, and its fallbacks) so that their own state is shown, named by
// their address, until a DCS view replaces them. Outside a cycle the probes start with the next.
void ClusterPoller::probeKnownUrls()
{
    for (const QString &url : discoveryCandidates()) {
        const QUrl base(url);
        const QString name = base.authority();
        if (name.isEmpty() || m_probes.count(name))
            continue;
        PatroniMember pm;
        pm.name = name;
        pm.apiUrl = base.resolved(QUrl(QStringLiteral("/patroni")));
        auto *p = new ClusterMemberProbe(m_nam, m_profile, m_secrets, name, this);
        p->onAnswered = guarded([this] { checkComplete(); });
        p->setDcsView(pm); // no SQL address: only its REST channel is probed
        p->setAbsentFromDcs();
        m_probes.emplace(name, p);
        m_fromUrlOnly.insert(name);
        if (m_cycleOpen)
            p->startCycle(remaining());
    }
}

// The DCS view: a probe for each member listed (a new one starts at once, both channels); a
// member no longer listed keeps its probe and is marked absent from the DCS.
void ClusterPoller::applyCluster(const PatroniCluster &c)
{
    m_cluster = c;
    for (const QString &name : std::as_const(m_fromUrlOnly)) { // replaced by the real members
        auto it = m_probes.find(name);
        if (it != m_probes.end()) {
            // Its GET /patroni may still be out: deleting the probe aborts it (the reply belongs
            // to the probe's client) and its callbacks become no-ops; later, not here, in case
            // this runs inside one of its own callbacks.
            it->second->onAnswered = nullptr;
            it->second->deleteLater();
            m_probes.erase(it);
        }
    }
    m_fromUrlOnly.clear();
    QSet<QString> present;
    for (const auto &m : c.members) {
        present.insert(m.name);
        auto it = m_probes.find(m.name);
        if (it == m_probes.end()) {
            auto *p = new ClusterMemberProbe(m_nam, m_profile, m_secrets, m.name, this);
            p->onAnswered = guarded([this] { checkComplete(); });
            it = m_probes.emplace(m.name, p).first;
        }
        it->second->setDcsView(m);
        if (m_cycleOpen && !it->second->cycleOpen())
            it->second->startCycle(remaining());
    }
    for (auto &p : m_probes)
        if (!present.contains(p.first))
            p.second->setAbsentFromDcs();
}

void ClusterPoller::startConfig()
{
    if (m_configInFlight ||
        (m_configAt.isValid() && m_configAt.elapsed() < m_profile.sizeIntervalMs))
        return;
    m_configInFlight = true;
    m_configDone = false;
    PatroniClient *c = restClient(m_preferredUrl);
    c->setTimeout(requestLifetime());
    c->getConfig(guarded([this](const Result<PatroniConfig> &r) { configAnswered(r); }));
}

void ClusterPoller::configAnswered(const Result<PatroniConfig> &r)
{
    m_configInFlight = false;
    m_configAt.start(); // success or not: the next try is at the slow cadence
    if (r.ok())
        m_config = r.value();
    if (m_cycleOpen) {
        m_configDone = true;
        checkComplete();
    }
}

// ---- HAProxy ------------------------------------------------------------------------------------

void ClusterPoller::startHaproxy()
{
    if (m_profile.haproxyStatsUrl.isEmpty()) {
        m_haproxy = {};
        m_haproxyDone = true;
        return;
    }
    m_haproxyDone = false;
    if (m_haproxyInFlight)
        return;
    if (!m_haproxyClient)
        m_haproxyClient = new HaproxyStatsClient(m_nam, m_profile.haproxyStatsUrl, this);
    m_haproxyClient->setTimeout(requestLifetime());
    m_haproxyInFlight = true;
    m_haproxySent.start();
    m_haproxyClient->fetch(guarded([this](const Result<HaproxyStats> &r) { haproxyAnswered(r); }));
}

void ClusterPoller::haproxyAnswered(const Result<HaproxyStats> &r)
{
    m_haproxyInFlight = false;
    if (r.ok()) {
        setOk(m_haproxy.channel, m_haproxySent.elapsed());
        m_haproxy.stats = r.value();
        m_haproxy.readWriteBackend =
            findReadWriteBackend(r.value(), m_profile.haproxyReadWriteBackend);
        m_haproxy.readWriteServersUp.clear();
        for (const auto &s : r->servers(m_haproxy.readWriteBackend))
            if (s.isUp())
                m_haproxy.readWriteServersUp << s.name;
    } else {
        setFailed(m_haproxy.channel, r.error());
    }
    if (m_cycleOpen) {
        m_haproxyDone = true;
        checkComplete();
    }
}

// ---- PgBouncer ----------------------------------------------------------------------------------

void ClusterPoller::startPgBouncer()
{
    if (m_profile.pgbouncerConninfo.isEmpty()) {
        m_pgbouncer = {};
        m_bouncerDone = true;
        return;
    }
    m_bouncerDone = false;
    if (m_bouncerInFlight)
        return;
    if (!m_bouncer)
        openPgBouncer();
    m_bouncerInFlight = true;
    m_bouncerSent.start();
    PgBouncerClient *client = m_bouncer;
    client->showPools(guarded(
        [this, client](const Result<QList<PgBouncerPool>> &r) { poolsAnswered(client, r); }));
}

void ClusterPoller::openPgBouncer()
{
    m_bouncer = new PgBouncerClient(this);
    m_bouncer->open(PgConnectionSettings::forApplication(m_profile.pgbouncerConninfo,
                                                         QStringLiteral("vigil"),
                                                         m_secrets.pgbouncerPassword),
                    requestLifetime());
}

void ClusterPoller::poolsAnswered(PgBouncerClient *client, const Result<QList<PgBouncerPool>> &r)
{
    if (!r.ok()) {
        setFailed(m_pgbouncer.channel, r.error());
        if (dropsConnection(r.error()) && m_bouncer == client) {
            m_bouncer->deleteLater();
            m_bouncer = nullptr;
        }
        finishPgBouncer();
        return;
    }
    setOk(m_pgbouncer.channel, m_bouncerSent.elapsed());
    m_pgbouncer.pools = r.value();
    // Where PgBouncer routes changes rarely: asked at the slower cadence, and every cycle while
    // clients wait (a PAUSE shows there at once).
    if (m_bouncerDatabasesAt.isValid() &&
        m_bouncerDatabasesAt.elapsed() < m_profile.sizeIntervalMs &&
        m_pgbouncer.waitingClients() <= 0) {
        finishPgBouncer();
        return;
    }
    client->showDatabases(guarded([this, client](const Result<QList<PgBouncerDatabase>> &d) {
        if (d.ok()) {
            m_pgbouncer.databases = d.value();
            m_bouncerDatabasesAt.start();
        }
        probeRoutes(client);
    }));
}

// Where the clients of each route land, at the cadence of SHOW DATABASES (see
// ClientRouteProber). PgBouncer's console has answered by now, so its channel is done: a route
// probe can hang for as long as PgBouncer waits for a dead server (HAProxy stopped), and that
// must neither mark the console unresponsive nor hold every cycle to its deadline. The cycle
// waits for a round (within its deadline) only while no route is known yet, so that a one-shot
// `vigil status` reports them; afterwards a snapshot shows the routes of the last round.
void ClusterPoller::probeRoutes(PgBouncerClient *client)
{
    const QString bouncer = client->session()->host();
    const int colon = int(bouncer.lastIndexOf(QLatin1Char(':')));
    if (colon <= 0 || m_pgbouncer.databases.isEmpty()) {
        finishPgBouncer();
        return;
    }
    if (!m_routes)
        m_routes = new ClientRouteProber(m_profile.sqlConninfo, m_secrets.sqlPassword, this);
    QStringList memberAddresses;
    for (const auto &p : m_probes)
        memberAddresses << QStringLiteral("%1:%2")
                               .arg(p.second->snapshot().host)
                               .arg(p.second->snapshot().port);
    // Set before the round starts: its end may be reported at once (nothing to probe).
    if (m_routes->routes().isEmpty() && m_cycleOpen)
        m_routesDone = false;
    const bool started =
        m_routes->probe(m_pgbouncer.databases, bouncer.left(colon), bouncer.mid(colon + 1).toInt(),
                        memberAddresses, requestLifetime(), guarded([this] { routesProbed(); }));
    if (!started)
        m_routesDone = true;
    finishPgBouncer();
}

void ClusterPoller::routesProbed()
{
    if (m_routesDone)
        return;
    m_routesDone = true;
    if (m_cycleOpen)
        checkComplete();
}

void ClusterPoller::finishPgBouncer()
{
    m_bouncerInFlight = false;
    if (m_cycleOpen) {
        m_bouncerDone = true;
        checkComplete();
    }
}

} // namespace vigil::services
