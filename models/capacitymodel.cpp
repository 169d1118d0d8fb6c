#include "models/capacitymodel.h"

#include "models/formatting.h"
#include "models/profileprometheus.h"
#include "services/metrics/prometheusclient.h"

#include <QDateTime>
#include <QLocale>
#include <cmath>

namespace vigil::models {

using services::PromRangeQuery;
using services::PromSeries;

namespace {
// A 30-day subquery on a large Prometheus may take longer than an instant chart query.
constexpr services::PrometheusClient::Millis kTimeout{20000};
} // namespace

CapacityModel::Plan CapacityModel::plan(qint64 nowMs, int windowSeconds, int pixels)
{
    Plan p;
    const qint64 spanMs = qint64(windowSeconds) * 1000;
    p.stepSeconds = services::stepForPixels(spanMs, qMax(2, pixels));
    const qint64 stepMs = qint64(p.stepSeconds) * 1000;
    p.endMs = nowMs / stepMs * stepMs;
    // Start on the step grid as well, inside the window: at most `pixels` points.
    p.startMs = (p.endMs - spanMs + stepMs - 1) / stepMs * stepMs;
    return p;
}

QList<PromRangeQuery> CapacityModel::rangeQueries(const services::PrometheusClient &client,
                                                  const Plan &plan)
{
    QList<PromRangeQuery> out;
    for (const PromCapacityQuery &q : promCapacityQueries())
        out.append({q.expr(client, plan.stepSeconds), plan.startMs, plan.endMs, plan.stepSeconds});
    return out;
}

CapacityModel::CapacityModel(QNetworkAccessManager *nam, services::SecretStore *secrets,
                             const QString &profileName,
                             const services::PrometheusSettings &settings, QObject *parent)
    : QObject(parent)
    , m_prometheus(new ProfilePrometheus(nam, secrets, profileName, settings, this))
{
}

CapacityModel::~CapacityModel() = default;

QString CapacityModel::sourceName() const
{
    return m_prometheus->sourceName();
}

QString CapacityModel::trendName(CapacityTrend trend)
{
    switch (trend) {
    case CapacityTrend::DatabaseSize:
        return tr("database size");
    case CapacityTrend::ConnectionsPeak:
        return tr("connections peak");
    case CapacityTrend::Transactions:
        return tr("transactions per second");
    case CapacityTrend::WalRate:
        return tr("WAL rate");
    case CapacityTrend::VolumeFree:
        return tr("data volume's free space");
    }
    return {};
}

qint64 CapacityModel::maxPointsPerSeries() const
{
    qint64 most = 0;
    for (const QList<Line> &trend : m_lines)
        for (const Line &l : trend)
            most = qMax<qint64>(most, l.points.size());
    return most;
}

void CapacityModel::setDataDirectory(const QString &directory)
{
    m_dataDirectory = directory;
}

void CapacityModel::request(int windowSeconds, int pixels)
{
    if (windowSeconds <= 0 || pixels <= 1)
        return;
    m_ask = Ask{windowSeconds, pixels};
    m_prometheus->withClient([this](services::PrometheusClient &client) {
        m_client = &client;
        if (m_ask)
            start();
    });
}

void CapacityModel::start()
{
    const Ask ask = *m_ask;
    m_ask.reset();
    const quint64 generation = ++m_generation;
    m_incoming.clear();
    m_failed.clear();
    m_firstError = {};
    m_incomingPlan = plan(QDateTime::currentMSecsSinceEpoch(), ask.windowSeconds, ask.pixels);
    const QList<PromCapacityQuery> &queries = promCapacityQueries();
    const QList<PromRangeQuery> ranges = rangeQueries(*m_client, m_incomingPlan);
    const bool wasBusy = busy();
    m_pending = int(queries.size());
    for (int i = 0; i < queries.size(); ++i) {
        const PromCapacityQuery &q = queries.at(i);
        m_client->queryRange(
            ranges.at(i),
            [this, generation, q](const auto &result) {
                if (generation != m_generation)
                    return; // superseded
                if (!result.ok()) {
                    m_failed.append(q.trend);
                    if (!m_firstError.isError())
                        m_firstError = result.error();
                } else {
                    Incoming in{q.trend, {}, {}};
                    for (const PromSeries &s : result.value()) {
                        QStringList keys;
                        for (const QString &k : q.labelKeys)
                            keys << s.labels.value(k);
                        Line line{q.lineLabel(keys), {}};
                        line.points.reserve(s.points.size());
                        // Gaps stay out of the lines; the fit skips them as well.
                        for (const QPointF &p : s.points)
                            if (std::isfinite(p.y()))
                                line.points.append(p);
                        if (line.points.isEmpty())
                            continue;
                        in.keys.append(keys);
                        in.lines.append(line);
                    }
                    m_incoming.append(in);
                }
                if (--m_pending == 0)
                    finish();
            },
            kTimeout);
    }
    if (!wasBusy)
        Q_EMIT busyChanged(true);
}

void CapacityModel::takeVolumes(const Incoming &in)
{
    // Per host, the file system holding the data; the headline is the one filling first.
    QMap<QString, QStringList> mountsOf;
    for (const QStringList &keys : in.keys)
        mountsOf[keys.value(0)] << keys.value(1);
    QList<Line> kept;
    m_projection = {};
    m_volumeLabel.clear();
    const auto rank = [](const FillProjection &p) {
        switch (p.state) {
        case FillProjection::State::Full:
            return 0;
        case FillProjection::State::Filling:
            return 1;
        case FillProjection::State::NotFilling:
            return 2;
        case FillProjection::State::TooFewPoints:
            return 3;
        }
        return 3;
    };
    bool first = true;
    for (int i = 0; i < in.lines.size(); ++i) {
        const QString instance = in.keys.at(i).value(0);
        const QString mount = in.keys.at(i).value(1);
        if (mount != dataMountPoint(mountsOf.value(instance), m_dataDirectory))
            continue;
        Line line = in.lines.at(i);
        line.label = tr("%1 on %2").arg(mount, instance);
        const FillProjection p = projectFill(line.points, m_incomingPlan.endMs);
        const bool sooner =
            rank(p) < rank(m_projection) || (p.state == FillProjection::State::Filling &&
                                             m_projection.state == FillProjection::State::Filling &&
                                             p.daysLeft < m_projection.daysLeft);
        if (first || sooner) {
            m_projection = p;
            m_volumeLabel = line.label;
            first = false;
        }
        kept.append(line);
    }
    m_lines.insert(CapacityTrend::VolumeFree, kept);
}

void CapacityModel::finish()
{
    for (const Incoming &in : std::as_const(m_incoming)) {
        if (in.trend == CapacityTrend::VolumeFree) {
            takeVolumes(in);
            continue;
        }
        m_lines.insert(in.trend, in.lines);
        if (in.trend == CapacityTrend::DatabaseSize)
            m_growth = in.lines.isEmpty() ? std::nullopt : growthPerDay(in.lines.first().points);
    }
    m_incoming.clear();
    if (m_failed.size() < promCapacityQueries().size())
        m_plan = m_incomingPlan;

    QString problem;
    if (m_firstError.isError()) {
        // The error's text often ends a sentence itself: "…(%2)." would read ".).".
        QString why = m_firstError.toText();
        if (!why.endsWith(QLatin1Char('.')) && !why.endsWith(QLatin1Char('?')))
            why += QLatin1Char('.');
        problem =
            m_failed.size() == promCapacityQueries().size()
                ? tr("The capacity trends could not be read from %1: %2").arg(sourceName(), why)
                : tr("The %1 could not be read from %2: %3 The other trends are shown.")
                      .arg(trendName(m_failed.first()), sourceName(), why);
    }
    setProblem(problem);
    Q_EMIT busyChanged(false);
    Q_EMIT updated();
}

void CapacityModel::setProblem(const QString &problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged(problem);
}

QString CapacityModel::headline() const
{
    if (!hasData())
        return busy() ? tr("Reading the trends from %1…").arg(sourceName()) : QString();
    if (m_lines.value(CapacityTrend::VolumeFree).isEmpty())
        return tr("No projection: %1 has no free-space series (node_exporter's "
                  "node_filesystem_avail_bytes) for this cluster.")
            .arg(sourceName());
    const FillProjection &p = m_projection;
    switch (p.state) {
    case FillProjection::State::Full:
        return tr("The data volume %1 is full.").arg(m_volumeLabel);
    case FillProjection::State::Filling: {
        const QString date = QLocale().toString(QDateTime::fromMSecsSinceEpoch(p.fillsAtMs).date(),
                                                QStringLiteral("d MMM yyyy"));
        if (p.daysLeft < 1)
            return tr("The data volume %1 fills within a day at the current pace.")
                .arg(m_volumeLabel);
        return tr("The data volume %1 fills in about %n day(s) (around %2).", nullptr,
                  int(std::lround(p.daysLeft)))
            .arg(m_volumeLabel, date);
    }
    case FillProjection::State::NotFilling:
        return tr("The data volume %1 is not filling: its free space is steady or growing.")
            .arg(m_volumeLabel);
    case FillProjection::State::TooFewPoints:
        break;
    }
    return tr("No projection yet for the data volume %1: it needs at least an hour of history.")
        .arg(m_volumeLabel);
}

QString CapacityModel::details() const
{
    if (!hasData())
        return {};
    QStringList parts;
    // Over the history the free space really has (Prometheus may keep less than the window).
    const qint64 days = std::max<qint64>(
        1, (m_plan.endMs - qMax(m_plan.startMs, m_projection.sinceMs) + kMsPerDay / 2) / kMsPerDay);
    if (m_projection.state != FillProjection::State::TooFewPoints &&
        !m_lines.value(CapacityTrend::VolumeFree).isEmpty()) {
        const double change = m_projection.changePerDay;
        parts << (change < 0
                      ? tr("%1 free, %2 less each day over the last %n day(s).", nullptr, int(days))
                            .arg(formatBytes(qint64(m_projection.freeBytes)),
                                 formatBytes(qint64(-change)))
                      : tr("%1 free, %2 more each day over the last %n day(s).", nullptr, int(days))
                            .arg(formatBytes(qint64(m_projection.freeBytes)),
                                 formatBytes(qint64(change))));
    }
    const QList<Line> sizes = m_lines.value(CapacityTrend::DatabaseSize);
    if (m_growth && !sizes.isEmpty() && !sizes.first().points.isEmpty()) {
        const QString now = formatBytes(qint64(sizes.first().points.last().y()));
        parts << (*m_growth >= 0 ? tr("The databases hold %1 and grow %2 a day.")
                                       .arg(now, formatBytes(qint64(*m_growth)))
                                 : tr("The databases hold %1 and shrink %2 a day.")
                                       .arg(now, formatBytes(qint64(-*m_growth))));
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace vigil::models
