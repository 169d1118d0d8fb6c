#pragma once

#include "services/operations/memberaction.h"
#include "services/operations/operationcontext.h"
#include "services/patroni/patroniclient.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace vigil::services {

struct MemberActionResult
{
    enum class Outcome
    {
        Succeeded,
        SucceededWithWarnings,
        Failed,
        Refused
    };
    MemberAction action;
    Outcome outcome = Outcome::Failed;
    int httpStatus = 0;
    QString answer;      // Patroni's answer (or refusal) verbatim
    QString explanation; // what it means
    ServiceError error;
    QStringList progress; // the lines shown while it ran, with elapsed seconds
    QMap<QString, bool>
        pendingRestart; // PatchConfig / Restart: per member, as /cluster shows it after
    QString verified;   // one sentence: what was verified afterwards
    qint64 elapsedMs = 0;

    bool ok() const
    {
        return outcome == Outcome::Succeeded || outcome == Outcome::SucceededWithWarnings;
    }
    QString text() const;
};

// Executes one MemberAction: asks the ReadOnlyGuard (read-only mode refuses below the UI),
// checks the typed confirmation where needed, calls Patroni, then waits until /cluster shows the
// result (member running again, reinitialized replica streaming, paused flag, pending restart
// after a configuration change, scheduled switchover gone) or waitSeconds passes. Appends one
// audit entry per run. start() refuses while a run is in progress (no double submission);
// finished() comes exactly once per accepted start(), never from inside start().
// Lives on ctx.nam's thread; never blocks.
class MemberActionRunner : public QObject
{
    Q_OBJECT
public:
    explicit MemberActionRunner(OperationContext ctx, QObject *parent = nullptr);

    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    bool start(const MemberAction &action);
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(const QString &line);
    void finished(const vigil::services::MemberActionResult &result);

private:
    void say(const QString &line);
    void call();
    void onAnswer(const Result<PatroniActionResult> &r);
    void startWaiting();
    void poll();
    // One /cluster answer while waiting: records the pending restarts, completes the run when
    // the answer shows the action's result.
    void judge(const PatroniCluster &cluster);
    // Whether `cluster` shows the result of the action (`member`: the action's member as
    // /cluster lists it, or null); when it does, m_result.verified says what was seen.
    bool resultShows(const PatroniCluster &cluster, const PatroniMember *member);
    bool restartShows(const PatroniMember *member);
    bool reinitializeShows(const PatroniMember *member);
    bool configChangeShows(const PatroniCluster &cluster);
    void complete(MemberActionResult::Outcome outcome);
    PatroniClient *client(const QUrl &base);

    OperationContext m_ctx;
    int m_pollMs = 1000;
    bool m_running = false;
    quint64 m_run = 0;
    MemberAction m_action;
    MemberActionResult m_result;
    QElapsedTimer m_clock;
    QTimer m_poll;
    QTimer m_deadline;
    bool m_pollInFlight = false;
    bool m_sawNotRunning = false;
    QList<PatroniClient *> m_clients;
};

} // namespace vigil::services
