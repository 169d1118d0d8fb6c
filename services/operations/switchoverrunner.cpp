#include "services/operations/switchoverrunner.h"

#include "services/patroni/patroniclient.h"
#include "services/proxies/pgbouncerclient.h"

#include <QJsonObject>

namespace vigil::services {

using State = SwitchoverStep::State;

namespace {
// HAProxy's read-write backend: the profile's name when the statistics have it, else a common
// name (the same fallback the monitor uses).
QStringList readWriteServersUp(const HaproxyStats &stats, const QString &configured)
{
    QStringList names{configured};
    for (const char *n : {"primary", "rw", "master", "leader", "write", "postgres_rw", "pg_rw"})
        names << QLatin1String(n);
    for (const QString &n : names) {
        if (n.isEmpty() || (!stats.backend(n) && stats.servers(n).isEmpty()))
            continue;
        QStringList up;
        for (const auto &s : stats.servers(n))
            if (s.isUp())
                up << s.name;
        return up;
    }
    return {};
}

// One line of the verification (a PreflightCheck, so it renders like the pre-flight).
PreflightCheck verification(const char *id, const QString &title, PreflightCheck::Verdict verdict,
                            const QString &sentence)
{
    return PreflightCheck{QLatin1String(id), title, verdict, sentence};
}
} // namespace
using Outcome = SwitchoverReport::Outcome;
using V = PreflightCheck::Verdict;

SwitchoverRunner::SwitchoverRunner(OperationContext ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(ctx))
{
    m_hard.setSingleShot(true);
    m_stageDeadline.setSingleShot(true);
    connect(&m_hard, &QTimer::timeout, this, [this] { onHardTimeout(); });
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (m_stage == Stage::WaitLeader || (m_stage == Stage::Resume && !m_routingConfirmed))
            pollLeader();
        else if (m_stage == Stage::Verify)
            pollVerify();
    });
    connect(&m_stageDeadline, &QTimer::timeout, this, [this] {
        if (m_stage == Stage::Verify) {
            finishVerify();
        } else if (m_stage == Stage::WaitLeader || m_stage == Stage::Resume) {
            endStep(QStringLiteral("wait_leader"), State::Failed,
                    Tr::tr("No new leader with HAProxy routing to it within %1 s.")
                        .arg(m_plan.verifyTimeoutSeconds));
            m_report.error =
                ServiceError::make(ServiceError::Kind::Timeout, m_plan.kindName(), {}, {},
                                   Tr::tr("the new leader did not show up in time"));
            complete(Outcome::Failed);
        }
    });
}

SwitchoverRunner::~SwitchoverRunner()
{
    // Never leave PgBouncer paused behind us, even when the window closes mid-run: RESUME is
    // sent and its console connection kept alive until PgBouncer answered (if the whole
    // application quits first, it cannot be: the report of a run always shows RESUME).
    if (m_paused && m_bouncer) {
        // The console client outlives this runner until RESUME has been answered.
        PgBouncerClient *b = m_bouncer;
        b->setParent(nullptr);
        b->resume({}, [b](const PgResult &, const ServiceError &) { b->deleteLater(); });
    }
}

bool SwitchoverRunner::start(const SwitchoverPlan &plan)
{
    if (m_running)
        return false; // a double click never submits twice
    m_running = true;
    ++m_run;
    m_plan = plan;
    m_report = SwitchoverReport{};
    m_report.plan = plan;
    m_report.startedAt = QDateTime::currentDateTimeUtc();
    m_report.oldLeader = plan.leader;
    m_clock.start();
    m_stage = Stage::Idle;
    m_pausedAtMs = -1;
    m_paused = m_routingConfirmed = m_resumedEarly = m_actionDone = m_pollInFlight = false;
    m_abortAfterResume = m_verifyStarted = m_completeAfterResume = false;
    m_pendingOutcome.reset();
    m_lastCluster.reset();
    m_lastHaproxy.reset();
    m_lastTimeline.reset();
    m_waitingClients.reset();
    m_memberUrls = {m_ctx.profile.patroniUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery)};
    for (const QUrl &u : m_fallbacks)
        if (!m_memberUrls.contains(u.adjusted(QUrl::RemovePath | QUrl::RemoveQuery)))
            m_memberUrls << u.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
    m_nextMember = 0;
    m_baselineAttempts = 0;

    const quint64 run = m_run;
    QTimer::singleShot(0, this, [this, run] {
        if (run != m_run)
            return;
        const QString action = m_plan.kind == SwitchoverPlan::Kind::Failover
                                   ? Tr::tr("failover to %1").arg(m_plan.candidate)
                                   : Tr::tr("switchover of %1").arg(m_plan.cluster);
        if (ServiceError e = m_ctx.mayRun(action)) {
            m_report.error = e;
            m_report.explanation = e.message;
            complete(Outcome::Refused);
            return;
        }
        if (m_plan.blocked()) {
            m_report.error = ServiceError::make(ServiceError::Kind::Refused, action, {}, {},
                                                Tr::tr("a pre-flight check is red"));
            m_report.explanation = Tr::tr("Fix what the red pre-flight checks say, then run the "
                                          "pre-flight again.");
            complete(Outcome::Refused);
            return;
        }
        if (!m_plan.confirmationMatches(m_plan.typedConfirmation)) {
            m_report.error = ServiceError::make(ServiceError::Kind::Refused, action, {}, {},
                                                Tr::tr("the typed confirmation does not match the "
                                                       "cluster name %1")
                                                    .arg(m_plan.cluster));
            m_report.explanation = Tr::tr("Type the cluster name exactly to confirm.");
            complete(Outcome::Refused);
            return;
        }
        runBaseline();
    });
    return true;
}

// ---- steps ----------------------------------------------------------------------------------

void SwitchoverRunner::beginStep(const QString &id, const QString &title)
{
    SwitchoverStep s;
    s.id = id;
    s.title = title;
    s.startedMs = now();
    m_report.steps << s;
    Q_EMIT stepChanged(s);
}

void SwitchoverRunner::endStep(const QString &id, State state, const QString &detail)
{
    for (auto it = m_report.steps.rbegin(); it != m_report.steps.rend(); ++it) {
        if (it->id != id || it->state != State::Running)
            continue;
        it->state = state;
        it->elapsedMs = now() - it->startedMs;
        it->detail = detail;
        Q_EMIT stepChanged(*it);
        return;
    }
}

PatroniClient *SwitchoverRunner::clientFor(const QUrl &base)
{
    for (PatroniClient *c : m_clients)
        if (c->endpoint().baseUrl == base)
            return c;
    auto *c = new PatroniClient(m_ctx.nam, m_ctx.endpoint(base), this);
    c->setTimeout(std::chrono::milliseconds(2000));
    // An immediate switchover makes Patroni wait for the new leader before it answers.
    c->setLongActionTimeout(
        std::chrono::milliseconds(std::max(40, m_plan.verifyTimeoutSeconds) * 1000));
    m_clients << c;
    return c;
}

void SwitchoverRunner::getClusterAnyMember(std::function<void(const Result<PatroniCluster> &)> cb)
{
    const QUrl base =
        m_memberUrls.value(m_nextMember % std::max<qsizetype>(1, m_memberUrls.size()));
    ++m_nextMember;
    clientFor(base)->getCluster(std::move(cb));
}

// ---- baseline -------------------------------------------------------------------------------

void SwitchoverRunner::runBaseline()
{
    m_stage = Stage::Baseline;
    beginStep(QStringLiteral("baseline"), Tr::tr("Read the cluster before acting"));
    const quint64 run = m_run;
    getClusterAnyMember([this, run](const Result<PatroniCluster> &r) {
        if (run != m_run)
            return;
        if (!r.ok() && ++m_baselineAttempts < m_memberUrls.size()) {
            // This member does not answer: ask the next one (same step).
            endStep(QStringLiteral("baseline"), State::Warning, r.error().toText());
            runBaseline();
            return;
        }
        if (!r.ok()) {
            endStep(QStringLiteral("baseline"), State::Failed, r.error().toText());
            fail(r.error(), Tr::tr("The cluster could not be read, so nothing was done."));
            return;
        }
        m_lastCluster = r.value();
        m_memberUrls.clear();
        for (const auto &m : r->members)
            if (m.apiUrl.isValid())
                m_memberUrls << m.apiBaseUrl();
        if (m_memberUrls.isEmpty())
            m_memberUrls << m_ctx.profile.patroniUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
        const PatroniMember *leader = r->leader();
        if (leader) {
            m_report.oldLeader = leader->name;
            m_report.timelineBefore = leader->timeline;
        } else {
            for (const auto &m : r->members)
                if (m.timeline &&
                    (!m_report.timelineBefore || *m.timeline > *m_report.timelineBefore))
                    m_report.timelineBefore = m.timeline;
        }
        if (m_plan.kind == SwitchoverPlan::Kind::Switchover &&
            (!leader || leader->name != m_plan.leader)) {
            const QString now = leader ? leader->name : Tr::tr("none");
            endStep(QStringLiteral("baseline"), State::Failed,
                    Tr::tr("The leader is now %1, not %2 as in the pre-flight.")
                        .arg(now, m_plan.leader));
            fail(ServiceError::make(ServiceError::Kind::Refused, QStringLiteral("switchover"), {},
                                    {}, Tr::tr("leader changed since the pre-flight")),
                 Tr::tr("The cluster changed since the pre-flight; run the pre-flight again."));
            return;
        }
        endStep(QStringLiteral("baseline"), State::Done,
                Tr::tr("Leader %1 on timeline %2; %n member(s).", nullptr, int(r->members.size()))
                    .arg(leader ? leader->name : Tr::tr("none"),
                         m_report.timelineBefore ? QString::number(*m_report.timelineBefore)
                                                 : Tr::tr("unknown")));
        if (m_plan.pauseClients && !m_plan.scheduledAt.isValid() &&
            !m_ctx.profile.pgbouncerConninfo.isEmpty())
            runPause();
        else
            runAction();
    });
}

// ---- PAUSE ----------------------------------------------------------------------------------

void SwitchoverRunner::openBouncer()
{
    m_bouncer = new PgBouncerClient(this);
    m_bouncer->open(PgConnectionSettings::forApplication(m_ctx.profile.pgbouncerConninfo,
                                                         QStringLiteral("vigil-switchover"),
                                                         m_ctx.secrets.pgbouncerPassword));
}

void SwitchoverRunner::runPause()
{
    m_stage = Stage::Pause;
    beginStep(QStringLiteral("pause"), Tr::tr("Pause PgBouncer's clients"));
    openBouncer();
    // From here on the clients may be held: the hard timer guarantees they are resumed.
    m_paused = true;
    m_pausedAtMs = now();
    m_hard.start(m_plan.hardTimeoutSeconds * 1000);
    const int pauseDeadlineMs =
        std::max(1000, std::min(30000, m_plan.hardTimeoutSeconds * 1000 / 2));
    const quint64 run = m_run;
    m_bouncer->pause(
        {},
        [this, run](const PgResult &, const ServiceError &e) {
            if (run != m_run || m_stage != Stage::Pause)
                return;
            if (e) {
                endStep(QStringLiteral("pause"), State::Failed,
                        Tr::tr("PAUSE failed: %1. No switchover was attempted.").arg(e.toText()));
                m_report.error = e;
                m_report.explanation =
                    e.kind == ServiceError::Kind::Timeout
                        ? Tr::tr(
                              "PgBouncer did not finish pausing in time: a long transaction kept "
                              "a server connection busy. Clients are resumed; try again when it "
                              "has ended, or switch over without pausing.")
                        : Tr::tr("PgBouncer's admin console refused PAUSE; clients are resumed.");
                m_abortAfterResume = true;
                runResume(false);
                return;
            }
            endStep(QStringLiteral("pause"), State::Done,
                    Tr::tr("Paused after %1 s: running transactions finished, new ones wait.")
                        .arg((now() - m_pausedAtMs) / 1000.0, 0, 'f', 1));
            runAction();
        },
        std::chrono::milliseconds(pauseDeadlineMs));
}

// ---- POST /switchover or /failover -----------------------------------------------------------

void SwitchoverRunner::runAction()
{
    m_stage = Stage::Action;
    const bool failover = m_plan.kind == SwitchoverPlan::Kind::Failover;
    const bool scheduled = !failover && m_plan.scheduledAt.isValid();
    const QString id = failover ? QStringLiteral("failover") : QStringLiteral("switchover");
    beginStep(id, failover    ? Tr::tr("POST /failover to %1").arg(m_plan.candidate)
                  : scheduled ? Tr::tr("POST /switchover scheduled at %1")
                                    .arg(m_plan.scheduledAt.toString(Qt::ISODate))
                              : Tr::tr("POST /switchover"));
    sendAction(actionTarget(), /*isFallback=*/false);
    if (!scheduled)
        startWaitLeader(); // in parallel: Patroni answers only after it sees the new leader
}

// Where the action goes. A switchover goes to the current leader's REST API, as patronictl
// does: Patroni acts on a switchover at once only on the leader; a replica merely writes the
// request to the DCS, and the leader picks it up when its HA loop next wakes (up to loop_wait
// later, while PgBouncer holds the clients). A failover goes to the candidate (the old leader
// may be gone). The profile's URL is the fallback when the member's own URL is not known.
QUrl SwitchoverRunner::actionTarget() const
{
    const bool failover = m_plan.kind == SwitchoverPlan::Kind::Failover;
    if (m_lastCluster) {
        const PatroniMember *target = nullptr;
        for (const auto &m : m_lastCluster->members) {
            if (!m.apiUrl.isValid())
                continue;
            if (failover ? m.name == m_plan.candidate : m.role == PatroniRole::Leader)
                target = &m;
            else if (!failover && !target && m.name == m_plan.leader)
                target = &m; // the planned leader, unless the DCS names another one
        }
        if (target)
            return target->apiBaseUrl();
    }
    return profileApiBase();
}

QUrl SwitchoverRunner::profileApiBase() const
{
    return m_ctx.profile.patroniUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
}

void SwitchoverRunner::sendAction(const QUrl &base, bool isFallback)
{
    const bool failover = m_plan.kind == SwitchoverPlan::Kind::Failover;
    m_report.actionSentTo = base.toString();
    m_report.actionSentToFallback = isFallback;
    const quint64 run = m_run;
    auto onAnswer = [this, run, base, isFallback](const Result<PatroniActionResult> &r) {
        if (run != m_run)
            return;
        // The member we chose could not even be connected to: the profile's URL is another
        // way in (Patroni forwards nothing, but any member accepts the request into the DCS).
        const QUrl fallback = profileApiBase();
        if (!r.ok() && r.error().kind == ServiceError::Kind::Connect && !isFallback &&
            fallback != base && m_stage != Stage::Done) {
            m_report.actionFallbackReason = r.error().toText();
            sendAction(fallback, /*isFallback=*/true);
            return;
        }
        onActionAnswer(r);
    };
    PatroniClient *client = clientFor(base);
    if (failover)
        client->failover(m_plan.candidate, onAnswer);
    else
        client->switchover(m_plan.leader, m_plan.candidate, m_plan.scheduledAt, onAnswer);
}

void SwitchoverRunner::onActionAnswer(const Result<PatroniActionResult> &r)
{
    const bool failover = m_plan.kind == SwitchoverPlan::Kind::Failover;
    const bool scheduled = !failover && m_plan.scheduledAt.isValid();
    const QString id = failover ? QStringLiteral("failover") : QStringLiteral("switchover");
    const QString where = QLatin1Char(' ') + m_report.actionTargetText();
    m_actionDone = true;
    if (r.ok()) {
        m_report.patroniStatus = r->httpStatus;
        m_report.patroniAnswer = r->body.trimmed();
        endStep(id, State::Done,
                Tr::tr("Patroni answered %1: %2").arg(r->httpStatus).arg(r->body.trimmed()) +
                    where);
        if (scheduled)
            startVerify();
        else
            maybeVerify();
        return;
    }
    const ServiceError &e = r.error();
    m_report.patroniStatus = e.code.toInt();
    m_report.patroniAnswer = e.message;
    m_report.explanation = explainPatroniRefusal(m_plan.kindName(), e);
    const bool uncertain = e.code == QLatin1String("503") || e.kind == ServiceError::Kind::Timeout;
    if (uncertain && !scheduled && m_stage != Stage::Done) {
        // Patroni could not confirm in time; the switch may still happen. Keep waiting for
        // the new leader (the stage deadline decides).
        endStep(id, State::Warning,
                Tr::tr("Patroni answered: %1 — still waiting for a new leader.").arg(e.toText()) +
                    where);
        maybeVerify();
        return;
    }
    endStep(id, State::Failed, Tr::tr("Patroni refused: %1").arg(e.toText()) + where);
    m_report.error = e;
    if (m_routingConfirmed) {
        maybeVerify(); // refused, but a new leader is there anyway (e.g. a race): verify it
        return;
    }
    m_poll.stop();
    m_stageDeadline.stop();
    if (m_paused) {
        m_abortAfterResume = true;
        runResume(false);
    } else {
        complete(Outcome::Failed);
    }
}

// ---- waiting for the new leader and HAProxy -------------------------------------------------

void SwitchoverRunner::startWaitLeader()
{
    m_stage = Stage::WaitLeader;
    beginStep(QStringLiteral("wait_leader"),
              m_ctx.profile.haproxyStatsUrl.isEmpty()
                  ? Tr::tr("Wait for the new leader")
                  : Tr::tr("Wait for the new leader and HAProxy's routing"));
    m_stageDeadline.start(m_plan.verifyTimeoutSeconds * 1000);
    // While PgBouncer holds the clients, every poll interval is added to their wait: poll the
    // new leader and HAProxy three times as often then (a few seconds of small requests).
    m_poll.start(m_paused ? std::max(50, m_pollMs / 3) : m_pollMs);
}

void SwitchoverRunner::pollLeader()
{
    if (m_pollInFlight || m_routingConfirmed)
        return;
    m_pollInFlight = true;
    const quint64 run = m_run;
    getClusterAnyMember([this, run](const Result<PatroniCluster> &r) {
        if (run != m_run)
            return;
        if (!r.ok()) {
            m_pollInFlight = false;
            return;
        }
        m_lastCluster = r.value();
        const PatroniMember *leader = r->leader();
        const bool failover = m_plan.kind == SwitchoverPlan::Kind::Failover;
        const bool newLeader =
            leader && isRunningState(leader->state) &&
            (failover ? leader->name == m_plan.candidate
                      : leader->name != m_report.oldLeader &&
                            (m_plan.candidate.isEmpty() || leader->name == m_plan.candidate));
        if (!newLeader) {
            m_pollInFlight = false;
            return;
        }
        m_report.newLeader = leader->name;
        if (m_ctx.profile.haproxyStatsUrl.isEmpty()) {
            m_pollInFlight = false;
            onRoutingConfirmed();
            return;
        }
        if (!m_haproxy)
            m_haproxy = new HaproxyStatsClient(m_ctx.nam, m_ctx.profile.haproxyStatsUrl, this);
        m_haproxy->setTimeout(std::chrono::milliseconds(2000));
        const QString name = leader->name;
        m_haproxy->fetch([this, run, name](const Result<HaproxyStats> &h) {
            if (run != m_run)
                return;
            m_pollInFlight = false;
            if (!h.ok() || m_routingConfirmed)
                return;
            m_lastHaproxy = h.value();
            if (readWriteServersUp(h.value(), m_ctx.profile.haproxyReadWriteBackend) ==
                QStringList{name})
                onRoutingConfirmed();
        });
    });
}

void SwitchoverRunner::onRoutingConfirmed()
{
    if (m_routingConfirmed)
        return;
    m_routingConfirmed = true;
    endStep(QStringLiteral("wait_leader"), State::Done,
            m_ctx.profile.haproxyStatsUrl.isEmpty()
                ? Tr::tr("%1 runs as leader (HAProxy is not part of the profile).")
                      .arg(m_report.newLeader)
                : Tr::tr("%1 runs as leader and HAProxy's read-write backend routes to it alone.")
                      .arg(m_report.newLeader));
    if (m_paused && m_stage != Stage::Resume) {
        runResume(false);
        return;
    }
    if (m_resumedEarly) {
        runReconnect();
        return;
    }
    maybeVerify();
}

// ---- RESUME / RECONNECT ---------------------------------------------------------------------

void SwitchoverRunner::onHardTimeout()
{
    if (!m_paused || m_stage == Stage::Resume)
        return;
    m_report.resumedByTimeout = true;
    m_resumedEarly = !m_routingConfirmed;
    runResume(true);
}

void SwitchoverRunner::runResume(bool byTimeout)
{
    m_hard.stop();
    m_stage = Stage::Resume;
    beginStep(QStringLiteral("resume"), Tr::tr("Resume PgBouncer's clients"));
    const quint64 run = m_run;
    m_bouncer->resume({}, [this, run, byTimeout](const PgResult &, const ServiceError &e) {
        if (run != m_run)
            return;
        const qint64 held = now() - m_pausedAtMs;
        // "pooler is not paused/suspended" means there is nothing left to resume.
        const bool notPaused =
            e && e.message.contains(QLatin1String("not paused"), Qt::CaseInsensitive);
        if (e && !notPaused) {
            endStep(
                QStringLiteral("resume"), State::Failed,
                Tr::tr("RESUME failed: %1. Run RESUME on PgBouncer's admin console by hand now!")
                    .arg(e.toText()));
            if (!m_report.error)
                m_report.error = e;
        } else {
            m_report.clientsPausedMs = held;
            endStep(QStringLiteral("resume"), byTimeout ? State::Warning : State::Done,
                    byTimeout
                        ? Tr::tr("The hard timeout of %1 s passed before the switchover was "
                                 "confirmed: clients were resumed anyway, after %2 s.")
                              .arg(m_plan.hardTimeoutSeconds)
                              .arg(held / 1000.0, 0, 'f', 1)
                        : Tr::tr("Clients resumed after %1 s.").arg(held / 1000.0, 0, 'f', 1));
        }
        m_paused = false;
        if (m_abortAfterResume) {
            complete(Outcome::Failed);
            return;
        }
        if (m_completeAfterResume && m_pendingOutcome) {
            complete(*m_pendingOutcome);
            return;
        }
        if (m_routingConfirmed && m_resumedEarly)
            runReconnect();
        else if (m_routingConfirmed)
            maybeVerify();
        else
            m_stage = Stage::WaitLeader; // keep waiting; RECONNECT once routing is right
    });
}

void SwitchoverRunner::runReconnect()
{
    m_stage = Stage::Reconnect;
    beginStep(QStringLiteral("reconnect"), Tr::tr("Reconnect PgBouncer's server connections"));
    const quint64 run = m_run;
    m_bouncer->reconnect({}, [this, run](const PgResult &, const ServiceError &e) {
        if (run != m_run)
            return;
        endStep(QStringLiteral("reconnect"), e ? State::Failed : State::Done,
                e ? Tr::tr("RECONNECT failed: %1").arg(e.toText())
                  : Tr::tr("Server connections opened before the routing changed are replaced as "
                           "they are released."));
        maybeVerify();
    });
}

// ---- verification ---------------------------------------------------------------------------

void SwitchoverRunner::maybeVerify()
{
    if (m_verifyStarted || !m_actionDone || !m_routingConfirmed || m_paused)
        return;
    if (m_resumedEarly && m_stage != Stage::Reconnect)
        return; // RECONNECT first
    startVerify();
}

void SwitchoverRunner::startVerify()
{
    if (m_verifyStarted)
        return;
    m_verifyStarted = true;
    m_stage = Stage::Verify;
    m_poll.stop();
    beginStep(QStringLiteral("verify"), Tr::tr("Verify"));
    if (!m_ctx.profile.pgbouncerConninfo.isEmpty() && !m_bouncer)
        openBouncer();
    m_stageDeadline.start(m_plan.verifyTimeoutSeconds * 1000);
    m_poll.start(std::max(m_pollMs, 1000));
    pollVerify();
}

void SwitchoverRunner::pollVerify()
{
    if (m_pollInFlight)
        return;
    m_pollInFlight = true;
    const quint64 run = m_run;
    // One round: /cluster, then /history, HAProxy and PgBouncer; then judge.
    getClusterAnyMember([this, run](const Result<PatroniCluster> &r) {
        if (run != m_run)
            return;
        if (r.ok())
            m_lastCluster = r.value();
        pollVerifyDetails(run);
    });
}

void SwitchoverRunner::pollVerifyDetails(quint64 run)
{
    // `done` is called once per request sent plus once here: the last call judges the round.
    auto pending = std::make_shared<int>(1);
    const std::function<void()> done = [this, run, pending] {
        if (run != m_run || --*pending > 0)
            return;
        m_pollInFlight = false;
        judgeVerifyRound();
    };
    ++*pending;
    fetchVerifyHistory(run, done);
    if (!m_ctx.profile.haproxyStatsUrl.isEmpty()) {
        ++*pending;
        fetchVerifyHaproxy(run, done);
    }
    if (m_bouncer) {
        ++*pending;
        fetchVerifyPools(run, done);
    }
    done();
}

void SwitchoverRunner::fetchVerifyHistory(quint64 run, const std::function<void()> &done)
{
    QUrl leaderApi;
    if (m_lastCluster)
        if (const PatroniMember *l = m_lastCluster->leader())
            leaderApi = l->apiBaseUrl();
    if (!leaderApi.isValid()) {
        done();
        return;
    }
    clientFor(leaderApi)->getHistory(
        [this, run, done](const Result<QList<PatroniHistoryEntry>> &h) {
            if (run != m_run)
                return;
            if (h.ok() && !h->isEmpty())
                m_lastTimeline = h->last().timeline + 1; // the entry names the timeline that ended
            done();
        });
}

void SwitchoverRunner::fetchVerifyHaproxy(quint64 run, const std::function<void()> &done)
{
    if (!m_haproxy)
        m_haproxy = new HaproxyStatsClient(m_ctx.nam, m_ctx.profile.haproxyStatsUrl, this);
    m_haproxy->fetch([this, run, done](const Result<HaproxyStats> &h) {
        if (run != m_run)
            return;
        if (h.ok())
            m_lastHaproxy = h.value();
        done();
    });
}

void SwitchoverRunner::fetchVerifyPools(quint64 run, const std::function<void()> &done)
{
    m_bouncer->showPools([this, run, done](const Result<QList<PgBouncerPool>> &p) {
        if (run != m_run)
            return;
        if (p.ok()) {
            qint64 waiting = 0;
            for (const auto &pool : p.value())
                waiting += pool.clientsWaiting;
            m_waitingClients = waiting;
        }
        done();
    });
}

void SwitchoverRunner::judgeVerifyRound()
{
    // Scheduled: done when /cluster shows it.
    if (isScheduled()) {
        if (m_lastCluster && m_lastCluster->scheduledSwitchover)
            finishVerify();
        return;
    }
    if (!m_lastCluster)
        return;
    const PatroniMember *leader = m_lastCluster->leader();
    bool oldBack = m_plan.kind == SwitchoverPlan::Kind::Failover; // optional for failover
    for (const auto &m : m_lastCluster->members)
        if (m.name == m_report.oldLeader && !m.name.isEmpty() && !m.apiUrl.isEmpty())
            oldBack = (m.role == PatroniRole::Replica || m.role == PatroniRole::SyncStandby) &&
                      isHealthyReplicaState(m.state) && m.lagBytes.has_value();
    const bool timelineOk =
        m_report.timelineBefore && m_lastTimeline && *m_lastTimeline > *m_report.timelineBefore;
    const bool waitingOk = !m_waitingClients || *m_waitingClients == 0;
    if (leader && leader->name == m_report.newLeader && oldBack && timelineOk && waitingOk)
        finishVerify();
}

bool SwitchoverRunner::isScheduled() const
{
    return m_plan.kind == SwitchoverPlan::Kind::Switchover && m_plan.scheduledAt.isValid();
}

void SwitchoverRunner::finishVerify()
{
    if (m_stage != Stage::Verify)
        return;
    m_poll.stop();
    m_stageDeadline.stop();
    if (isScheduled()) {
        finishScheduledVerify();
        return;
    }
    QList<PreflightCheck> v;
    v << verifyNewLeader();
    if (std::optional<PreflightCheck> old = verifyOldLeader())
        v << *old;
    v << verifyTimeline();
    if (!m_ctx.profile.haproxyStatsUrl.isEmpty())
        v << verifyRouting();
    if (m_bouncer)
        v << verifyPgBouncer();
    m_report.verification = v;
    const V worst = worstVerdict(v);
    endStep(QStringLiteral("verify"),
            worst == V::Green   ? State::Done
            : worst == V::Amber ? State::Warning
                                : State::Failed,
            worst == V::Green ? Tr::tr("Everything verified.")
                              : Tr::tr("Not everything verified; see below."));
    const bool leaderOk = v.first().verdict == V::Green;
    complete(!leaderOk                                         ? Outcome::Failed
             : worst == V::Green && !m_report.resumedByTimeout ? Outcome::Succeeded
                                                               : Outcome::SucceededWithWarnings);
}

void SwitchoverRunner::finishScheduledVerify()
{
    const auto &sw = m_lastCluster ? m_lastCluster->scheduledSwitchover : std::nullopt;
    const PreflightCheck c =
        sw ? verification("scheduled", Tr::tr("Scheduled"), V::Green,
                          Tr::tr("The cluster shows the switchover scheduled for %1 (from %2 to "
                                 "%3); it can be cancelled until then.")
                              .arg(sw->at.toString(Qt::ISODate), sw->from,
                                   sw->to.isEmpty() ? Tr::tr("Patroni's choice") : sw->to))
           : verification("scheduled", Tr::tr("Scheduled"), V::Red,
                          Tr::tr("Patroni accepted the request, but the cluster does not show a "
                                 "scheduled switchover."));
    endStep(QStringLiteral("verify"), sw ? State::Done : State::Failed, c.sentence);
    m_report.verification = {c};
    complete(sw ? Outcome::Scheduled : Outcome::Failed);
}

PreflightCheck SwitchoverRunner::verifyNewLeader()
{
    const PatroniMember *leader = m_lastCluster ? m_lastCluster->leader() : nullptr;
    if (leader)
        m_report.timelineAfter = leader->timeline;
    if (leader && leader->name == m_report.newLeader && isRunningState(leader->state))
        return verification("new_leader", Tr::tr("New leader"), V::Green,
                            Tr::tr("%1 is the leader and running on timeline %2.")
                                .arg(leader->name, leader->timeline
                                                       ? QString::number(*leader->timeline)
                                                       : Tr::tr("unknown")));
    return verification(
        "new_leader", Tr::tr("New leader"), V::Red,
        Tr::tr("The expected new leader %1 is not the running leader now (leader: %2).")
            .arg(m_report.newLeader, leader ? leader->name : Tr::tr("none")));
}

std::optional<PreflightCheck> SwitchoverRunner::verifyOldLeader()
{
    if (m_report.oldLeader.isEmpty())
        return std::nullopt; // failover without a known leader: nothing to rejoin
    const PatroniMember *old = nullptr;
    if (m_lastCluster)
        for (const auto &m : m_lastCluster->members)
            if (m.name == m_report.oldLeader)
                old = &m;
    if (old && (old->role == PatroniRole::Replica || old->role == PatroniRole::SyncStandby) &&
        isHealthyReplicaState(old->state) && old->lagBytes)
        return verification("old_leader", Tr::tr("Old leader"), V::Green,
                            Tr::tr("%1 is back as a running replica, %2 behind.")
                                .arg(old->name, formatBytes(*old->lagBytes)));
    m_report.reinitializeSuggested = old != nullptr;
    return verification(
        "old_leader", Tr::tr("Old leader"),
        m_plan.kind == SwitchoverPlan::Kind::Failover ? V::Amber : V::Red,
        old ? Tr::tr("%1 did not come back as a streaming replica within %2 s (role %3, state "
                     "%4); "
                     "if it cannot rejoin, reinitialize it.")
                  .arg(old->name)
                  .arg(m_plan.verifyTimeoutSeconds)
                  .arg(roleName(old->role), old->state)
            : Tr::tr("%1 is not registered in the cluster; start it, and reinitialize it if it "
                     "cannot rejoin.")
                  .arg(m_report.oldLeader));
}

PreflightCheck SwitchoverRunner::verifyTimeline() const
{
    if (m_report.timelineBefore && m_lastTimeline && *m_lastTimeline > *m_report.timelineBefore)
        return verification("timeline", Tr::tr("Timeline"), V::Green,
                            Tr::tr("/history records the switch: timeline %1 → %2.")
                                .arg(*m_report.timelineBefore)
                                .arg(*m_lastTimeline));
    return verification(
        "timeline", Tr::tr("Timeline"), V::Amber,
        Tr::tr("/history does not show a new timeline yet (before: %1, now: %2).")
            .arg(m_report.timelineBefore ? QString::number(*m_report.timelineBefore)
                                         : Tr::tr("unknown"),
                 m_lastTimeline ? QString::number(*m_lastTimeline) : Tr::tr("unknown")));
}

PreflightCheck SwitchoverRunner::verifyRouting() const
{
    const QStringList up =
        m_lastHaproxy ? readWriteServersUp(*m_lastHaproxy, m_ctx.profile.haproxyReadWriteBackend)
                      : QStringList();
    return verification(
        "haproxy_routing", Tr::tr("HAProxy routing"),
        up == QStringList{m_report.newLeader} ? V::Green : V::Red,
        Tr::tr("HAProxy's read-write backend routes to %1.")
            .arg(up.isEmpty() ? Tr::tr("no server") : up.join(QStringLiteral(", "))));
}

PreflightCheck SwitchoverRunner::verifyPgBouncer() const
{
    if (!m_waitingClients)
        return verification("pgbouncer", Tr::tr("PgBouncer"), V::Amber,
                            Tr::tr("PgBouncer's pools could not be read."));
    return verification("pgbouncer", Tr::tr("PgBouncer"),
                        *m_waitingClients == 0 ? V::Green : V::Amber,
                        Tr::tr("PgBouncer serves its pools: %n client(s) waiting for a server.",
                               nullptr, int(*m_waitingClients)));
}

// ---- end ------------------------------------------------------------------------------------

void SwitchoverRunner::fail(const ServiceError &error, const QString &explanation)
{
    m_report.error = error;
    m_report.explanation = explanation;
    complete(Outcome::Failed);
}

void SwitchoverRunner::complete(Outcome outcome)
{
    if (m_stage == Stage::Done)
        return;
    if (m_paused && m_bouncer) {
        // Never end with clients paused.
        m_completeAfterResume = true;
        m_pendingOutcome = outcome;
        if (m_stage != Stage::Resume)
            runResume(false);
        return;
    }
    m_stage = Stage::Done;
    m_poll.stop();
    m_hard.stop();
    m_stageDeadline.stop();
    m_report.outcome = outcome;
    m_report.totalMs = now();
    // A step still open was overtaken by the end (e.g. waiting for a leader after a refusal).
    for (auto &st : m_report.steps)
        if (st.state == State::Running) {
            st.state = State::Skipped;
            st.elapsedMs = now() - st.startedMs;
            st.detail = Tr::tr("Not finished: the operation ended before this step did.");
            Q_EMIT stepChanged(st);
        }

    AuditEntry a;
    a.cluster = m_plan.cluster;
    a.member = m_report.newLeader.isEmpty() ? m_plan.candidate : m_report.newLeader;
    a.action = m_plan.kindName();
    if (m_plan.scheduledAt.isValid() && m_plan.kind == SwitchoverPlan::Kind::Switchover)
        a.action = QStringLiteral("schedule_switchover");
    a.parameters = m_plan.auditParameters();
    a.result = outcome == Outcome::Refused                 ? QStringLiteral("refused")
               : outcome == Outcome::Failed                ? QStringLiteral("failed")
               : outcome == Outcome::SucceededWithWarnings ? QStringLiteral("partial")
                                                           : QStringLiteral("ok");
    a.serverAnswer =
        m_report.patroniStatus
            ? QStringLiteral("%1 %2").arg(m_report.patroniStatus).arg(m_report.patroniAnswer)
        : m_report.error ? m_report.error.toText()
                         : m_report.patroniAnswer;
    if (m_ctx.audit) {
        QString why;
        if (!m_ctx.audit->append(a, &why))
            m_report.explanation +=
                QLatin1Char(' ') + Tr::tr("The audit log could not be written: %1").arg(why);
    }
    m_running = false;
    Q_EMIT finished(m_report);
}

} // namespace vigil::services
