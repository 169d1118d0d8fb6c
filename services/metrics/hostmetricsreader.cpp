#include "services/metrics/hostmetricsreader.h"

#include "services/core/error.h"
#include "services/metrics/prometheusclient.h"

namespace vigil::services {

HostMetricsReader::HostMetricsReader(QNetworkAccessManager *nam, const PrometheusEndpoint &endpoint,
                                     QObject *parent)
    : QObject(parent)
    , m_client(new PrometheusClient(nam, endpoint, this))
{
}

HostMetricsReader::~HostMetricsReader() = default;

QString HostMetricsReader::sourceName() const
{
    return Tr::tr("node_exporter through Prometheus at %1")
        .arg(m_client->endpoint().baseUrl.toString(QUrl::RemoveUserInfo));
}

bool HostMetricsReader::read(const QList<HostTarget> &targets, Millis deadline)
{
    if (inFlight())
        return false;
    m_targets = targets;
    m_answers = {};
    m_error = {};
    m_asked.start();
    m_last.at = QDateTime::currentDateTimeUtc();
    const HostQueries q = HostQueries::make(m_client->endpoint().matchers);
    const std::pair<const QString *, QList<PromSeries> *> asks[] = {
        {&q.filesystems, &m_answers.filesystems},
        {&q.cpu, &m_answers.cpu},
        {&q.memory, &m_answers.memory},
        {&q.io, &m_answers.io}};
    m_pending = int(std::size(asks));
    // The callbacks are the client's: dropped with it (a child of this object).
    for (const auto &[expr, into] : asks)
        m_client->query(
            *expr,
            [this, into = into](const Result<QList<PromSeries>> &r) {
                if (r.ok())
                    *into = r.value();
                else if (!m_error)
                    m_error = r.error();
                answered();
            },
            deadline);
    return true;
}

void HostMetricsReader::answered()
{
    if (--m_pending > 0)
        return;
    m_last.done = true;
    m_last.latencyMs = m_asked.elapsed();
    m_last.error = m_error;
    if (!m_error) {
        m_last.unmatched.clear();
        m_last.figures = hostFiguresFor(m_targets, m_answers, &m_last.unmatched);
        m_last.lastOk = QDateTime::currentDateTimeUtc();
    }
    m_answers = {};
    Q_EMIT readingDone();
}

} // namespace vigil::services
