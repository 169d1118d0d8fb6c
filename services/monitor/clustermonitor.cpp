#include "services/monitor/clustermonitor.h"

#include "services/monitor/clustermemberprobe.h"
#include "services/monitor/findings.h"
#include "services/patroni/patroniclient.h"
#include "services/proxies/haproxystatsclient.h"
#include "services/proxies/pgbouncerclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTimer>
#include <algorithm>
#include <map>

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

} // namespace

struct ClusterMonitor::Impl
{
    ClusterMonitor *q;
    QNetworkAccessManager *nam;
    ClusterProfile profile;
    Secrets secrets;
    std::shared_ptr<int> alive = std::make_shared<int>(0);

    bool running = false;
    QTimer intervalTimer;
    QTimer deadlineTimer;
    QTimer hedgeTimer;
    QTimer restPhaseTimer;

    // The open cycle
    bool cycleOpen = false;
    bool starting = false; // inside beginCycle: an early answer must not close the cycle yet
    bool restPhaseStarted = false; // the cycle's REST requests (and HAProxy's) are sent
    int deadlineMs = 0;
    QDateTime takenAt;
    QElapsedTimer cycleClock;
    quint64 sequence = 0;
    ClusterSnapshotPtr last;

    // Discovery (GET /cluster): tried on the preferred URL first, then, on an error or when it
    // is slow (hedgeTimer), on the other members' REST APIs learned in earlier cycles.
    QString preferredUrl;
    QHash<QString, PatroniClient *> restClients; // by base URL, for /cluster and /config
    QSet<QString> discoveryInFlight;
    QSet<QString> discoveryTried; // in the open cycle
    bool discoveryDone = false;
    QElapsedTimer discoverySent;
    ServiceError discoveryError; // the last failure in the open cycle
    ChannelStatus discovery;
    std::optional<PatroniCluster> cluster;
    // While every member answers and agrees with the DCS view, a periodic cycle reuses that
    // view (see dcsViewStillGood) and asks /cluster only every clusterIntervalMs.
    QElapsedTimer discoveryOkAt;     // the last /cluster answer
    bool forceDiscovery = true;      // the next cycle asks /cluster whatever (pollOnce, start)
    bool discoverySkipped = false;   // the open cycle reuses the last DCS view ...
    bool discoveryRechecked = false; // ... unless the members' own answers disagreed with it

    std::optional<PatroniConfig> config;
    QElapsedTimer configAt;
    bool configInFlight = false;
    bool configDone = true;

    std::map<QString, ClusterMemberProbe *> probes; // ordered by member name

    HaproxyStatsClient *haproxyClient = nullptr;
    bool haproxyInFlight = false;
    bool haproxyDone = true;
    QElapsedTimer haproxySent;
    HaproxySnapshot haproxy;

    PgBouncerClient *bouncer = nullptr;
    bool bouncerInFlight = false;
    QElapsedTimer bouncerDatabasesAt; // when SHOW DATABASES last answered
    bool bouncerDone = true;
    QElapsedTimer bouncerSent;
    PgBouncerSnapshot pgbouncer;

    Impl(ClusterMonitor *monitor, QNetworkAccessManager *n, ClusterProfile p, Secrets s)
        : q(monitor)
        , nam(n)
        , profile(std::move(p))
        , secrets(std::move(s))
    {
        profile.memberDeadlineMs = std::max(100, profile.memberDeadlineMs);
        profile.stateIntervalMs = std::max(200, profile.stateIntervalMs);
        preferredUrl = baseUrlKey(profile.patroniUrl);
        deadlineTimer.setSingleShot(true);
        hedgeTimer.setSingleShot(true);
        restPhaseTimer.setSingleShot(true);
    }

    ~Impl()
    {
        alive.reset();
        intervalTimer.stop();
        deadlineTimer.stop();
        hedgeTimer.stop();
        restPhaseTimer.stop();
        for (auto &p : probes)
            delete p.second;
        qDeleteAll(restClients);
        delete haproxyClient;
        delete bouncer;
    }

    // The cycle's deadline: the member deadline, capped below the interval while polling
    // periodically (a cycle must end before the next begins).
    int effectiveDeadline() const
    {
        if (!running)
            return profile.memberDeadlineMs;
        return std::min(profile.memberDeadlineMs, std::max(100, profile.stateIntervalMs * 9 / 10));
    }

    int remaining() const { return std::max(1, deadlineMs - int(cycleClock.elapsed())); }
    // A request's own deadline: longer than the cycle's, see
    // ClusterMemberProbe::kRequestLifetimeMs.
    std::chrono::milliseconds requestLifetime() const
    {
        return std::chrono::milliseconds(
            std::max(deadlineMs, ClusterMemberProbe::kRequestLifetimeMs));
    }

    template <typename F> auto guarded(F f)
    {
        std::weak_ptr<int> w = alive;
        return [w, f](auto &&...args) {
            if (!w.expired())
                f(std::forward<decltype(args)>(args)...);
        };
    }

    // ---- cycle --------------------------------------------------------------------------------

    void beginCycle()
    {
        if (cycleOpen)
            return;
        cycleOpen = true;
        starting = true;
        deadlineMs = effectiveDeadline();
        takenAt = QDateTime::currentDateTimeUtc();
        cycleClock.start();
        deadlineTimer.start(deadlineMs);
        configDone = true; // /config is asked for after discovery, at the slow cadence

        // The SQL probes of the members known from earlier cycles (and PgBouncer's SHOW POOLS)
        // go first; the REST requests (discovery, each member's /patroni, HAProxy) follow once
        // every SQL probe has answered, or after kRestStaggerMs. Sent at the same instant, the
        // Patroni handlers (Python, each also querying its PostgreSQL) compete for the CPU with
        // the probe's backend on the member's host, and the probe's server time (what
        // pg_stat_statements shows the DBA) includes that wait. Members discovered now are
        // probed, both channels at once, as soon as /cluster answers.
        discoveryDone = false;
        restPhaseStarted = false;
        for (auto &p : probes)
            if (!p.second->cycleOpen())
                p.second->startCycle(remaining(), false);
        startPgBouncer();
        restPhaseTimer.start(std::min(kRestStaggerMs, std::max(1, deadlineMs / 4)));
        if (sqlSettled())
            startRestPhase();
        starting = false;
        checkComplete();
    }

    bool sqlSettled() const
    {
        for (const auto &p : probes)
            if (!p.second->sqlSettled())
                return false;
        return true;
    }

    void startRestPhase()
    {
        if (!cycleOpen || restPhaseStarted)
            return;
        restPhaseStarted = true;
        restPhaseTimer.stop();
        const bool wasStarting = starting;
        starting = true; // an answer given at once must not close the cycle halfway
        discoverySkipped = dcsViewStillGood();
        discoveryRechecked = false;
        if (discoverySkipped)
            discoveryDone = true;
        else
            startDiscovery();
        for (auto &p : probes)
            p.second->startPendingRest(remaining());
        startHaproxy();
        starting = wasStarting;
    }

    void checkComplete()
    {
        if (!cycleOpen || starting)
            return;
        if (!restPhaseStarted) {
            if (!sqlSettled())
                return;
            startRestPhase();
        }
        if (!discoveryDone || !configDone || !haproxyDone || !bouncerDone)
            return;
        for (const auto &p : probes)
            if (p.second->cycleOpen() && !p.second->answered())
                return;
        if (discoverySkipped && !discoveryRechecked && !membersAgreeWithDcs()) {
            // Something moved (a member down, a role or timeline changed): this cycle's
            // snapshot gets a fresh DCS view after all.
            discoveryRechecked = true;
            discoverySkipped = false;
            startDiscovery();
            return;
        }
        finishCycle();
    }

    // A periodic cycle may reuse the last DCS view when it is recent (clusterIntervalMs) and
    // the last snapshot was all well: every member answered on every channel it has, and no
    // finding above OK. Each GET /cluster costs a Patroni handler on a member's host, and at one
    // a second it was ~15 % of Vigil's own CPU (an A/B of vigil status --watch 1 on the sandbox).
    bool dcsViewStillGood() const
    {
        if (!running || forceDiscovery || !cluster || !discovery.ok() || !last ||
            !discoveryOkAt.isValid() ||
            discoveryOkAt.elapsed() + profile.stateIntervalMs / 2 >= profile.clusterIntervalMs)
            return false;
        if (last->worstSeverity() != Finding::Severity::Ok)
            return false;
        for (const auto &m : last->members)
            if (!channelWell(m.rest) || !channelWell(m.sql) || !m.inDcs)
                return false;
        return membersAgreeWithDcs();
    }

    static bool channelWell(const ChannelStatus &c)
    {
        return c.ok() || c.state == ChannelStatus::State::Unknown; // Unknown: not configured
    }

    // This cycle's answers of the members match the DCS view they were given.
    bool membersAgreeWithDcs() const
    {
        for (const auto &p : probes) {
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

    void finishCycle()
    {
        if (!cycleOpen)
            return;
        cycleOpen = false;
        deadlineTimer.stop();
        hedgeTimer.stop();
        restPhaseTimer.stop();

        if (!discoveryDone) {
            if (discoveryError.isError() && discoveryInFlight.isEmpty())
                setFailed(discovery, discoveryError);
            else
                setNoAnswer(discovery, Tr::tr("GET /cluster"), QUrl(preferredUrl).authority(),
                            deadlineMs);
        }
        discoveryDone = true;
        if (!haproxyDone)
            setNoAnswer(haproxy.channel, Tr::tr("HAProxy statistics"),
                        profile.haproxyStatsUrl.authority(), deadlineMs);
        if (!bouncerDone)
            setNoAnswer(pgbouncer.channel, Tr::tr("SHOW POOLS"), Tr::tr("PgBouncer"), deadlineMs);
        haproxyDone = bouncerDone = configDone = true;
        for (auto &p : probes)
            p.second->finishCycle(deadlineMs);

        auto snap = std::make_shared<ClusterSnapshot>(buildSnapshot());
        last = snap;
        Q_EMIT q->snapshotReady(snap);
    }

    ClusterSnapshot buildSnapshot()
    {
        ClusterSnapshot s;
        s.sequence = ++sequence;
        s.profileName = profile.name;
        s.takenAt = takenAt;
        s.cycleMs = cycleClock.elapsed();
        s.discovery = discovery;
        if (cluster) {
            s.paused = cluster->paused;
            s.scheduledSwitchover = cluster->scheduledSwitchover;
        }
        s.dynamicConfig = config;
        for (const auto &p : probes)
            s.members.append(p.second->snapshot());
        for (const auto &m : s.members)
            if (m.patroni && !m.patroni->scope.isEmpty()) {
                s.scope = m.patroni->scope;
                break;
            }

        // Each replica's replay lag as the member sending it WAL measures it (current data only).
        for (auto &m : s.members) {
            for (const auto &sender : s.members) {
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
        s.haproxy = haproxy;
        s.pgbouncer = pgbouncer;
        s.findings = deriveFindings(s);
        return s;
    }

    // ---- discovery ----------------------------------------------------------------------------

    PatroniClient *restClient(const QString &url)
    {
        PatroniClient *&c = restClients[url];
        if (!c) {
            PatroniEndpoint ep;
            ep.baseUrl = QUrl(url);
            ep.user = profile.restUser;
            ep.password = secrets.restPassword;
            ep.caFile = profile.restCaFile;
            ep.certFile = profile.restCertFile;
            ep.keyFile = profile.restKeyFile;
            ep.verifyPeer = profile.restVerifyPeer;
            c = new PatroniClient(nam, ep, q);
        }
        return c;
    }

    QStringList discoveryCandidates() const
    {
        QStringList urls{preferredUrl, baseUrlKey(profile.patroniUrl)};
        for (const QUrl &u : profile.patroniFallbackUrls)
            urls << baseUrlKey(u);
        for (const auto &p : probes)
            if (p.second->apiBaseUrl().isValid() && !p.second->apiBaseUrl().host().isEmpty())
                urls << baseUrlKey(p.second->apiBaseUrl());
        urls.removeDuplicates();
        urls.removeAll(QString());
        return urls;
    }

    void startDiscovery()
    {
        discoveryDone = false;
        discoveryTried.clear();
        discoveryError = {};
        discoverySent.start();
        if (!sendNextDiscovery()) {
            // Every candidate still has a request out from an earlier cycle: wait for those.
            if (discoveryInFlight.isEmpty())
                discoveryFailedEverywhere();
        }
    }

    // Sends GET /cluster to the next candidate not tried in this cycle; false when none is left.
    bool sendNextDiscovery()
    {
        for (const QString &url : discoveryCandidates()) {
            if (discoveryTried.contains(url))
                continue;
            discoveryTried.insert(url);
            if (discoveryInFlight.contains(url))
                continue; // one request per member and channel; that one may still answer
            discoveryInFlight.insert(url);
            PatroniClient *c = restClient(url);
            c->setTimeout(requestLifetime());
            c->getCluster(guarded(
                [this, url](const Result<PatroniCluster> &r) { discoveryAnswered(url, r); }));
            // If it is slow, ask the next member too (hedging), well before the deadline.
            hedgeTimer.start(std::max(50, deadlineMs / 4));
            return true;
        }
        return false;
    }

    void discoveryAnswered(const QString &url, const Result<PatroniCluster> &r)
    {
        discoveryInFlight.remove(url);
        if (!cycleOpen || discoveryDone)
            return; // late: the cycle already has its answer (or is over)
        if (r.ok()) {
            discoveryDone = true;
            hedgeTimer.stop();
            preferredUrl = url;
            setOk(discovery, discoverySent.elapsed());
            discoveryOkAt.start();
            forceDiscovery = false;
            applyCluster(r.value());
            startConfig();
            checkComplete();
            return;
        }
        discoveryError = r.error();
        if (!sendNextDiscovery() && discoveryInFlight.isEmpty())
            discoveryFailedEverywhere();
    }

    void hedge()
    {
        if (cycleOpen && !discoveryDone)
            sendNextDiscovery();
    }

    void discoveryFailedEverywhere()
    {
        discoveryDone = true;
        hedgeTimer.stop();
        if (discoveryError.isError())
            setFailed(discovery, discoveryError);
        else
            setNoAnswer(discovery, Tr::tr("GET /cluster"), QUrl(preferredUrl).authority(),
                        deadlineMs);
        checkComplete();
    }

    void applyCluster(const PatroniCluster &c)
    {
        cluster = c;
        QSet<QString> present;
        for (const auto &m : c.members) {
            present.insert(m.name);
            auto it = probes.find(m.name);
            if (it == probes.end()) {
                auto *p = new ClusterMemberProbe(nam, profile, secrets, m.name, q);
                p->onAnswered = guarded([this] { checkComplete(); });
                it = probes.emplace(m.name, p).first;
            }
            it->second->setDcsView(m);
            if (cycleOpen && !it->second->cycleOpen())
                it->second->startCycle(remaining());
        }
        for (auto &p : probes)
            if (!present.contains(p.first))
                p.second->setAbsentFromDcs();
    }

    void startConfig()
    {
        if (configInFlight || (configAt.isValid() && configAt.elapsed() < profile.sizeIntervalMs))
            return;
        configInFlight = true;
        configDone = false;
        PatroniClient *c = restClient(preferredUrl);
        c->setTimeout(requestLifetime());
        c->getConfig(guarded([this](const Result<PatroniConfig> &r) {
            configInFlight = false;
            configAt.start(); // success or not: the next try is at the slow cadence
            if (r.ok())
                config = r.value();
            if (cycleOpen) {
                configDone = true;
                checkComplete();
            }
        }));
    }

    // ---- HAProxy ------------------------------------------------------------------------------

    void startHaproxy()
    {
        if (profile.haproxyStatsUrl.isEmpty()) {
            haproxy = {};
            haproxyDone = true;
            return;
        }
        haproxyDone = false;
        if (haproxyInFlight)
            return;
        if (!haproxyClient)
            haproxyClient = new HaproxyStatsClient(nam, profile.haproxyStatsUrl, q);
        haproxyClient->setTimeout(requestLifetime());
        haproxyInFlight = true;
        haproxySent.start();
        haproxyClient->fetch(guarded([this](const Result<HaproxyStats> &r) {
            haproxyInFlight = false;
            if (r.ok()) {
                setOk(haproxy.channel, haproxySent.elapsed());
                haproxy.stats = r.value();
                haproxy.readWriteBackend =
                    findReadWriteBackend(r.value(), profile.haproxyReadWriteBackend);
                haproxy.readWriteServersUp.clear();
                for (const auto &s : r->servers(haproxy.readWriteBackend))
                    if (s.isUp())
                        haproxy.readWriteServersUp << s.name;
            } else {
                setFailed(haproxy.channel, r.error());
            }
            if (cycleOpen) {
                haproxyDone = true;
                checkComplete();
            }
        }));
    }

    // ---- PgBouncer ----------------------------------------------------------------------------

    void startPgBouncer()
    {
        if (profile.pgbouncerConninfo.isEmpty()) {
            pgbouncer = {};
            bouncerDone = true;
            return;
        }
        bouncerDone = false;
        if (bouncerInFlight)
            return;
        if (!bouncer) {
            bouncer = new PgBouncerClient(q);
            PgConnectionSettings cs;
            cs.conninfo = profile.pgbouncerConninfo;
            cs.overrides = {{QStringLiteral("application_name"), QStringLiteral("vigil")}};
            if (!secrets.pgbouncerPassword.isEmpty())
                cs.overrides.append({QStringLiteral("password"), secrets.pgbouncerPassword});
            bouncer->open(cs, requestLifetime());
        }
        bouncerInFlight = true;
        bouncerSent.start();
        PgBouncerClient *client = bouncer;
        client->showPools(guarded([this, client](const Result<QList<PgBouncerPool>> &r) {
            if (r.ok()) {
                setOk(pgbouncer.channel, bouncerSent.elapsed());
                pgbouncer.pools = r.value();
                // Where PgBouncer routes changes rarely: asked at the slower cadence, and every
                // cycle while clients wait (a PAUSE shows there at once).
                if (!bouncerDatabasesAt.isValid() ||
                    bouncerDatabasesAt.elapsed() >= profile.sizeIntervalMs ||
                    pgbouncer.waitingClients() > 0) {
                    client->showDatabases(
                        guarded([this](const Result<QList<PgBouncerDatabase>> &d) {
                            if (d.ok()) {
                                pgbouncer.databases = d.value();
                                bouncerDatabasesAt.start();
                            }
                            finishPgBouncer();
                        }));
                    return;
                }
            } else {
                setFailed(pgbouncer.channel, r.error());
                if (dropsConnection(r.error()) && bouncer == client) {
                    bouncer->deleteLater();
                    bouncer = nullptr;
                }
            }
            finishPgBouncer();
        }));
    }

    void finishPgBouncer()
    {
        bouncerInFlight = false;
        if (cycleOpen) {
            bouncerDone = true;
            checkComplete();
        }
    }
};

ClusterMonitor::ClusterMonitor(QNetworkAccessManager *nam, ClusterProfile profile, Secrets secrets,
                               QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this, nam, std::move(profile), std::move(secrets)))
{
    connect(&d->intervalTimer, &QTimer::timeout, this, [this] {
        d->finishCycle(); // no-op unless a cycle overran its (capped) deadline
        d->beginCycle();
    });
    connect(&d->deadlineTimer, &QTimer::timeout, this, [this] { d->finishCycle(); });
    connect(&d->hedgeTimer, &QTimer::timeout, this, [this] { d->hedge(); });
    connect(&d->restPhaseTimer, &QTimer::timeout, this, [this] {
        d->startRestPhase();
        d->checkComplete();
    });
}

ClusterMonitor::~ClusterMonitor() = default;

const ClusterProfile &ClusterMonitor::profile() const
{
    return d->profile;
}

ClusterSnapshotPtr ClusterMonitor::lastSnapshot() const
{
    return d->last;
}

void ClusterMonitor::start()
{
    d->running = true;
    d->forceDiscovery = true;
    d->intervalTimer.start(d->profile.stateIntervalMs);
    d->beginCycle();
}

void ClusterMonitor::stop()
{
    d->running = false;
    d->intervalTimer.stop();
}

void ClusterMonitor::pollOnce()
{
    // A cycle already open will emit its snapshot: that is the one. An explicit poll always asks
    // /cluster (a periodic cycle may reuse a recent DCS view).
    d->forceDiscovery = true;
    d->beginCycle();
}

} // namespace vigil::services
