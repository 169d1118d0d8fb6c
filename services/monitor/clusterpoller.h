#pragma once

#include "services/metrics/prometheustypes.h"
#include "services/monitor/clustermonitor.h"
#include "services/monitor/clustersnapshot.h"
#include "services/monitor/restcadence.h"
#include "services/patroni/patronitypes.h"
#include "services/settings/clusterprofile.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace vigil::services {

class ClientRouteProber;
class CustomMetricRunner;
struct CustomMetric;
class ClusterMemberProbe;
class HaproxyStatsClient;
class SnapshotExtras;
class PatroniClient;
class PgBouncerClient;

// Runs ClusterMonitor's poll cycles: one cycle asks every channel once — discovery (GET /cluster,
// hedged across members, the leader last), each member's probe (ClusterMemberProbe: SQL, and
// /patroni at the slow cadence while SQL agrees with it, see restcadence.h), the
// dynamic configuration at the slow cadence, HAProxy's statistics and PgBouncer's pools — and
// closes when everything answered or the cycle's deadline passed, then assembles one immutable
// ClusterSnapshot with derived findings. ClusterMonitor is the public face; this class is its
// engine, kept apart so the cycle's state machine can be read (and grown) on its own.
//
// Threading: lives on the thread that owns `nam` (ClusterMonitor's, normally the UI thread) and
// never blocks it: every request is asynchronous, every answer comes back as a deferred callback
// on this thread. Not thread-safe; call it from its own thread only.
// Guarantees of snapshotReady:
//  * exactly one per cycle, emitted at the latest when the cycle's deadline (effectiveDeadline)
//    passes; a channel that did not answer by then is marked Unresponsive, its data the last
//    known. A member that hangs therefore never delays the others.
//  * usually from a timer or a network callback; from inside start() or pollOnce() only when
//    the cycle has nothing to wait for (e.g. no Patroni URL to ask).
//  * snapshots are immutable and shared; their sequence numbers increase by one per cycle.
// Answers that come in after their cycle closed update the members' last known state and count
// for the cycle open at that time; at most one request per member and channel is outstanding.
class ClusterPoller : public QObject
{
    Q_OBJECT
public:
    ClusterPoller(QNetworkAccessManager *nam, ClusterProfile profile,
                  ClusterMonitor::Secrets secrets, QObject *parent = nullptr);
    ~ClusterPoller() override;

    const ClusterProfile &profile() const { return m_profile; }
    ClusterSnapshotPtr lastSnapshot() const { return m_last; }

    void start(); // a cycle now, then one every stateIntervalMs until stop()
    void stop();
    void pollOnce(); // one cycle now, always with a fresh GET /cluster
    // The members' host figures from node_exporter through this Prometheus (not set: none).
    void setHostMetrics(const PrometheusEndpoint &endpoint);
    // The active alerts of this Alertmanager (not set: none).
    void setAlertmanager(const PrometheusEndpoint &endpoint);
    // Runs these custom metrics from now on (none: stops them); their last readings go into
    // every snapshot (ClusterSnapshot::customMetrics).
    void setCustomMetrics(const QList<CustomMetric> &metrics);
    CustomMetricRunner *customMetrics() const;

Q_SIGNALS:
    void snapshotReady(vigil::services::ClusterSnapshotPtr snapshot);

private:
    // ---- the cycle
    int effectiveDeadline() const;
    int remaining() const;
    std::chrono::milliseconds requestLifetime() const;
    void beginCycle();
    bool sqlSettled() const;
    void startRestPhase();
    void checkComplete();
    bool dcsViewStillGood() const;
    bool membersAgreeWithDcs() const;
    RestCadence restCadence() const;
    void finishCycle();
    void markUnanswered();
    ClusterSnapshot buildSnapshot();
    void markLeaderInRecovery(ClusterSnapshot &s) const;
    void trackLeader(ClusterSnapshot &s) const;

    // ---- discovery and the dynamic configuration
    PatroniClient *restClient(const QString &url);
    QStringList discoveryCandidates() const;
    void startDiscovery();
    bool sendNextDiscovery();
    void discoveryAnswered(const QString &url, const Result<PatroniCluster> &r);
    void hedge();
    void discoveryFailedEverywhere();
    void probeKnownUrls();
    void applyCluster(const PatroniCluster &c);
    void startConfig();
    void configAnswered(const Result<PatroniConfig> &r);

    // ---- HAProxy and PgBouncer
    void startHaproxy();
    void haproxyAnswered(const Result<HaproxyStats> &r);
    void startPgBouncer();
    void openPgBouncer();
    void poolsAnswered(PgBouncerClient *client, const Result<QList<PgBouncerPool>> &r);
    void finishPgBouncer();
    void routesProbed();
    void probeRoutes(PgBouncerClient *client);

    // Wraps a callback given to a client so that it does nothing once this poller is gone (the
    // clients are deleted with it, but a callback may already be queued).
    template <typename F> auto guarded(F f)
    {
        std::weak_ptr<int> w = m_alive;
        return [w, f](auto &&...args) {
            if (!w.expired())
                f(std::forward<decltype(args)>(args)...);
        };
    }

    QNetworkAccessManager *m_nam;
    ClusterProfile m_profile;
    ClusterMonitor::Secrets m_secrets;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);

    bool m_running = false;
    QTimer m_intervalTimer;
    QTimer m_deadlineTimer;
    QTimer m_hedgeTimer;
    QTimer m_restPhaseTimer;

    // The open cycle
    bool m_cycleOpen = false;
    bool m_starting = false;         // inside beginCycle: an early answer must not close it yet
    bool m_restPhaseStarted = false; // the cycle's REST requests (and HAProxy's) are sent
    int m_deadlineMs = 0;
    QDateTime m_takenAt;
    QElapsedTimer m_cycleClock;
    quint64 m_sequence = 0;
    ClusterSnapshotPtr m_last;

    // Discovery (GET /cluster): tried on the preferred URL first, then, on an error or when it
    // is slow (m_hedgeTimer), on the other members' REST APIs learned in earlier cycles.
    QString m_preferredUrl;
    QHash<QString, PatroniClient *> m_restClients; // by base URL, for /cluster and /config
    QSet<QString> m_discoveryInFlight;
    QSet<QString> m_discoveryTried; // in the open cycle
    bool m_discoveryDone = false;
    QElapsedTimer m_discoverySent;
    ServiceError m_discoveryError; // the last failure in the open cycle
    ChannelStatus m_discovery;
    std::optional<PatroniCluster> m_cluster;
    // While every member answers and agrees with the DCS view, a periodic cycle reuses that
    // view (see dcsViewStillGood) and asks /cluster only every clusterIntervalMs.
    QElapsedTimer m_discoveryOkAt;     // the last /cluster answer
    bool m_forceDiscovery = true;      // the next cycle asks /cluster whatever (pollOnce, start)
    bool m_discoverySkipped = false;   // the open cycle reuses the last DCS view ...
    bool m_discoveryRechecked = false; // ... unless the members' own answers disagreed with it

    std::optional<PatroniConfig> m_config;
    QElapsedTimer m_configAt;
    bool m_configInFlight = false;
    bool m_configDone = true;

    std::map<QString, ClusterMemberProbe *> m_probes; // ordered by member name
    QSet<QString> m_fromUrlOnly; // probes made from REST URLs while no DCS view was ever read

    HaproxyStatsClient *m_haproxyClient = nullptr;
    bool m_haproxyInFlight = false;
    bool m_haproxyDone = true;
    QElapsedTimer m_haproxySent;
    HaproxySnapshot m_haproxy;

    PgBouncerClient *m_bouncer = nullptr;
    bool m_bouncerInFlight = false;
    bool m_routesDone = true;
    QElapsedTimer m_bouncerDatabasesAt; // when SHOW DATABASES last answered
    bool m_bouncerDone = true;
    QElapsedTimer m_bouncerSent;
    PgBouncerSnapshot m_pgbouncer;
    ClientRouteProber *m_routes = nullptr; // where clients land, with SHOW DATABASES

    // Host figures, Alertmanager's alerts, custom metrics: carried, never waited for.
    SnapshotExtras *m_extras;
};

} // namespace vigil::services
