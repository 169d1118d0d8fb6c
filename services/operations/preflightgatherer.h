#pragma once

#include "services/operations/operationcontext.h"
#include "services/operations/preflight.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <memory>

namespace vigil::services {

class PatroniClient;
class PgBouncerClient;
class PgSession;

// Collects what the pre-flight checks judge: one monitor cycle (ClusterSnapshot), GET /config,
// PgBouncer's SHOW CONFIG (when the profile has a console) and the leader's long-running and
// prepared transactions (resources/sql/switchover_leader_activity.sql). Read-only: nothing here
// changes the cluster, so read-only mode does not stop it.
//
// Lives on the thread of ctx.nam (the UI thread) and never blocks it. gather() emits gathered()
// exactly once per call, at the latest after `deadlineMs`, with whatever answered by then (what
// did not is absent from the input, which the checks turn into amber "could not check").
class PreflightGatherer : public QObject
{
    Q_OBJECT
public:
    explicit PreflightGatherer(OperationContext ctx, QObject *parent = nullptr);
    ~PreflightGatherer() override;

    void setDeadlineMs(int ms) { m_deadlineMs = ms; }
    // Other members' REST URLs to discover the cluster through when the profile's member does
    // not answer (its leader was just lost, typically). Members seen in earlier rounds are added
    // automatically.
    void setFallbackUrls(const QList<QUrl> &urls);
    // Starts one round; a call while a round runs is ignored (returns false).
    bool gather();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void gathered(const vigil::services::PreflightInput &input);

private:
    void onSnapshot(ClusterSnapshotPtr snapshot);
    void queryLeader(const MemberSnapshot &leader);
    void finishIfDone();
    void finish();

    void startMonitor(const QUrl &patroniUrl);

    OperationContext m_ctx;
    QList<QUrl> m_fallbacks;
    QList<QUrl> m_triedThisRound;
    int m_deadlineMs = 8000;
    bool m_running = false;
    quint64 m_round = 0;
    PreflightInput m_input;
    bool m_snapshotDone = false, m_configDone = false, m_bouncerDone = false, m_leaderDone = false;
    QTimer m_deadline;
    ClusterMonitor *m_monitor = nullptr;
    PatroniClient *m_patroni = nullptr;
    PgBouncerClient *m_bouncer = nullptr;
    PgSession *m_leaderSession = nullptr;
};

} // namespace vigil::services
