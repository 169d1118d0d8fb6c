#include "services/metrics/prometheustypes.h"

#include "services/core/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <limits>

namespace vigil::services {

QString promSelector(const QString &metric, const QString &matchers, const QString &extraMatchers)
{
    QStringList parts;
    if (!extraMatchers.isEmpty())
        parts << extraMatchers;
    if (!matchers.isEmpty())
        parts << matchers;
    return parts.isEmpty() ? metric
                           : QStringLiteral("%1{%2}").arg(metric, parts.join(QLatin1Char(',')));
}

PrometheusEndpoint PrometheusEndpoint::fromSettings(const PrometheusSettings &settings,
                                                    const QString &secret)
{
    PrometheusEndpoint e;
    e.baseUrl = settings.url;
    e.matchers = settings.matchers.trimmed();
    e.user = settings.user;
    e.secret = secret;
    e.caFile = settings.caFile;
    e.certFile = settings.certFile;
    e.keyFile = settings.keyFile;
    e.verifyPeer = settings.verifyPeer;
    return e;
}

qint64 PromRangeQuery::maxPoints() const
{
    if (endMs < startMs || stepSeconds <= 0)
        return 0;
    return (endMs - startMs) / (qint64(stepSeconds) * 1000) + 1;
}

int stepForPixels(qint64 spanMs, int pixels)
{
    if (spanMs <= 0)
        return 1;
    // n points span (n - 1) steps: (span / step) + 1 <= pixels.
    const qint64 intervals = qMax(1, pixels - 1);
    const qint64 stepMs = (spanMs + intervals - 1) / intervals;
    return int(qMax<qint64>(1, (stepMs + 999) / 1000));
}

namespace {

// [1733316000.123, "42.5"]: Prometheus sends the time as seconds and the value as a string
// (so that NaN and +Inf survive JSON).
bool readPoint(const QJsonValue &v, QPointF *out)
{
    const QJsonArray pair = v.toArray();
    if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isString())
        return false;
    const QString text = pair.at(1).toString();
    bool ok = false;
    double value = text.toDouble(&ok);
    if (!ok) {
        if (text == QLatin1String("NaN"))
            value = std::numeric_limits<double>::quiet_NaN();
        else if (text == QLatin1String("+Inf"))
            value = std::numeric_limits<double>::infinity();
        else if (text == QLatin1String("-Inf"))
            value = -std::numeric_limits<double>::infinity();
        else
            return false;
    }
    *out = QPointF(std::round(pair.at(0).toDouble() * 1000.0), value);
    return true;
}

ServiceError parseError(const QString &what, const QString &host, const QString &message)
{
    return ServiceError::make(ServiceError::Kind::Parse, what, host, QString(), message);
}

Result<QList<PromSeries>> readResult(const QJsonObject &data, const QString &what,
                                     const QString &host)
{
    const QString type = data.value(QStringLiteral("resultType")).toString();
    const QJsonValue result = data.value(QStringLiteral("result"));
    QList<PromSeries> out;
    if (type == QLatin1String("scalar")) {
        PromSeries s;
        QPointF p;
        if (!readPoint(result, &p))
            return parseError(what, host, Tr::tr("The scalar result is not [time, \"value\"]."));
        s.points.append(p);
        out.append(s);
        return out;
    }
    if (type != QLatin1String("matrix") && type != QLatin1String("vector"))
        return parseError(what, host,
                          Tr::tr("The result type \"%1\" is not a matrix or vector.").arg(type));
    const bool matrix = type == QLatin1String("matrix");
    for (const QJsonValue &item : result.toArray()) {
        const QJsonObject o = item.toObject();
        PromSeries s;
        const QJsonObject metric = o.value(QStringLiteral("metric")).toObject();
        for (auto it = metric.begin(); it != metric.end(); ++it)
            s.labels.insert(it.key(), it.value().toString());
        const QJsonArray values = matrix ? o.value(QStringLiteral("values")).toArray()
                                         : QJsonArray{o.value(QStringLiteral("value"))};
        s.points.reserve(values.size());
        for (const QJsonValue &v : values) {
            QPointF p;
            if (!readPoint(v, &p))
                return parseError(what, host,
                                  Tr::tr("A sample of %1 is not [time, \"value\"].")
                                      .arg(JsonFields::describe(v)));
            s.points.append(p);
        }
        out.append(s);
    }
    return out;
}

} // namespace

Result<QList<PromSeries>> parsePrometheusAnswer(int status, const QByteArray &body,
                                                const QString &what, const QString &host)
{
    const QString code = QString::number(status);
    if (status == 401 || status == 403)
        return ServiceError::make(
            ServiceError::Kind::Auth, what, host, code,
            Tr::tr("Prometheus refused the credentials (HTTP %1): check the user and the password "
                   "or bearer token of the profile's Prometheus.")
                .arg(status));
    QJsonParseError jsonError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &jsonError);
    const QJsonObject root = doc.object();
    const QString state = root.value(QStringLiteral("status")).toString();
    if (jsonError.error != QJsonParseError::NoError || !doc.isObject() || state.isEmpty()) {
        if (status < 200 || status >= 300)
            return ServiceError::make(ServiceError::Kind::Http, what, host, code,
                                      QString::fromUtf8(body.left(300)).trimmed());
        return parseError(what, host,
                          Tr::tr("The answer is not a Prometheus API answer (%1).")
                              .arg(jsonError.error != QJsonParseError::NoError
                                       ? jsonError.errorString()
                                       : Tr::tr("no \"status\" field")));
    }
    if (state != QLatin1String("success"))
        // Quoted verbatim: "bad_data: 1:7: parse error: unexpected ..." names the fault.
        return ServiceError::make(
            ServiceError::Kind::Query, what, host, code,
            QStringLiteral("%1: %2").arg(root.value(QStringLiteral("errorType")).toString(),
                                         root.value(QStringLiteral("error")).toString()));
    return readResult(root.value(QStringLiteral("data")).toObject(), what, host);
}

Result<QList<ExternalAlert>> parseAlertmanagerAlerts(int status, const QByteArray &body,
                                                     const QString &what, const QString &host)
{
    const QString code = QString::number(status);
    if (status == 401 || status == 403)
        return ServiceError::make(
            ServiceError::Kind::Auth, what, host, code,
            Tr::tr("Alertmanager refused the credentials (HTTP %1): it is asked with the "
                   "profile's Prometheus user and password or bearer token.")
                .arg(status));
    QJsonParseError jsonError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &jsonError);
    if (status == 400)
        // Alertmanager's own words, a JSON string: "bad matcher format: scope=(".
        return ServiceError::make(ServiceError::Kind::Query, what, host, code,
                                  QJsonDocument::fromJson("[" + body + "]")
                                      .array()
                                      .at(0)
                                      .toString(QString::fromUtf8(body.left(300)).trimmed()));
    if (status < 200 || status >= 300)
        return ServiceError::make(ServiceError::Kind::Http, what, host, code,
                                  QString::fromUtf8(body.left(300)).trimmed());
    if (jsonError.error != QJsonParseError::NoError || !doc.isArray())
        return parseError(what, host,
                          Tr::tr("The answer is not a list of Alertmanager alerts (%1).")
                              .arg(jsonError.error != QJsonParseError::NoError
                                       ? jsonError.errorString()
                                       : Tr::tr("not a JSON array")));
    QList<ExternalAlert> out;
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        ExternalAlert a;
        const QJsonObject labels = o.value(QStringLiteral("labels")).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            a.labels.insert(it.key(), it.value().toString());
        const QJsonObject notes = o.value(QStringLiteral("annotations")).toObject();
        a.name = a.labels.value(QStringLiteral("alertname"));
        if (a.name.isEmpty())
            return parseError(what, host, Tr::tr("An alert has no \"alertname\" label."));
        a.severity = a.labels.value(QStringLiteral("severity"));
        a.summary = notes.value(QStringLiteral("summary")).toString();
        if (a.summary.isEmpty())
            a.summary = notes.value(QStringLiteral("description")).toString(a.name);
        a.member =
            a.labels.value(QStringLiteral("member"), a.labels.value(QStringLiteral("instance")));
        a.startsAt = QDateTime::fromString(o.value(QStringLiteral("startsAt")).toString(),
                                           Qt::ISODateWithMs);
        a.fingerprint = o.value(QStringLiteral("fingerprint")).toString();
        a.generatorUrl = o.value(QStringLiteral("generatorURL")).toString();
        out.append(a);
    }
    return out;
}

QStringList splitMatchers(const QString &matchers)
{
    QStringList out;
    QString current;
    bool quoted = false;
    for (int i = 0; i < matchers.size(); ++i) {
        const QChar c = matchers.at(i);
        if (c == QLatin1Char('\\') && quoted && i + 1 < matchers.size()) {
            current += c;
            current += matchers.at(++i);
            continue;
        }
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        if (c == QLatin1Char(',') && !quoted) {
            if (!current.trimmed().isEmpty())
                out << current.trimmed();
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

} // namespace vigil::services
