#pragma once

#include "services/core/error.h"
#include "services/settings/prometheussettings.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>
#include <QUrl>

namespace vigil::services {

// Where a profile's Prometheus is and how to reach it. `secret` is the basic-auth password when
// `user` is set, else a bearer token (empty: no authentication); it comes from the keychain
// (SecretStore::Slot::Prometheus), never from settings.
struct PrometheusEndpoint
{
    QUrl baseUrl;     // http(s)://host:port[/prefix]; the API lives under /api/v1/
    QString matchers; // label matchers selecting the cluster, without braces: scope="hokm-ha"
    QString user;
    QString secret;
    QString caFile, certFile, keyFile;
    bool verifyPeer = true;

    bool isSet() const { return baseUrl.isValid() && !baseUrl.isEmpty(); }
    static PrometheusEndpoint fromSettings(const PrometheusSettings &settings,
                                           const QString &secret);
};

// One series of a query answer: its labels and its points (x: ms since the epoch, y: value;
// NaN and infinities as Prometheus sent them).
struct PromSeries
{
    QMap<QString, QString> labels;
    QList<QPointF> points;
};

// A range query: `expr` evaluated every `stepSeconds` from startMs to endMs (both inclusive).
struct PromRangeQuery
{
    QString expr;
    qint64 startMs = 0;
    qint64 endMs = 0;
    int stepSeconds = 1;

    // How many points each series can have at most.
    qint64 maxPoints() const;
};

// The step (whole seconds, >= 1) that keeps a range of `spanMs` at no more than `pixels` points
// per series: Prometheus gives one point at start and one every step up to end.
int stepForPixels(qint64 spanMs, int pixels);

// One active alert as an Alertmanager holds it (GET /api/v2/alerts), whoever's rules raised it.
struct ExternalAlert
{
    QString name;     // labels.alertname
    QString severity; // labels.severity as the rule set it ("critical", "warning", ...); may be ""
    QString summary;  // annotations.summary, else .description, else the alert's name
    QString member;   // labels.member, else labels.instance; may be empty
    QMap<QString, QString> labels;
    QDateTime startsAt;
    QString fingerprint;
    QString generatorUrl; // the rule's expression in its Prometheus
};

// Parses an answer of Alertmanager's GET /api/v2/alerts with its HTTP status: an array of
// alerts; Alertmanager's 400 (a JSON string such as "bad matcher format: ...") a Query error
// quoting it; 401/403 an Auth error; another non-2xx an Http error; a malformed success a Parse
// error.
Result<QList<ExternalAlert>> parseAlertmanagerAlerts(int httpStatus, const QByteArray &body,
                                                     const QString &what, const QString &host);

// The profile's matchers one by one: `scope="a,b",member=~"node.*"` → `scope="a,b"`,
// `member=~"node.*"` (commas inside quotes kept; blanks around each trimmed).
QStringList splitMatchers(const QString &matchers);

// A series selector: `metric{extra,matchers}`; `{matchers}` for an empty metric; just `metric`
// when there are no matchers at all. Matchers and extra without braces, either may be empty.
QString promSelector(const QString &metric, const QString &matchers,
                     const QString &extraMatchers = {});

// Parses an answer of /api/v1/query_range (matrix) or /api/v1/query (vector or scalar) with its
// HTTP status. Prometheus's own errors ({"status":"error","errorType":...,"error":...}, HTTP 400
// for a bad matcher or expression, 422 or 503 for an execution failure or timeout) become a Query
// error quoting its message; 401/403 (an authenticating proxy or web.config) an Auth error; any
// other non-JSON answer an Http error quoting the body; a malformed success a Parse error.
// `what` and `host` name the request in the error.
Result<QList<PromSeries>> parsePrometheusAnswer(int httpStatus, const QByteArray &body,
                                                const QString &what, const QString &host);

} // namespace vigil::services
