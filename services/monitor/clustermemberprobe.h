#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/monitor/clustersnapshot.h"
#include "services/monitor/restcadence.h"
#include "services/patroni/patronitypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace vigil::services {

class PatroniClient;
class PgSession;

// ClusterMonitor's helper for one member: its two channels (GET /patroni over the member's own
// REST API, and the SQL probe over one persistent PgSession) and the member's last known state.
//
// Threading: lives on the monitor's thread; never blocks.
// Guarantees:
//  * At most one outstanding request per channel: a cycle that starts while the previous
//    request of a channel is still out sends nothing new on it (a hung member is not flooded);
//    a request is abandoned only after kRequestLifetimeMs, well after its cycle reported it.
//  * A channel that has not answered when the cycle ends is marked Unresponsive; its data stays
//    the last known (stale since ChannelStatus::lastOk). An answer that comes in later updates
//    the data and counts for the cycle open at that time.
//  * After an authentication failure the SQL channel retries only every kAuthRetryMs, so a wrong
//    password does not hammer the server (and its log) every second.
//  * GET /patroni follows restPollReason (restcadence.h): in a cycle where it can wait, nothing
//    is sent and the channel keeps its last answer (state Ok, lastOk when it came); should the
//    SQL probe's answer or a new DCS view then disagree with it, it is sent in that cycle.
class ClusterMemberProbe : public QObject
{
    Q_OBJECT
public:
    ClusterMemberProbe(QNetworkAccessManager *nam, const ClusterProfile &profile,
                       const ClusterMonitor::Secrets &secrets, const QString &name,
                       QObject *parent = nullptr);
    ~ClusterMemberProbe() override;

    const QString &name() const { return m_member.name; }
    QUrl apiBaseUrl() const;

    // The DCS view of the member (from GET /cluster); a changed address re-creates the clients.
    void setDcsView(const PatroniMember &member);
    void setAbsentFromDcs();

    // Opens a cycle and sends what is not still outstanding, each request with `deadlineMs` to
    // answer. Database sizes are included at the profile's sizeIntervalMs, the connection
    // breakdown as often as its cost allows (breakdownIntervalFor; and on the first probe).
    // With withRest false, only the SQL probe goes now and GET /patroni waits for
    // startPendingRest() (ClusterMonitor sends the SQL probes first, see kRestStaggerMs).
    void startCycle(int deadlineMs, bool withRest = true);
    // Sends the cycle's GET /patroni when restPollReason says so with `cadence` (sinceAskedMs is
    // the probe's own); otherwise the cycle counts it as answered unless SQL later disagrees.
    void startPendingRest(int deadlineMs, const RestCadence &cadence);
    // Why the open cycle sent, skipped or will send GET /patroni (for tests and diagnostics).
    RestPoll lastRestReason() const { return m_restReason; }
    // The SQL probe of the open cycle has answered (or was not sent).
    bool sqlSettled() const { return !m_cycleOpen || m_sql.answered; }
    // Both channels answered in the open cycle.
    bool answered() const { return m_rest.answered && m_sql.answered; }
    // Closes the open cycle: channels that did not answer become Unresponsive.
    void finishCycle(int deadlineMs);
    bool cycleOpen() const { return m_cycleOpen; }

    const MemberSnapshot &snapshot() const { return m_member; }

    // Called whenever a channel answers during the open cycle (the monitor checks completeness).
    std::function<void()> onAnswered;

    static constexpr int kAuthRetryMs = 30000;
    // How long a request that got no answer stays outstanding before it is abandoned (see
    // clustermemberprobe.cpp): a hung member sees at most one request per channel this often.
    static constexpr int kRequestLifetimeMs = 10000;

private:
    struct Channel
    {
        bool inFlight = false;
        bool answered = false; // in the open cycle
        QElapsedTimer sentAt;
    };

    void startRest(int deadlineMs);
    RestPoll restReason() const;
    void sendSkippedRestIfDue();
    void startSql(int deadlineMs, bool withSizes, bool withBreakdown);
    void restAnswered(const Result<PatroniNodeStatus> &result);
    void sqlAnswered(const QByteArray &json, const ServiceError &error, bool withSizes,
                     bool withBreakdown, const QDateTime &sentAt);
    void markAnswered(Channel &channel);
    void resetClients();
    void dropSession();

    QNetworkAccessManager *m_nam;
    ClusterProfile m_profile;
    ClusterMonitor::Secrets m_secrets;
    MemberSnapshot m_member;
    bool m_cycleOpen = false;
    bool m_restPending = false; // GET /patroni of the open cycle waits for startPendingRest
    bool m_restSkipped = false; // ... was not sent, but may be if SQL or the DCS disagree
    int m_restDeadlineMs = 0;
    RestCadence m_cadence;
    RestPoll m_restReason = RestPoll::NoAnswerYet;
    QElapsedTimer m_restAskedAt; // when the last answered GET /patroni was sent

    Channel m_rest;
    Channel m_sql;
    PatroniClient *m_patroni = nullptr;
    QPointer<PgSession> m_session;
    QElapsedTimer m_sizesAt;     // last successful probe with sizes
    QElapsedTimer m_breakdownAt; // when the last successful probe with the breakdown was sent
    std::optional<double> m_fullServerMs;  // server time of cycles with the breakdown (smoothed)
    std::optional<double> m_cheapServerMs; // ... and without it
    int m_fullSamples = 0;                 // cycles with the breakdown counted in m_fullServerMs
    QElapsedTimer m_authFailedAt;          // last SQL authentication failure
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); // guards callbacks after destruction
};

} // namespace vigil::services
