#include "services/metrics/prometheusclient.h"

#include "services/core/calllater.h"
#include "services/http/httpcall.h"

#include <QNetworkAccessManager>

namespace vigil::services {

PrometheusClient::PrometheusClient(QNetworkAccessManager *nam, PrometheusEndpoint endpoint,
                                   QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_endpoint(std::move(endpoint))
{
}

QString PrometheusClient::selector(const QString &metric, const QString &extra) const
{
    return promSelector(metric, m_endpoint.matchers, extra);
}

void PrometheusClient::queryRange(const PromRangeQuery &q, SeriesCallback cb, Millis timeout)
{
    // Seconds with millisecond precision, as the API takes them.
    const auto seconds = [](qint64 ms) {
        return QString::number(double(ms) / 1000.0, 'f', 3);
    };
    get(QStringLiteral("api/v1/query_range"),
        {{QStringLiteral("query"), q.expr},
         {QStringLiteral("start"), seconds(q.startMs)},
         {QStringLiteral("end"), seconds(q.endMs)},
         {QStringLiteral("step"), QString::number(q.stepSeconds)},
         {QStringLiteral("timeout"), QStringLiteral("%1ms").arg(timeout.count())}},
        QStringLiteral("GET /api/v1/query_range"), std::move(cb), timeout);
}

void PrometheusClient::query(const QString &expr, SeriesCallback cb, Millis timeout)
{
    get(QStringLiteral("api/v1/query"),
        {{QStringLiteral("query"), expr},
         {QStringLiteral("timeout"), QStringLiteral("%1ms").arg(timeout.count())}},
        QStringLiteral("GET /api/v1/query"), std::move(cb), timeout);
}

void PrometheusClient::checkSeries(const QStringList &members, const QStringList &metrics,
                                   MissingCallback cb, Millis timeout)
{
    // One query for everything: which (member, metric) pairs have a series now.
    const QString names = metrics.join(QLatin1Char('|'));
    const QString expr =
        QStringLiteral("count by (member, __name__) (%1)")
            .arg(selector(QString(), QStringLiteral("__name__=~\"%1\"").arg(names)));
    query(
        expr,
        [members, metrics, cb](const Result<QList<PromSeries>> &r) {
            if (!r.ok()) {
                cb(r.error());
                return;
            }
            QSet<QString> present;
            for (const PromSeries &s : r.value())
                present.insert(s.labels.value(QStringLiteral("member")) + QLatin1Char('\n') +
                               s.labels.value(QStringLiteral("__name__")));
            QStringList missing;
            for (const QString &m : members)
                for (const QString &metric : metrics)
                    if (!present.contains(m + QLatin1Char('\n') + metric))
                        missing << QStringLiteral("%1: %2").arg(m, metric);
            missing.sort();
            cb(missing);
        },
        timeout);
}

void PrometheusClient::get(const QString &path, const QList<QPair<QString, QString>> &params,
                           const QString &what, SeriesCallback cb, Millis timeout)
{
    send(path, params, what, timeout,
         [cb](const Result<std::pair<int, QByteArray>> &r, const QString &what,
              const QString &host) {
             if (!r.ok())
                 cb(r.error());
             else
                 cb(parsePrometheusAnswer(r.value().first, r.value().second, what, host));
         });
}

void PrometheusClient::alerts(AlertsCallback cb, Millis timeout)
{
    // Alertmanager's filter takes one matcher per parameter; active only, silenced and
    // inhibited ones left out (what nobody is asked to act on).
    QList<QPair<QString, QString>> params = {
        {QStringLiteral("active"), QStringLiteral("true")},
        {QStringLiteral("silenced"), QStringLiteral("false")},
        {QStringLiteral("inhibited"), QStringLiteral("false")}};
    for (const QString &m : splitMatchers(m_endpoint.matchers))
        params.append({QStringLiteral("filter"), m});
    send(QStringLiteral("api/v2/alerts"), params, QStringLiteral("GET /api/v2/alerts"), timeout,
         [cb](const Result<std::pair<int, QByteArray>> &r, const QString &what,
              const QString &host) {
             if (!r.ok())
                 cb(r.error());
             else
                 cb(parseAlertmanagerAlerts(r.value().first, r.value().second, what, host));
         });
}

void PrometheusClient::send(const QString &path, const QList<QPair<QString, QString>> &params,
                            const QString &what, Millis timeout, BodyCallback cb)
{
    QUrl url = m_endpoint.baseUrl;
    QString base = url.path();
    if (!base.endsWith(QLatin1Char('/')))
        base += QLatin1Char('/');
    url.setPath(base + path);
    // Encoded by hand: QUrlQuery leaves '+' as it is, which the server reads as a space.
    QStringList pairs;
    for (const auto &[k, v] : params)
        pairs << k + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(v));
    url.setQuery(pairs.join(QLatin1Char('&')), QUrl::StrictMode);
    url.setUserInfo(QString());
    const QString host = http::hostOf(m_endpoint.baseUrl);

    QNetworkRequest req(url);
    req.setRawHeader("Accept", "application/json");
    if (!m_endpoint.user.isEmpty())
        req.setRawHeader("Authorization",
                         http::basicAuthorization(m_endpoint.user, m_endpoint.secret));
    else if (!m_endpoint.secret.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_endpoint.secret.toUtf8());
    if (url.scheme() == QLatin1String("https")) {
        auto tls = http::tlsConfiguration(m_endpoint.caFile, m_endpoint.certFile,
                                          m_endpoint.keyFile, m_endpoint.verifyPeer, what, host);
        if (!tls.ok()) {
            callLater(this, [cb, e = tls.error(), what, host] { cb(e, what, host); });
            return;
        }
        req.setSslConfiguration(tls.value());
        http::useTlsSettings(m_nam, url,
                             (m_endpoint.caFile + QLatin1Char('\n') + m_endpoint.certFile +
                              QLatin1Char('\n') + m_endpoint.keyFile +
                              (m_endpoint.verifyPeer ? QLatin1Char('1') : QLatin1Char('0')))
                                 .toUtf8());
    }
    const QUrl shown = m_endpoint.baseUrl;
    http::send(m_nam, req, "GET", {}, timeout, this,
               [cb, what, host, shown, timeout](const http::Outcome &out) {
                   if (!out.answered())
                       cb(http::transportError(out, what, shown, timeout), what, host);
                   else
                       cb(std::pair<int, QByteArray>(out.status, out.body), what, host);
               });
}

} // namespace vigil::services
