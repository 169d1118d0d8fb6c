#include "services/diagnostics/sessionsservice.h"

#include "services/core/calllater.h"
#include "services/postgres/pgrowreader.h"
#include "services/postgres/pgsession.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace vigil::services {

QList<int> parsePidArray(const QString &text)
{
    QList<int> pids;
    QString inner = text.trimmed();
    if (inner.startsWith(QLatin1Char('{')))
        inner = inner.mid(1);
    if (inner.endsWith(QLatin1Char('}')))
        inner.chop(1);
    for (const QString &part : inner.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int pid = part.trimmed().toInt(&ok);
        if (ok)
            pids.append(pid);
    }
    return pids;
}

// ---- SignalOutcome -------------------------------------------------------------------------

SignalOutcome::Kind SignalOutcome::parseKind(const QString &o)
{
    if (o == QLatin1String("terminated") || o == QLatin1String("cancelled"))
        return Kind::Signalled;
    if (o == QLatin1String("failed"))
        return Kind::Failed;
    if (o == QLatin1String("gone"))
        return Kind::Gone;
    if (o == QLatin1String("pid_reused"))
        return Kind::PidReused;
    if (o == QLatin1String("state_changed"))
        return Kind::StateChanged;
    if (o == QLatin1String("self"))
        return Kind::Self;
    if (o == QLatin1String("not_client"))
        return Kind::NotClient;
    if (o == QLatin1String("not_permitted"))
        return Kind::NotPermitted;
    return Kind::Error;
}

QString SignalOutcome::describe(SignalAction action) const
{
    const QString who = application.isEmpty()
                            ? Tr::tr("Session %1").arg(ref.pid)
                            : Tr::tr("Session %1 (%2)").arg(ref.pid).arg(application);
    const bool terminate = action == SignalAction::Terminate;
    switch (kind) {
    case Kind::Signalled:
        return terminate ? Tr::tr("%1 was terminated.").arg(who)
                         : Tr::tr("%1: its running query was cancelled.").arg(who);
    case Kind::Failed:
        return Tr::tr("%1 was not signalled: the server could not find the process any more.")
            .arg(who);
    case Kind::Gone:
        return Tr::tr("%1 was not touched: it had already ended.").arg(who);
    case Kind::PidReused:
        return Tr::tr("%1 was not touched: the session ended and its PID now belongs to another "
                      "session (started %2).")
            .arg(who, currentBackendStart);
    case Kind::StateChanged:
        return Tr::tr("%1 was not touched: it is no longer in the planned state (now: %2).")
            .arg(who, currentState.isEmpty() ? Tr::tr("unknown") : currentState);
    case Kind::Self:
        return Tr::tr("%1 was not touched: it is Vigil's own connection.").arg(who);
    case Kind::NotClient:
        return Tr::tr("%1 was not touched: it is not a client session (replication or a background "
                      "worker).")
            .arg(who);
    case Kind::NotPermitted:
        return Tr::tr("%1 was not touched: the monitoring role may not signal it (a superuser's "
                      "session, or pg_signal_backend is missing).")
            .arg(who);
    case Kind::Refused:
        return Tr::tr("%1 was not touched: Vigil is in read-only mode.").arg(who);
    case Kind::Error:
        break;
    }
    return Tr::tr("%1: the server's answer was not understood; check the session list.").arg(who);
}

// ---- Idle plan ---------------------------------------------------------------------------

QJsonObject IdleCriteria::toJson() const
{
    QJsonObject o;
    if (idleSeconds)
        o.insert(QStringLiteral("idle_longer_than_s"), *idleSeconds);
    if (idleInTransactionSeconds)
        o.insert(QStringLiteral("idle_in_transaction_longer_than_s"), *idleInTransactionSeconds);
    if (!applicationPattern.isEmpty())
        o.insert(QStringLiteral("application_like"), applicationPattern);
    if (!user.isEmpty())
        o.insert(QStringLiteral("user"), user);
    if (!database.isEmpty())
        o.insert(QStringLiteral("database"), database);
    return o;
}

bool SessionsService::likeMatches(const QString &pattern, const QString &text)
{
    QString re;
    for (int i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('\\') && i + 1 < pattern.size())
            re += QRegularExpression::escape(QString(pattern.at(++i)));
        else if (c == QLatin1Char('%'))
            re += QStringLiteral(".*");
        else if (c == QLatin1Char('_'))
            re += QLatin1Char('.');
        else
            re += QRegularExpression::escape(QString(c));
    }
    const QRegularExpression rx(QRegularExpression::anchoredPattern(re),
                                QRegularExpression::CaseInsensitiveOption |
                                    QRegularExpression::DotMatchesEverythingOption);
    return rx.match(text).hasMatch();
}

IdlePlan SessionsService::planIdleTermination(const QList<SessionRow> &rows, const IdleCriteria &c)
{
    IdlePlan plan;
    const QStringList idleStates{QStringLiteral("idle")};
    const QStringList idleTxStates{QStringLiteral("idle in transaction"),
                                   QStringLiteral("idle in transaction (aborted)")};
    for (const SessionRow &r : rows) {
        const double age = r.stateAge.value_or(0);
        QStringList required;
        if (c.idleSeconds && r.state == QLatin1String("idle") && age > *c.idleSeconds)
            required = idleStates;
        else if (c.idleInTransactionSeconds && idleTxStates.contains(r.state) &&
                 age > *c.idleInTransactionSeconds)
            required = idleTxStates;
        if (required.isEmpty())
            continue;
        if (!c.applicationPattern.isEmpty() && !likeMatches(c.applicationPattern, r.application))
            continue;
        if (!c.user.isEmpty() && r.user != c.user)
            continue;
        if (!c.database.isEmpty() && r.database != c.database)
            continue;
        if (r.isVigil()) {
            plan.excluded.append({r, Tr::tr("Session %1 is Vigil's own connection.").arg(r.pid)});
            continue;
        }
        if (r.application.startsWith(QLatin1String("Patroni"))) {
            plan.excluded.append({r, Tr::tr("Session %1 is Patroni's own connection (%2).")
                                         .arg(r.pid)
                                         .arg(r.application)});
            continue;
        }
        if (!r.isClientBackend()) {
            plan.excluded.append(
                {r,
                 Tr::tr("Session %1 is not a client session (%2).").arg(r.pid).arg(r.backendType)});
            continue;
        }
        plan.entries.append({r.ref(), required, r.application, r.user, r.database});
        plan.rows.append(r);
    }
    return plan;
}

// ---- SessionsService -----------------------------------------------------------------------

SessionsService::SessionsService(PgSession *session, Context context, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_context(std::move(context))
{
}

Result<QList<SessionRow>> SessionsService::parseSessions(const PgResult &result)
{
    if (result.column(QStringLiteral("pid")) < 0 ||
        result.column(QStringLiteral("backend_start")) < 0)
        return ServiceError::make(ServiceError::Kind::Parse, QStringLiteral("pg_stat_activity"), {},
                                  {}, Tr::tr("The answer has no pid or backend_start column."));
    QList<SessionRow> rows;
    rows.reserve(result.rowCount());
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        SessionRow a;
        a.pid = int(r.integer("pid").value_or(0));
        a.backendStart = r.text("backend_start");
        a.user = r.text("usename");
        a.database = r.text("datname");
        a.application = r.text("application_name");
        a.clientAddr = r.text("client_addr");
        a.clientHostname = r.text("client_hostname");
        a.clientPort = int(r.integer("client_port").value_or(0));
        a.state = r.text("state");
        a.waitEventType = r.text("wait_event_type");
        a.waitEvent = r.text("wait_event");
        a.backendType = r.text("backend_type");
        a.backendStartDisplay = r.text("backend_start_display");
        a.xactStart = r.text("xact_start");
        a.queryStart = r.text("query_start");
        a.backendAge = r.number("backend_age_s");
        a.xactAge = r.number("xact_age_s");
        a.queryAge = r.number("query_age_s");
        a.stateAge = r.number("state_age_s");
        a.blockedBy = parsePidArray(r.text("blocked_by"));
        a.isSelf = r.flag("is_self");
        a.query = r.text("query");
        rows.append(std::move(a));
    }
    return rows;
}

QList<HeldLock> SessionsService::parseLocks(const PgResult &result)
{
    QList<HeldLock> locks;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        locks.append({r.text("locktype"), r.text("mode"), r.text("relation"), r.text("target"),
                      r.flag("granted"), r.number("wait_s")});
    }
    return locks;
}

QList<SignalOutcome> SessionsService::parseOutcomes(const PgResult &result)
{
    QList<SignalOutcome> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        SignalOutcome o;
        o.ref = {int(r.integer("pid").value_or(0)), r.text("backend_start")};
        o.kind = SignalOutcome::parseKind(r.text("outcome"));
        o.application = r.text("application_name");
        o.user = r.text("usename");
        o.currentState = r.text("current_state");
        o.currentBackendStart = r.text("current_backend_start");
        out.append(o);
    }
    return out;
}

void SessionsService::fetch(Callback<QList<SessionRow>> callback)
{
    if (!m_session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled,
                                     QStringLiteral("pg_stat_activity"), {}, {},
                                     Tr::tr("No connection.")));
        return;
    }
    m_session->exec(sqlResource(QStringLiteral("activity")), {},
                    [callback](const PgResult &result, const ServiceError &error) {
                        if (error)
                            callback(error);
                        else
                            callback(parseSessions(result));
                    });
}

void SessionsService::fetchLocksOf(int pid, Callback<QList<HeldLock>> callback, PgSession *on)
{
    PgSession *session = on ? on : m_session.data();
    if (!session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("pg_locks"), {},
                                     {}, Tr::tr("No connection.")));
        return;
    }
    session->exec(sqlResource(QStringLiteral("locks_held")), {pid},
                  [callback](const PgResult &result, const ServiceError &error) {
                      if (error)
                          callback(error);
                      else
                          callback(parseLocks(result));
                  });
}

void SessionsService::audit(const QString &action, const QJsonObject &parameters,
                            const QString &result, const QString &answer)
{
    if (!m_context.audit)
        return;
    AuditEntry e;
    e.cluster = m_context.cluster;
    e.member = m_context.member;
    e.action = action;
    e.parameters = parameters;
    e.result = result;
    e.serverAnswer = answer;
    QString error;
    if (!m_context.audit->append(e, &error))
        qWarning("%s", qPrintable(error));
}

namespace {

// What one signal call sends (terminate.sql's parameters: pids, backend starts, required
// states as PostgreSQL array literals, and the action) and what its audit entry records.
struct SignalRequest
{
    QJsonObject auditParameters;
    QVariantList sqlParams;
};

SignalRequest signalRequest(const QList<SignalPlanEntry> &plan, bool terminate,
                            const QJsonObject &auditParameters)
{
    // Array literal elements are double-quoted; backslashes and quotes escaped.
    auto quote = [](QString s) {
        s.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('"'), QLatin1String("\\\""));
        return QLatin1Char('"') + s + QLatin1Char('"');
    };
    SignalRequest request{auditParameters, {}};
    QJsonArray sessions;
    QStringList pids, starts, states;
    for (const auto &p : plan) {
        sessions.append(QJsonObject{
            {QStringLiteral("pid"), p.ref.pid},
            {QStringLiteral("backend_start"), p.ref.backendStart},
            {QStringLiteral("application"), p.application},
            {QStringLiteral("user"), p.user},
            {QStringLiteral("database"), p.database},
            {QStringLiteral("required_states"), QJsonArray::fromStringList(p.requiredStates)}});
        pids.append(QString::number(p.ref.pid));
        starts.append(quote(p.ref.backendStart));
        states.append(p.requiredStates.isEmpty() ? QStringLiteral("NULL")
                                                 : quote(p.requiredStates.join(QLatin1Char('|'))));
    }
    request.auditParameters.insert(QStringLiteral("sessions"), sessions);
    request.sqlParams = {QStringLiteral("{%1}").arg(pids.join(QLatin1Char(','))),
                         QStringLiteral("{%1}").arg(starts.join(QLatin1Char(','))),
                         QStringLiteral("{%1}").arg(states.join(QLatin1Char(','))),
                         terminate ? QStringLiteral("terminate") : QStringLiteral("cancel")};
    return request;
}

} // namespace

void SessionsService::signal(SignalAction action, const QList<SignalPlanEntry> &plan,
                             Callback<QList<SignalOutcome>> callback, const QString &auditAction,
                             const QJsonObject &auditParameters)
{
    const bool terminate = action == SignalAction::Terminate;
    const QString actionName =
        !auditAction.isEmpty()
            ? auditAction
            : (terminate ? QStringLiteral("terminate_backend") : QStringLiteral("cancel_backend"));
    const SignalRequest request = signalRequest(plan, terminate, auditParameters);
    const QJsonObject &params = request.auditParameters;

    const ServiceError refused =
        m_context.guard
            ? m_context.guard->check(actionName)
            : ServiceError::make(ServiceError::Kind::Refused, actionName, {}, {},
                                 Tr::tr("No read-only guard is configured; refusing to act."));
    if (refused) {
        audit(actionName, params, QStringLiteral("refused"), refused.message);
        callLater(this, callback, refused);
        return;
    }
    if (plan.isEmpty()) {
        callLater(this, callback, QList<SignalOutcome>{});
        return;
    }
    if (!m_session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled, actionName, {}, {},
                                     Tr::tr("No connection.")));
        return;
    }
    QPointer<SessionsService> self(this);
    m_session->exec(sqlResource(QStringLiteral("terminate")), request.sqlParams,
                    [self, callback, actionName, params, action](const PgResult &result,
                                                                 const ServiceError &error) {
                        if (error) {
                            if (self)
                                self->audit(actionName, params, QStringLiteral("failed"),
                                            error.toText());
                            callback(error);
                            return;
                        }
                        const QList<SignalOutcome> outcomes = parseOutcomes(result);
                        int done = 0;
                        QStringList answer;
                        for (const auto &o : outcomes) {
                            done += o.done() ? 1 : 0;
                            answer.append(o.describe(action));
                        }
                        const QString verdict = done == outcomes.size() ? QStringLiteral("ok")
                                                : done == 0             ? QStringLiteral("failed")
                                                                        : QStringLiteral("partial");
                        if (self)
                            self->audit(actionName, params, verdict, answer.join(QLatin1Char(' ')));
                        callback(outcomes);
                    });
}

} // namespace vigil::services
