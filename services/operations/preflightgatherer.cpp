#include "services/operations/preflightgatherer.h"

#include "services/patroni/patroniclient.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"
#include "services/proxies/pgbouncerclient.h"

#include <algorithm>

namespace vigil::services {

PreflightGatherer::PreflightGatherer(OperationContext ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(ctx))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { finish(); });
}

PreflightGatherer::~PreflightGatherer() = default;

void PreflightGatherer::setFallbackUrls(const QList<QUrl> &urls)
{
    for (const QUrl &u : urls)
        if (u.isValid() && !m_fallbacks.contains(u))
            m_fallbacks << u;
}

void PreflightGatherer::startMonitor(const QUrl &patroniUrl)
{
    // A fresh monitor per attempt: its one cycle is the snapshot the checks judge.
    if (m_monitor)
        m_monitor->deleteLater();
    ClusterProfile profile = m_ctx.profile;
    profile.patroniUrl = patroniUrl;
    m_triedThisRound << patroniUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
    m_monitor = new ClusterMonitor(m_ctx.nam, profile, m_ctx.secrets, this);
    const quint64 round = m_round;
    connect(m_monitor, &ClusterMonitor::snapshotReady, this, [this, round](ClusterSnapshotPtr s) {
        if (round == m_round && m_running && !m_snapshotDone)
            onSnapshot(std::move(s));
    });
    m_monitor->pollOnce();
}

bool PreflightGatherer::gather()
{
    if (m_running)
        return false;
    m_running = true;
    ++m_round;
    m_input = PreflightInput{};
    m_input.pgbouncerConfigured = !m_ctx.profile.pgbouncerConninfo.isEmpty();
    m_snapshotDone = m_configDone = m_leaderDone = false;
    m_bouncerDone = !m_input.pgbouncerConfigured;
    m_deadline.start(m_deadlineMs);

    m_triedThisRound.clear();
    startMonitor(m_ctx.profile.patroniUrl);
    const quint64 round = m_round;

    if (!m_patroni)
        m_patroni = new PatroniClient(m_ctx.nam, m_ctx.endpoint(m_ctx.profile.patroniUrl), this);
    m_patroni->getConfig([this, round](const Result<PatroniConfig> &r) {
        if (round != m_round || !m_running)
            return;
        if (r.ok())
            m_input.config = r.value();
        m_configDone = true;
        finishIfDone();
    });

    if (m_input.pgbouncerConfigured) {
        delete m_bouncer;
        m_bouncer = new PgBouncerClient(this);
        m_bouncer->open(PgConnectionSettings::forApplication(m_ctx.profile.pgbouncerConninfo,
                                                             QStringLiteral("vigil-preflight"),
                                                             m_ctx.secrets.pgbouncerPassword));
        m_bouncer->show(QStringLiteral("CONFIG"),
                        [this, round](const PgResult &r, const ServiceError &e) {
                            if (round != m_round || !m_running)
                                return;
                            if (!e) {
                                QMap<QString, QString> cfg;
                                for (int i = 0; i < r.rowCount(); ++i)
                                    cfg.insert(r.text(i, QStringLiteral("key")),
                                               r.text(i, QStringLiteral("value")));
                                m_input.pgbouncerConfig = cfg;
                            }
                            m_bouncerDone = true;
                            finishIfDone();
                        });
    }
    return true;
}

void PreflightGatherer::onSnapshot(ClusterSnapshotPtr snapshot)
{
    // The member asked could not tell who is in the cluster (down, or the DCS unreachable from
    // it): ask the next member known from the fallbacks or earlier rounds, within the deadline.
    // Members known only by their REST URL (no DCS view yet) cannot be planned with.
    const bool noDcsView = std::all_of(snapshot->members.begin(), snapshot->members.end(),
                                       [](const MemberSnapshot &m) { return m.fromUrlOnly; });
    if (noDcsView) {
        for (const QUrl &u : m_fallbacks) {
            const QUrl base = u.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
            if (!m_triedThisRound.contains(base)) {
                startMonitor(base);
                return;
            }
        }
    }
    for (const auto &m : snapshot->members)
        if (m.apiUrl.isValid())
            setFallbackUrls({m.apiUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery)});
    m_input.snapshot = snapshot;
    m_snapshotDone = true;
    const MemberSnapshot *leader = snapshot->leader();
    if (leader && leader->sql.ok())
        queryLeader(*leader);
    else {
        m_input.leaderSessionsError =
            leader ? leader->sql.error.toText() : Tr::tr("there is no leader.");
        m_leaderDone = true;
    }
    finishIfDone();
}

void PreflightGatherer::queryLeader(const MemberSnapshot &leader)
{
    delete m_leaderSession;
    m_leaderSession = new PgSession(this);
    m_leaderSession->open(PgConnectionSettings::forApplication(m_ctx.profile.sqlConninfo,
                                                               QStringLiteral("vigil-preflight"),
                                                               m_ctx.secrets.sqlPassword)
                              .atMember(leader.host, leader.port));
    const quint64 round = m_round;
    m_leaderSession->exec(
        sqlResource(QStringLiteral("switchover_leader_activity")),
        {QVariant(m_input.longTransactionSeconds)},
        [this, round](const PgResult &r, const ServiceError &e) {
            if (round != m_round || !m_running)
                return;
            if (e || r.rowCount() != 1) {
                m_input.leaderSessionsError = e ? e.toText() : Tr::tr("the query returned no row.");
            } else {
                LeaderActivity a;
                a.longTransactions = r.integer(0, QStringLiteral("long_transactions")).value_or(0);
                a.oldestTransactionSeconds =
                    r.integer(0, QStringLiteral("oldest_transaction_seconds")).value_or(0);
                a.preparedTransactions =
                    r.integer(0, QStringLiteral("prepared_transactions")).value_or(0);
                a.clientSessions = r.integer(0, QStringLiteral("client_sessions")).value_or(0);
                m_input.leaderSessions = a;
            }
            m_leaderDone = true;
            finishIfDone();
        });
}

void PreflightGatherer::finishIfDone()
{
    if (m_snapshotDone && m_configDone && m_bouncerDone && m_leaderDone)
        finish();
}

void PreflightGatherer::finish()
{
    if (!m_running)
        return;
    m_running = false;
    m_deadline.stop();
    if (!m_input.snapshot) {
        // The monitor did not even finish one cycle: judge an empty snapshot (every check red or
        // amber), never nothing.
        auto empty = std::make_shared<ClusterSnapshot>();
        empty->profileName = m_ctx.profile.name;
        empty->takenAt = QDateTime::currentDateTimeUtc();
        empty->discovery.state = ChannelStatus::State::Unresponsive;
        m_input.snapshot = empty;
    }
    if (!m_leaderDone && m_input.leaderSessionsError.isEmpty())
        m_input.leaderSessionsError = Tr::tr("the leader did not answer in time.");
    if (m_leaderSession) {
        m_leaderSession->deleteLater();
        m_leaderSession = nullptr;
    }
    if (m_bouncer) {
        m_bouncer->deleteLater();
        m_bouncer = nullptr;
    }
    Q_EMIT gathered(m_input);
}

} // namespace vigil::services
