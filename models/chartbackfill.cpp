#include "models/chartbackfill.h"

#include "models/profileprometheus.h"
#include "models/promchartqueries.h"
#include "services/metrics/prometheusclient.h"

#include <cmath>

namespace vigil::models {

using services::PromRangeQuery;
using services::PromSeries;
using services::ServiceError;

ChartBackfill::ChartBackfill(QNetworkAccessManager *nam, services::SecretStore *secrets,
                             const QString &profileName,
                             const services::PrometheusSettings &settings, QObject *parent)
    : QObject(parent)
    , m_prometheus(new ProfilePrometheus(nam, secrets, profileName, settings, this))
{
}

ChartBackfill::~ChartBackfill() = default;

QString ChartBackfill::sourceName() const
{
    return m_prometheus->sourceName();
}

qint64 ChartBackfill::maxPointsPerSeries() const
{
    qint64 most = 0;
    for (const QList<Line> &chart : m_lines)
        for (const Line &l : chart)
            most = qMax<qint64>(most, l.points.size());
    return most;
}

void ChartBackfill::request(qint64 fromMs, qint64 seamMs, int pixels)
{
    if (seamMs <= fromMs || pixels <= 1)
        return;
    m_ask = Ask{fromMs, seamMs, pixels};
    m_prometheus->withClient([this](services::PrometheusClient &client) {
        m_client = &client;
        if (m_ask)
            start();
    });
}

void ChartBackfill::start()
{
    const Ask ask = *m_ask;
    m_ask.reset();
    const quint64 generation = ++m_generation;
    m_incoming.clear();
    m_firstError = {};
    m_incomingSeam = ask.seamMs;
    // The step keeps the fetched span at no more points than the plot has pixels.
    const int step = services::stepForPixels(ask.seamMs - ask.fromMs, ask.pixels);
    m_incomingStep = step;
    // Align the start to the step so successive requests hit the same evaluation times.
    const qint64 stepMs = qint64(step) * 1000;
    const qint64 start = (ask.fromMs + stepMs - 1) / stepMs * stepMs;
    const QList<PromChartQuery> &queries = promChartQueries();
    m_pending = int(queries.size());
    for (const PromChartQuery &q : queries) {
        PromRangeQuery range{q.expr(*m_client, promRateRangeSeconds(step)), start, ask.seamMs,
                             step};
        m_client->queryRange(range, [this, generation, q](const auto &result) {
            if (generation != m_generation)
                return; // superseded
            if (!result.ok()) {
                if (!m_firstError.isError())
                    m_firstError = result.error();
            } else {
                QList<Line> &lines = m_incoming[q.chart];
                for (const PromSeries &s : result.value()) {
                    Line line{q.lineLabel(s.labels.value(q.labelKey)), {}};
                    line.points.reserve(s.points.size());
                    for (const QPointF &p : s.points)
                        if (std::isfinite(p.y()) && p.x() < m_incomingSeam)
                            line.points.append(p);
                    if (!line.points.isEmpty())
                        lines.append(line);
                }
            }
            if (--m_pending == 0)
                finish(m_firstError);
        });
    }
}

void ChartBackfill::finish(const ServiceError &error)
{
    QString problem;
    if (error.isError()) {
        // One sentence for the whole request, whichever chart's query failed first.
        // The error's text often ends a sentence itself: "…(%2)." read ".).".
        QString why = error.toText();
        if (!why.endsWith(QLatin1Char('.')))
            why += QLatin1Char('.');
        problem = tr("The charts' history could not be read from %1: %2 The charts go on with "
                     "Vigil's own samples.")
                      .arg(sourceName(), why);
    } else {
        m_lines = m_incoming;
        m_seamMs = m_incomingSeam;
        m_stepSeconds = m_incomingStep;
    }
    m_incoming.clear();
    // One message while Prometheus stays unusable: the first failure's text stands (later
    // requests name other URLs and windows) until a request succeeds again.
    if (problem.isEmpty() != m_problem.isEmpty()) {
        m_problem = problem;
        Q_EMIT problemChanged(problem);
    }
    if (!error.isError())
        Q_EMIT updated();
}

} // namespace vigil::models
