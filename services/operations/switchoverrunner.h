#pragma once

#include "services/operations/operationcontext.h"
#include "services/operations/switchoverplan.h"
#include "services/operations/switchoverreport.h"
#include "services/proxies/haproxystatsclient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <optional>

namespace vigil::services {

class PatroniClient;
class PgBouncerClient;

// Executes a planned switchover or an emergency failover, step by step, and verifies it. The
// wizards and `vigil switchover` / `vigil failover` run this same class.
//
// Switchover, immediate, with pauseClients:
//   baseline (GET /cluster, /history) → PAUSE (PgBouncer waits for running transactions) →
//   POST /switchover → wait until the new leader runs and HAProxy's read-write backend routes
//   to it alone → RESUME (+ RECONNECT when clients were resumed before routing was confirmed) →
//   verify (new leader running, old leader back as a running replica, timeline bumped in
//   /history, HAProxy routing, PgBouncer serving) → audit.
// A hard timer (plan.hardTimeoutSeconds, started at PAUSE) resumes the clients whatever the
// state of the switchover, and the report says so: clients are never left paused.
// Without pauseClients the same steps run minus PAUSE/RESUME. A scheduled switchover posts
// scheduled_at and verifies that /cluster shows it. A failover posts /failover to the candidate.
//
// Contracts: start() refuses (returns false, does nothing) while a run is in progress — a
// double click never submits twice. Read-only mode and a missing audit log refuse below the UI
// (a Refused report, audited as "refused"). Patroni's refusals end the run with the answer
// verbatim plus an explanation. Every run appends exactly one audit entry. finished() is emitted
// exactly once per accepted start(), asynchronously (never from inside start()).
// Lives on the thread of ctx.nam (the UI thread); never blocks it.
class SwitchoverRunner : public QObject
{
    Q_OBJECT
public:
    explicit SwitchoverRunner(OperationContext ctx, QObject *parent = nullptr);
    ~SwitchoverRunner() override;

    // Poll interval while waiting for the new leader and routing.
    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    // Other members' REST URLs, asked when the profile's member does not answer (e.g. after
    // the leader was lost). The members listed in /cluster are used as soon as it is read.
    void setFallbackUrls(const QList<QUrl> &urls) { m_fallbacks = urls; }

    bool start(const SwitchoverPlan &plan);
    bool isRunning() const { return m_running; }
    const SwitchoverReport &report() const { return m_report; }

Q_SIGNALS:
    // A step began or changed (same id: update the row). Elapsed times in the step.
    void stepChanged(const vigil::services::SwitchoverStep &step);
    void finished(const vigil::services::SwitchoverReport &report);

private:
    enum class Stage
    {
        Idle,
        Baseline,
        Pause,
        Action,
        WaitLeader,
        Resume,
        Reconnect,
        Verify,
        Done
    };

    qint64 now() const { return m_clock.elapsed(); }
    void beginStep(const QString &id, const QString &title);
    void endStep(const QString &id, SwitchoverStep::State state, const QString &detail);
    void onRoutingConfirmed();
    void maybeVerify();
    void fail(const ServiceError &error, const QString &explanation);
    void complete(SwitchoverReport::Outcome outcome);

    void runBaseline();
    void openBouncer();
    void runPause();
    void runAction();
    QUrl actionTarget() const;
    QUrl profileApiBase() const;
    void sendAction(const QUrl &base, bool isFallback);
    void onActionAnswer(const Result<PatroniActionResult> &r);
    void startWaitLeader();
    void pollLeader();
    void runResume(bool byTimeout);
    void runReconnect();
    void startVerify();
    // Verification polls in rounds until everything shows or the stage deadline passes: GET
    // /cluster (any member), then /history from the leader, HAProxy's statistics and
    // PgBouncer's pools at once; the round is judged when the last of them answered.
    void pollVerify();
    void pollVerifyDetails(quint64 run);
    void fetchVerifyHistory(quint64 run, const std::function<void()> &done);
    void fetchVerifyHaproxy(quint64 run, const std::function<void()> &done);
    void fetchVerifyPools(quint64 run, const std::function<void()> &done);
    void judgeVerifyRound(); // finishes the verification early when all is as expected
    bool isScheduled() const;
    // Ends the Verify stage with the report's verification list (one check per line below).
    void finishVerify();
    void finishScheduledVerify();
    PreflightCheck verifyNewLeader();                // also records the timeline after
    std::optional<PreflightCheck> verifyOldLeader(); // none in a failover without a known leader
    PreflightCheck verifyTimeline() const;
    PreflightCheck verifyRouting() const;
    PreflightCheck verifyPgBouncer() const;
    void onHardTimeout();

    PatroniClient *clientFor(const QUrl &base);
    // GET /cluster from the next member in turn (one may be restarting).
    void getClusterAnyMember(std::function<void(const Result<PatroniCluster> &)> cb);

    OperationContext m_ctx;
    int m_pollMs = 300;
    bool m_running = false;
    quint64 m_run = 0;
    Stage m_stage = Stage::Idle;
    SwitchoverPlan m_plan;
    SwitchoverReport m_report;
    QElapsedTimer m_clock;
    QTimer m_poll;
    QTimer m_hard;          // clients are never held paused longer than this
    QTimer m_stageDeadline; // waiting for leader / verification
    qint64 m_pausedAtMs = -1;
    bool m_paused = false; // PgBouncer is paused by us
    bool m_routingConfirmed = false;
    bool m_resumedEarly = false; // resumed by the hard timeout before routing was confirmed
    bool m_actionDone = false;   // Patroni answered the action
    bool m_pollInFlight = false;
    bool m_abortAfterResume = false; // resume, then end the run as Failed
    bool m_verifyStarted = false;
    bool m_completeAfterResume = false;
    std::optional<SwitchoverReport::Outcome> m_pendingOutcome;
    QList<QUrl> m_memberUrls;
    QList<QUrl> m_fallbacks;
    int m_baselineAttempts = 0;
    int m_nextMember = 0;
    QList<PatroniClient *> m_clients;
    PgBouncerClient *m_bouncer = nullptr;
    HaproxyStatsClient *m_haproxy = nullptr;
    // Verification state
    std::optional<PatroniCluster> m_lastCluster;
    std::optional<HaproxyStats> m_lastHaproxy;
    std::optional<int> m_lastTimeline;
    std::optional<qint64> m_waitingClients;
};

} // namespace vigil::services
