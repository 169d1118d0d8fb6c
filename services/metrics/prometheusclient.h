#pragma once

#include "services/metrics/prometheustypes.h"

#include <QObject>
#include <QSet>
#include <chrono>
#include <functional>

class QNetworkAccessManager;

namespace vigil::services {

// Prometheus's HTTP API (/api/v1/query_range, /api/v1/query), and Alertmanager's active alerts
// (/api/v2/alerts) with an Alertmanager's endpoint, over the application's one
// QNetworkAccessManager, every request with a deadline. Basic auth or a bearer token and TLS as
// the endpoint says. Callbacks run once, on the thread this object lives on (the UI thread), and
// are dropped if the client is destroyed first. Never blocks.
class PrometheusClient : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;
    using SeriesCallback = std::function<void(const Result<QList<PromSeries>> &)>;
    static constexpr Millis kDefaultTimeout{10000};

    PrometheusClient(QNetworkAccessManager *nam, PrometheusEndpoint endpoint,
                     QObject *parent = nullptr);

    const PrometheusEndpoint &endpoint() const { return m_endpoint; }

    void queryRange(const PromRangeQuery &query, SeriesCallback cb,
                    Millis timeout = kDefaultTimeout);
    void query(const QString &expr, SeriesCallback cb, Millis timeout = kDefaultTimeout);

    // Which of `metrics` each of `members` has (with the endpoint's matchers and a label
    // member="NAME"), from one instant query. The answer lists what is missing as
    // "node2: pg_stat_database_xact_commit", sorted; empty when everything is there.
    using MissingCallback = std::function<void(const Result<QStringList> &)>;
    void checkSeries(const QStringList &members, const QStringList &metrics, MissingCallback cb,
                     Millis timeout = kDefaultTimeout);

    // Alertmanager's active alerts (GET /api/v2/alerts, neither silenced nor inhibited) that match
    // the endpoint's matchers: for a client whose endpoint is an Alertmanager's.
    using AlertsCallback = std::function<void(const Result<QList<ExternalAlert>> &)>;
    void alerts(AlertsCallback cb, Millis timeout = kDefaultTimeout);

    // `{scope="x"}` for a selector with no other matchers; ',scope="x"' to append; "" when none.
    QString selector(const QString &metric, const QString &extraMatchers = {}) const;

private:
    void get(const QString &path, const QList<QPair<QString, QString>> &params, const QString &what,
             SeriesCallback cb, Millis timeout);
    // GET `path` under the endpoint with its auth, TLS and the deadline: the status and body of
    // whatever answered, else the transport's error; `what` and the host name the request.
    using BodyCallback = std::function<void(const Result<std::pair<int, QByteArray>> &,
                                            const QString &what, const QString &host)>;
    void send(const QString &path, const QList<QPair<QString, QString>> &params,
              const QString &what, Millis timeout, BodyCallback cb);

    QNetworkAccessManager *m_nam;
    PrometheusEndpoint m_endpoint;
};

} // namespace vigil::services
