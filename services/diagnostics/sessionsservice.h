#pragma once

#include "services/core/auditlog.h"
#include "services/core/error.h"
#include "services/core/readonlyguard.h"
#include "services/postgres/pgresult.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

namespace vigil::services {

// "{1,2,3}" (a PostgreSQL int[] in text form) → [1, 2, 3].
QList<int> parsePidArray(const QString &text);

// Identity of one session: a PID alone can be reused by a new backend after the old one ended,
// so every action names (pid, backend_start). backendStart is PostgreSQL's text form of the
// timestamptz, passed back to the server unchanged (microsecond precision).
struct SessionRef
{
    int pid = 0;
    QString backendStart;
    bool operator==(const SessionRef &o) const
    {
        return pid == o.pid && backendStart == o.backendStart;
    }
};

// One row of pg_stat_activity.
struct SessionRow
{
    int pid = 0;
    QString backendStart; // identity (exact text)
    QString user, database, application, clientAddr, clientHostname;
    int clientPort = 0;
    QString state; // active, idle, idle in transaction, ... (empty: not a client)
    QString waitEventType, waitEvent;
    QString backendType; // "client backend", "walsender", "autovacuum worker", ...
    QString backendStartDisplay, xactStart, queryStart;            // to the second, for display
    std::optional<double> backendAge, xactAge, queryAge, stateAge; // seconds
    QList<int> blockedBy; // only for sessions waiting on a lock
    bool isSelf = false;  // the connection this row was read on
    QString query;

    SessionRef ref() const { return {pid, backendStart}; }
    bool isClientBackend() const { return backendType == QLatin1String("client backend"); }
    bool isWaitingOnLock() const { return waitEventType == QLatin1String("Lock"); }
    bool isIdleInTransaction() const
    {
        return state.startsWith(QLatin1String("idle in transaction"));
    }
    // The duration that matters for this state: the running query for active sessions, the
    // time in the state for idle / idle in transaction ones.
    std::optional<double> relevantAge() const
    {
        return state == QLatin1String("active") ? queryAge : stateAge;
    }
    // Vigil's own sessions are never offered for termination.
    bool isVigil() const
    {
        return isSelf || application == QLatin1String("vigil") ||
               application.startsWith(QLatin1String("vigil "));
    }
};

// One lock a session holds or waits for.
struct HeldLock
{
    QString lockType, mode, relation, target;
    bool granted = false;
    std::optional<double> waitSeconds;
};

enum class SignalAction
{
    Cancel,
    Terminate
};

// One session to signal, as planned (e.g. shown in a preview): the server acts only if the
// session still has this identity and, when requiredStates is not empty, is still in one of them.
struct SignalPlanEntry
{
    SessionRef ref;
    QStringList requiredStates;
    QString application, user, database; // for the audit log and the result page
};

// What happened to one planned session, as the server decided it in the same statement.
struct SignalOutcome
{
    enum class Kind
    {
        Signalled,
        Failed,
        Gone,
        PidReused,
        StateChanged,
        Self,
        NotClient,
        NotPermitted,
        Refused,
        Error
    };
    SessionRef ref;
    Kind kind = Kind::Error;
    QString application, user;
    QString currentState;        // as the server saw it at that moment
    QString currentBackendStart; // of whoever has the PID now

    bool done() const { return kind == Kind::Signalled; }
    static Kind parseKind(const QString &outcome);
    // A full sentence for the result page: "Session 4711 (hokm-lobby) was terminated." or why not.
    QString describe(SignalAction action) const;
};

// What the terminate-idle wizard ends: client sessions idle (or idle in transaction) for longer
// than a threshold, optionally narrowed by application (SQL LIKE pattern), user and database.
struct IdleCriteria
{
    std::optional<double> idleSeconds = 3600.0;     // state 'idle' for longer than this
    std::optional<double> idleInTransactionSeconds; // 'idle in transaction' (aborted too)
    QString applicationPattern, user, database;     // empty: any
    QJsonObject toJson() const;
};

// The exact preview: who will be ended (with the state each must still be in), and who matched
// the thresholds but is left alone, and why (Vigil's own, replication, background workers).
struct IdlePlan
{
    QList<SignalPlanEntry> entries;
    QList<QPair<SessionRow, QString>> excluded; // the row and the reason, a full sentence
    QList<SessionRow> rows;                     // the sessions to end, as previewed
};

// Sessions of one member: pg_stat_activity, the locks of one session, and cancel/terminate by
// (pid, backend_start). Lives on the thread of its PgSession (the UI thread); every call returns
// at once and calls back exactly once (unless this object is destroyed first), always from the
// event loop, never before the call returns: a refusal too (services/core/calllater.h).
//
// Destructive calls (signal) ask the ReadOnlyGuard first and write one audit entry per call with
// the cluster and member given here.
class SessionsService : public QObject
{
    Q_OBJECT
public:
    struct Context
    {
        QString cluster; // for the audit log
        QString member;
        std::shared_ptr<ReadOnlyGuard> guard; // null = a guard that refuses everything
        std::shared_ptr<AuditLog> audit;      // null = no audit (tests of reads only)
    };

    template <typename T> using Callback = std::function<void(const Result<T> &)>;

    SessionsService(PgSession *session, Context context, QObject *parent = nullptr);

    PgSession *session() const { return m_session; }
    const Context &context() const { return m_context; }

    void fetch(Callback<QList<SessionRow>> callback);
    // `on`: read through this session instead (one connected to the session's database, so
    // relations show by name); null = this service's session.
    void fetchLocksOf(int pid, Callback<QList<HeldLock>> callback, PgSession *on = nullptr);

    // Signals every planned session in one SQL statement that re-checks each identity (see
    // resources/sql/terminate.sql). auditAction names the entry (e.g. "terminate_idle_sessions");
    // auditParameters adds what the user chose (thresholds ...). Outcomes are in plan order.
    void signal(SignalAction action, const QList<SignalPlanEntry> &plan,
                Callback<QList<SignalOutcome>> callback, const QString &auditAction = {},
                const QJsonObject &auditParameters = {});

    static Result<QList<SessionRow>> parseSessions(const PgResult &result);
    // Pure: the preview of the terminate-idle wizard from one reading of pg_stat_activity.
    static IdlePlan planIdleTermination(const QList<SessionRow> &rows,
                                        const IdleCriteria &criteria);
    // SQL LIKE (% and _, backslash escapes), case-insensitive, whole string.
    static bool likeMatches(const QString &pattern, const QString &text);
    static QList<HeldLock> parseLocks(const PgResult &result);
    static QList<SignalOutcome> parseOutcomes(const PgResult &result);

private:
    void audit(const QString &action, const QJsonObject &parameters, const QString &result,
               const QString &answer);

    QPointer<PgSession> m_session;
    Context m_context;
};

} // namespace vigil::services
