#include "services/operations/memberactionrunner.h"

#include "services/core/confirmation.h"
#include "services/operations/switchoverreport.h"
#include "services/patroni/configchange.h"

namespace vigil::services {

using Outcome = MemberActionResult::Outcome;
using Kind = MemberAction::Kind;

QString MemberActionResult::text() const
{
    QString t;
    for (const auto &l : progress)
        t += QStringLiteral("  ") + l + QLatin1Char('\n');
    if (!verified.isEmpty())
        t += verified + QLatin1Char('\n');
    if (!explanation.isEmpty())
        t += Tr::tr("What it means: %1").arg(explanation) + QLatin1Char('\n');
    return t;
}

MemberActionRunner::MemberActionRunner(OperationContext ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(ctx))
{
    m_deadline.setSingleShot(true);
    connect(&m_poll, &QTimer::timeout, this, [this] { poll(); });
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        m_result.verified =
            Tr::tr("The result did not show in the cluster within %1 s.").arg(m_action.waitSeconds);
        say(m_result.verified);
        complete(Outcome::SucceededWithWarnings);
    });
}

PatroniClient *MemberActionRunner::client(const QUrl &base)
{
    for (PatroniClient *c : m_clients)
        if (c->endpoint().baseUrl == base)
            return c;
    auto *c = new PatroniClient(m_ctx.nam, m_ctx.endpoint(base), this);
    c->setLongActionTimeout(std::chrono::milliseconds(std::max(60, m_action.waitSeconds) * 1000));
    m_clients << c;
    return c;
}

void MemberActionRunner::say(const QString &line)
{
    const QString l =
        QStringLiteral("[%1 s] %2").arg(m_clock.elapsed() / 1000.0, 0, 'f', 1).arg(line);
    m_result.progress << l;
    Q_EMIT progress(l);
}

bool MemberActionRunner::start(const MemberAction &action)
{
    if (m_running)
        return false;
    m_running = true;
    ++m_run;
    m_action = action;
    m_result = MemberActionResult{};
    m_result.action = action;
    m_pollInFlight = m_sawNotRunning = false;
    m_clock.start();
    const quint64 run = m_run;
    QTimer::singleShot(0, this, [this, run] {
        if (run != m_run)
            return;
        const QString what = m_action.member.isEmpty()
                                 ? Tr::tr("%1 of %2").arg(m_action.kindName(), m_action.cluster)
                                 : Tr::tr("%1 of %2").arg(m_action.kindName(), m_action.member);
        if (ServiceError e = m_ctx.mayRun(what)) {
            m_result.error = e;
            m_result.explanation = e.message;
            say(e.toText());
            complete(Outcome::Refused);
            return;
        }
        if (m_action.needsTypedConfirmation() &&
            !confirmationMatches(m_action.typedConfirmation, m_action.cluster)) {
            m_result.error = ServiceError::make(ServiceError::Kind::Refused, what, {}, {},
                                                Tr::tr("the typed confirmation does not match the "
                                                       "cluster name %1")
                                                    .arg(m_action.cluster));
            m_result.explanation = Tr::tr("Type the cluster name exactly to confirm.");
            say(m_result.error.toText());
            complete(Outcome::Refused);
            return;
        }
        call();
    });
    return true;
}

void MemberActionRunner::call()
{
    QUrl base = m_action.memberApi.isValid()
                    ? m_action.memberApi.adjusted(QUrl::RemovePath | QUrl::RemoveQuery)
                    : m_ctx.profile.patroniUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
    PatroniClient *c = client(base);
    const quint64 run = m_run;
    auto cb = [this, run](const Result<PatroniActionResult> &r) {
        if (run == m_run)
            onAnswer(r);
    };
    switch (m_action.kind) {
    case Kind::Restart: {
        QJsonObject o;
        if (m_action.scheduledAt.isValid())
            o.insert(QStringLiteral("schedule"),
                     m_action.scheduledAt.toUTC().toString(Qt::ISODate));
        if (m_action.onlyIfPendingRestart)
            o.insert(QStringLiteral("restart_pending"), true);
        say(Tr::tr("POST /restart to %1").arg(m_action.member));
        c->restart(o, cb);
        break;
    }
    case Kind::Reload:
        say(Tr::tr("POST /reload to %1").arg(m_action.member));
        c->reload(cb);
        break;
    case Kind::Reinitialize:
        say(Tr::tr("POST /reinitialize to %1").arg(m_action.member));
        c->reinitialize(m_action.force, cb);
        break;
    case Kind::Pause:
        say(Tr::tr("PATCH /config {\"pause\": true}"));
        c->patchConfig(QJsonObject{{QStringLiteral("pause"), true}}, cb);
        break;
    case Kind::Resume:
        say(Tr::tr("PATCH /config {\"pause\": false}"));
        c->patchConfig(QJsonObject{{QStringLiteral("pause"), false}}, cb);
        break;
    case Kind::PatchConfig:
        say(Tr::tr("PATCH /config"));
        c->patchConfig(m_action.patch, cb);
        break;
    case Kind::CancelSwitchover:
        say(Tr::tr("DELETE /switchover"));
        c->cancelScheduledSwitchover(cb);
        break;
    case Kind::CancelRestart:
        say(Tr::tr("DELETE /restart on %1").arg(m_action.member));
        c->cancelScheduledRestart(cb);
        break;
    }
}

void MemberActionRunner::onAnswer(const Result<PatroniActionResult> &r)
{
    if (!r.ok()) {
        m_result.error = r.error();
        m_result.httpStatus = r.error().code.toInt();
        m_result.answer = r.error().message;
        m_result.explanation = explainPatroniRefusal(m_action.kindName(), r.error());
        say(Tr::tr("Patroni refused: %1").arg(r.error().toText()));
        complete(r.error().kind == ServiceError::Kind::Refused ? Outcome::Refused
                                                               : Outcome::Failed);
        return;
    }
    m_result.httpStatus = r->httpStatus;
    m_result.answer = r->body.trimmed();
    say(Tr::tr("Patroni answered %1: %2").arg(r->httpStatus).arg(m_result.answer.left(300)));
    if (m_action.kind == Kind::Reload) {
        m_result.verified = Tr::tr("Patroni reloads asynchronously; nothing else to wait for.");
        complete(Outcome::Succeeded);
        return;
    }
    startWaiting();
}

void MemberActionRunner::startWaiting()
{
    m_deadline.start(m_action.waitSeconds * 1000);
    m_poll.start(m_pollMs);
    poll();
}

void MemberActionRunner::poll()
{
    if (m_pollInFlight)
        return;
    m_pollInFlight = true;
    const quint64 run = m_run;
    client(m_ctx.profile.patroniUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery))
        ->getCluster([this, run](const Result<PatroniCluster> &r) {
            if (run != m_run || !m_running)
                return;
            m_pollInFlight = false;
            if (r.ok())
                judge(r.value());
        });
}

void MemberActionRunner::judge(const PatroniCluster &c)
{
    const PatroniMember *m = nullptr;
    for (const auto &x : c.members)
        if (x.name == m_action.member)
            m = &x;
    m_result.pendingRestart.clear();
    for (const auto &x : c.members)
        m_result.pendingRestart.insert(x.name, x.pendingRestart);
    if (resultShows(c, m)) {
        say(m_result.verified);
        complete(Outcome::Succeeded);
    }
}

bool MemberActionRunner::resultShows(const PatroniCluster &c, const PatroniMember *m)
{
    switch (m_action.kind) {
    case Kind::Restart:
        return restartShows(m);
    case Kind::Reinitialize:
        return reinitializeShows(m);
    case Kind::Pause:
    case Kind::Resume:
        if (c.paused != (m_action.kind == Kind::Pause))
            return false;
        m_result.verified = c.paused ? Tr::tr("The cluster shows maintenance mode (paused).")
                                     : Tr::tr("The cluster is no longer paused.");
        return true;
    case Kind::PatchConfig:
        return configChangeShows(c);
    case Kind::CancelSwitchover:
        if (c.scheduledSwitchover.has_value())
            return false;
        m_result.verified = Tr::tr("No switchover is scheduled any more.");
        return true;
    case Kind::CancelRestart:
        if (!m || m->scheduledRestart.has_value())
            return false;
        m_result.verified = Tr::tr("%1 has no scheduled restart any more.").arg(m->name);
        return true;
    case Kind::Reload:
        return true;
    }
    return false;
}

bool MemberActionRunner::restartShows(const PatroniMember *m)
{
    if (m_action.scheduledAt.isValid()) {
        if (!m || !m->scheduledRestart.has_value())
            return false;
        m_result.verified = Tr::tr("%1 shows a restart scheduled for %2.")
                                .arg(m->name, m->scheduledRestart->toString(Qt::ISODate));
        return true;
    }
    if (!m || !isRunningState(m->state) || m->pendingRestart)
        return false;
    m_result.verified = Tr::tr("%1 is running again with no pending restart.").arg(m->name);
    return true;
}

bool MemberActionRunner::reinitializeShows(const PatroniMember *m)
{
    if (m && !isRunningState(m->state))
        m_sawNotRunning = true;
    const bool done = m && isHealthyReplicaState(m->state) && m->lagBytes.has_value() &&
                      (m_sawNotRunning || m_clock.elapsed() > 10000);
    if (done)
        m_result.verified = Tr::tr("%1 was copied again and streams as a replica, %2 behind.")
                                .arg(m->name, formatBytes(*m->lagBytes));
    else if (m)
        say(Tr::tr("%1: %2").arg(m->name, m->state));
    return done;
}

bool MemberActionRunner::configChangeShows(const PatroniCluster &c)
{
    const QStringList restart = restartRequiredParameters(m_action.patch);
    QStringList pending, notYet;
    for (const auto &x : c.members)
        (x.pendingRestart ? pending : notYet) << x.name;
    if (!restart.isEmpty() && !notYet.isEmpty())
        return false;
    m_result.verified =
        restart.isEmpty()
            ? Tr::tr("The change needs no restart; members with a pending restart: %1.")
                  .arg(pending.isEmpty() ? Tr::tr("none") : pending.join(QStringLiteral(", ")))
            : Tr::tr("Every member shows a pending restart for %1; restart them (replicas first) "
                     "to apply it.")
                  .arg(restart.join(QStringLiteral(", ")));
    return true;
}

void MemberActionRunner::complete(Outcome outcome)
{
    if (!m_running)
        return;
    m_poll.stop();
    m_deadline.stop();
    m_result.outcome = outcome;
    m_result.elapsedMs = m_clock.elapsed();
    AuditEntry a;
    a.cluster = m_action.cluster;
    a.member = m_action.member;
    a.action = m_action.kindName();
    a.parameters = m_action.auditParameters();
    a.result = outcome == Outcome::Refused                 ? QStringLiteral("refused")
               : outcome == Outcome::Failed                ? QStringLiteral("failed")
               : outcome == Outcome::SucceededWithWarnings ? QStringLiteral("partial")
                                                           : QStringLiteral("ok");
    a.serverAnswer = m_result.httpStatus
                         ? QStringLiteral("%1 %2").arg(m_result.httpStatus).arg(m_result.answer)
                         : m_result.error.toText();
    if (m_ctx.audit) {
        QString why;
        if (!m_ctx.audit->append(a, &why))
            m_result.explanation +=
                QLatin1Char(' ') + Tr::tr("The audit log could not be written: %1").arg(why);
    }
    m_running = false;
    Q_EMIT finished(m_result);
}

} // namespace vigil::services
