#include "services/patroni/patroniclient.h"

#include "services/core/version.h"
#include "services/http/httpcall.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>

namespace vigil::services {

namespace {

using Kind = ServiceError::Kind;
using Raw = std::function<void(int status, const QByteArray &body, const ServiceError &)>;

QString quoted(const QByteArray &body)
{
    const QString text = http::readableBody(body);
    return text.isEmpty() ? Tr::tr("(an empty answer)") : Tr::tr("“%1”").arg(text);
}

// Patroni's non-success answer to an action, as an error that keeps its text verbatim.
ServiceError actionError(const QString &what, const QString &host, int status,
                         const QByteArray &body)
{
    const QString code = QString::number(status);
    const QString text = quoted(body);
    switch (status) {
    case 401:
        return ServiceError::make(Kind::Auth, what, host, code,
                                  Tr::tr("Patroni answered %1: the Patroni REST user or password "
                                         "is wrong or missing; set it in the cluster profile.")
                                      .arg(text));
    case 403:
        return ServiceError::make(Kind::Auth, what, host, code,
                                  Tr::tr("Patroni answered %1: access was denied. The Patroni REST "
                                         "user or password is wrong or missing, or the REST API "
                                         "accepts only allowed addresses or client "
                                         "certificates; check the cluster profile.")
                                      .arg(text));
    case 412:
        return ServiceError::make(Kind::Refused, what, host, code,
                                  Tr::tr("Patroni refused: %1. Before a switchover or failover "
                                         "Patroni checks the leader and candidate names and that "
                                         "a healthy candidate exists; nothing was changed.")
                                      .arg(text));
    case 409:
        return ServiceError::make(Kind::Refused, what, host, code,
                                  Tr::tr("Patroni refused: %1. Something else changed the same "
                                         "state at the same time, or it is already scheduled; "
                                         "refresh and try again.")
                                      .arg(text));
    case 503:
        return ServiceError::make(Kind::Refused, what, host, code,
                                  Tr::tr("Patroni could not do it: %1.").arg(text));
    case 400:
    case 422:
        return ServiceError::make(Kind::Http, what, host, code,
                                  Tr::tr("The request was not accepted: %1.").arg(text));
    default:
        return ServiceError::make(Kind::Http, what, host, code,
                                  Tr::tr("Patroni answered %1 with %2.").arg(code, text));
    }
}

// A read (GET) that did not answer 200.
ServiceError readError(const QString &what, const QString &host, int status, const QByteArray &body)
{
    if (status == 401 || status == 403)
        return actionError(what, host, status, body);
    return ServiceError::make(Kind::Http, what, host, QString::number(status),
                              Tr::tr("Patroni answered %1 instead of the expected data: %2.")
                                  .arg(QString::number(status), quoted(body)));
}

template <typename T>
Raw readHandler(const QString &what, const QString &host, PatroniClient::Callback<T> cb,
                Result<T> (*parse)(const QByteArray &))
{
    return [what, host, cb = std::move(cb), parse](int status, const QByteArray &body,
                                                   const ServiceError &error) {
        if (error) {
            cb(error);
            return;
        }
        if (status != 200) {
            cb(readError(what, host, status, body));
            return;
        }
        Result<T> parsed = parse(body);
        if (!parsed.ok()) {
            ServiceError e = parsed.error();
            e.what = what;
            e.host = host;
            cb(e);
            return;
        }
        cb(parsed);
    };
}

Raw healthHandler(PatroniClient::Callback<int> cb)
{
    return [cb = std::move(cb)](int status, const QByteArray &, const ServiceError &error) {
        if (error)
            cb(error);
        else
            cb(status);
    };
}

} // namespace

PatroniClient::PatroniClient(QNetworkAccessManager *nam, PatroniEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_endpoint(std::move(endpoint))
{
}

void PatroniClient::request(const QByteArray &verb, const QString &path, const QByteArray &body,
                            bool authenticated, RawCallback cb)
{
    request(verb, path, body, authenticated, m_timeout, std::move(cb));
}

void PatroniClient::request(const QByteArray &verb, const QString &path, const QByteArray &body,
                            bool authenticated, Millis timeout, RawCallback cb)
{
    const QString what = QString::fromLatin1(verb) + QLatin1Char(' ') + path;
    QUrl url = m_endpoint.baseUrl.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery |
                                           QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    url.setPath(url.path() + path);
    const QString host = http::hostOf(url);
    // Errors found before sending still reach the callback asynchronously (see the contract).
    auto failLater = [this, cb](ServiceError e) {
        QTimer::singleShot(0, this, [cb, e] { cb(0, {}, e); });
    };
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        failLater(ServiceError::make(Kind::Connect, what, {}, {},
                                     Tr::tr("The Patroni REST address \"%1\" is not a valid http "
                                            "or https URL.")
                                         .arg(http::displayUrl(m_endpoint.baseUrl))));
        return;
    }

    QNetworkRequest req(url);
    req.setRawHeader("Accept", "application/json, text/plain");
    req.setHeader(QNetworkRequest::UserAgentHeader,
                  QStringLiteral("Vigil/%1").arg(QLatin1String(vigil::kVersion)));
    if (verb != "GET" && verb != "DELETE")
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    // Patroni protects only unsafe methods; GETs never carry the credentials.
    if (authenticated && !m_endpoint.user.isEmpty())
        req.setRawHeader("Authorization",
                         http::basicAuthorization(m_endpoint.user, m_endpoint.password));
    if (scheme == QLatin1String("https")) {
        auto tls = http::tlsConfiguration(m_endpoint.caFile, m_endpoint.certFile,
                                          m_endpoint.keyFile, m_endpoint.verifyPeer, what, host);
        if (!tls.ok()) {
            failLater(tls.error());
            return;
        }
        req.setSslConfiguration(tls.value());
        http::useTlsSettings(m_nam, url,
                             (m_endpoint.caFile + QLatin1Char('\n') + m_endpoint.certFile +
                              QLatin1Char('\n') + m_endpoint.keyFile + QLatin1Char('\n') +
                              (m_endpoint.verifyPeer ? QLatin1Char('1') : QLatin1Char('0')))
                                 .toUtf8());
    }

    http::send(m_nam, req, verb, body, timeout, this,
               [cb, what, url, timeout](const http::Outcome &out) {
                   if (!out.answered()) {
                       cb(0, {}, http::transportError(out, what, url, timeout));
                       return;
                   }
                   cb(out.status, out.body, ServiceError());
               });
}

void PatroniClient::action(const QByteArray &verb, const QString &path, const QJsonObject *json,
                           Millis timeout, Callback<PatroniActionResult> cb)
{
    const QString what = QString::fromLatin1(verb) + QLatin1Char(' ') + path;
    const QUrl base = m_endpoint.baseUrl;
    const QByteArray body =
        json ? QJsonDocument(*json).toJson(QJsonDocument::Compact) : QByteArray();
    request(verb, path, body, true, timeout,
            [cb = std::move(cb), what, base](int status, const QByteArray &answer,
                                             const ServiceError &error) {
                if (error) {
                    cb(error);
                    return;
                }
                if (status >= 200 && status < 300) {
                    PatroniActionResult r;
                    r.httpStatus = status;
                    r.body = QString::fromUtf8(answer);
                    cb(r);
                    return;
                }
                cb(actionError(what, http::hostOf(base), status, answer));
            });
}

void PatroniClient::getCluster(Callback<PatroniCluster> cb)
{
    request("GET", QStringLiteral("/cluster"), {}, false,
            readHandler<PatroniCluster>(QStringLiteral("GET /cluster"),
                                        http::hostOf(m_endpoint.baseUrl), std::move(cb),
                                        &parsePatroniCluster));
}

void PatroniClient::getPatroni(Callback<PatroniNodeStatus> cb)
{
    request("GET", QStringLiteral("/patroni"), {}, false,
            readHandler<PatroniNodeStatus>(QStringLiteral("GET /patroni"),
                                           http::hostOf(m_endpoint.baseUrl), std::move(cb),
                                           &parsePatroniNodeStatus));
}

void PatroniClient::getHistory(Callback<QList<PatroniHistoryEntry>> cb)
{
    request("GET", QStringLiteral("/history"), {}, false,
            readHandler<QList<PatroniHistoryEntry>>(QStringLiteral("GET /history"),
                                                    http::hostOf(m_endpoint.baseUrl), std::move(cb),
                                                    &parsePatroniHistory));
}

void PatroniClient::getConfig(Callback<PatroniConfig> cb)
{
    request("GET", QStringLiteral("/config"), {}, false,
            readHandler<PatroniConfig>(QStringLiteral("GET /config"),
                                       http::hostOf(m_endpoint.baseUrl), std::move(cb),
                                       &parsePatroniConfig));
}

void PatroniClient::getHealth(Callback<int> cb)
{
    request("GET", QStringLiteral("/health"), {}, false, healthHandler(std::move(cb)));
}

void PatroniClient::getPrimary(Callback<int> cb)
{
    request("GET", QStringLiteral("/primary"), {}, false, healthHandler(std::move(cb)));
}

void PatroniClient::getReplica(Callback<int> cb)
{
    request("GET", QStringLiteral("/replica"), {}, false, healthHandler(std::move(cb)));
}

void PatroniClient::switchover(const QString &leader, const QString &candidate,
                               const QDateTime &scheduledAt, Callback<PatroniActionResult> cb)
{
    QJsonObject body{{QStringLiteral("leader"), leader}};
    if (!candidate.isEmpty())
        body.insert(QStringLiteral("candidate"), candidate);
    const bool scheduled = scheduledAt.isValid();
    // Always with an explicit offset (Patroni refuses a schedule without one: 400), written the
    // way Patroni writes its own timestamps: UTC, "+00:00".
    if (scheduled)
        body.insert(QStringLiteral("scheduled_at"),
                    scheduledAt.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz")) +
                        QStringLiteral("+00:00"));
    // A scheduled switchover is only written to the DCS; an immediate one makes Patroni wait
    // for the new leader before it answers.
    action("POST", QStringLiteral("/switchover"), &body, scheduled ? m_timeout : m_longTimeout,
           std::move(cb));
}

void PatroniClient::cancelScheduledSwitchover(Callback<PatroniActionResult> cb)
{
    action("DELETE", QStringLiteral("/switchover"), nullptr, m_timeout, std::move(cb));
}

void PatroniClient::failover(const QString &candidate, Callback<PatroniActionResult> cb)
{
    const QJsonObject body{{QStringLiteral("candidate"), candidate}};
    action("POST", QStringLiteral("/failover"), &body, m_longTimeout, std::move(cb));
}

void PatroniClient::restart(const QJsonObject &options, Callback<PatroniActionResult> cb)
{
    Millis timeout = m_timeout;
    if (!options.contains(QStringLiteral("schedule"))) {
        // Immediate: Patroni answers once PostgreSQL is back (or its own timeout passed).
        timeout = m_longTimeout;
        const qint64 seconds = options.value(QStringLiteral("timeout")).toInteger(0);
        if (seconds > 0)
            timeout = std::max(timeout, Millis((seconds + 10) * 1000));
    }
    action("POST", QStringLiteral("/restart"), &options, timeout, std::move(cb));
}

void PatroniClient::cancelScheduledRestart(Callback<PatroniActionResult> cb)
{
    action("DELETE", QStringLiteral("/restart"), nullptr, m_timeout, std::move(cb));
}

void PatroniClient::reload(Callback<PatroniActionResult> cb)
{
    action("POST", QStringLiteral("/reload"), nullptr, m_timeout, std::move(cb));
}

void PatroniClient::reinitialize(bool force, Callback<PatroniActionResult> cb)
{
    const QJsonObject body{{QStringLiteral("force"), force}};
    action("POST", QStringLiteral("/reinitialize"), &body, m_timeout, std::move(cb));
}

void PatroniClient::patchConfig(const QJsonObject &patch, Callback<PatroniActionResult> cb)
{
    action("PATCH", QStringLiteral("/config"), &patch, m_timeout, std::move(cb));
}

} // namespace vigil::services
