#include "services/operations/parameterreloadcheck.h"

#include "services/patroni/patroniclient.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

#include <QTimer>
#include <algorithm>

namespace vigil::services {

ParameterReloadCheck::ParameterReloadCheck(OperationContext ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(ctx))
{
}

ParameterReloadCheck::~ParameterReloadCheck() = default;

void ParameterReloadCheck::start(const QMap<QString, QString> &expected, Millis deadline)
{
    const quint64 generation = ++m_generation;
    for (Target &t : m_targets)
        delete t.session;
    m_targets.clear();
    m_statuses.clear();
    m_expected = expected;
    m_deadline = deadline;
    m_outstanding = 0;
    m_running = true;
    m_clock.start();
    auto *patroni = new PatroniClient(m_ctx.nam, m_ctx.endpoint(m_ctx.profile.patroniUrl), this);
    patroni->setTimeout(Millis(10000));
    patroni->getCluster([this, patroni, generation](const Result<PatroniCluster> &c) {
        patroni->deleteLater();
        if (generation != m_generation)
            return;
        if (!c.ok())
            return finish(Tr::tr("The members could not be listed (GET /cluster): %1")
                              .arg(c.error().toText()));
        for (const PatroniMember &m : c->members) {
            m_targets.insert(m.name, Target{m.host, m.port, nullptr});
            MemberParameterStatus s;
            s.member = m.name;
            m_statuses.insert(m.name, s);
        }
        if (m_targets.isEmpty())
            return finish(Tr::tr("GET /cluster names no member."));
        readRound();
    });
}

void ParameterReloadCheck::readRound()
{
    QStringList pending;
    for (auto it = m_statuses.begin(); it != m_statuses.end(); ++it)
        if (!isFinal(it->state))
            pending << it.key();
    m_outstanding = int(pending.size());
    for (const QString &name : pending)
        readMember(name);
}

void ParameterReloadCheck::readMember(const QString &name)
{
    Target &t = m_targets[name];
    if (!t.session) {
        t.session = new PgSession(this);
        t.session->open(PgConnectionSettings::forApplication(m_ctx.profile.sqlConninfo,
                                                             QStringLiteral("vigil-verify"),
                                                             m_ctx.secrets.sqlPassword)
                            .atMember(t.host, t.port),
                        Millis(5000));
    }
    const QString names =
        QLatin1Char('{') + m_expected.keys().join(QLatin1Char(',')) + QLatin1Char('}');
    const quint64 generation = m_generation;
    t.session->exec(
        sqlResource(QStringLiteral("parameter_settings")), {QVariant(names)},
        [this, name, generation](const PgResult &r, const ServiceError &e) {
            if (generation != m_generation || !m_running)
                return;
            MemberParameterReading reading;
            reading.member = name;
            if (e) {
                reading.error = e.toText();
                // A failed connection is not retried by the session: start a new one next round.
                if (PgSession *s = m_targets[name].session)
                    s->deleteLater();
                m_targets[name].session = nullptr;
            }
            for (int row = 0; !e && row < r.rowCount(); ++row)
                reading.settings.insert(
                    r.text(row, QStringLiteral("name")),
                    ParameterSetting{
                        r.text(row, QStringLiteral("setting")), r.text(row, QStringLiteral("unit")),
                        r.boolean(row, QStringLiteral("pending_restart")).value_or(false)});
            m_statuses[name] = classifyReading(reading, m_expected);
            roundDone();
        },
        Millis(5000));
}

void ParameterReloadCheck::roundDone()
{
    if (--m_outstanding > 0)
        return;
    const QList<MemberParameterStatus> all = m_statuses.values();
    Q_EMIT progress(all);
    const bool allFinal = std::all_of(
        all.begin(), all.end(), [](const MemberParameterStatus &s) { return isFinal(s.state); });
    if (allFinal || m_clock.elapsed() + m_interval.count() > m_deadline.count())
        return finish();
    const quint64 generation = m_generation;
    QTimer::singleShot(m_interval, this, [this, generation] {
        if (generation == m_generation && m_running)
            readRound();
    });
}

void ParameterReloadCheck::finish(const QString &error)
{
    m_running = false;
    for (Target &t : m_targets)
        if (t.session)
            t.session->deleteLater();
    Q_EMIT finished(error.isEmpty() ? m_statuses.values() : QList<MemberParameterStatus>{}, error);
}

} // namespace vigil::services
