#pragma once

#include "services/core/error.h"
#include "services/patroni/patronitypes.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrl>
#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace vigil::services {

// How to reach one Patroni REST API. The password comes from the keychain (or the session) and
// lives in memory only.
struct PatroniEndpoint
{
    QUrl baseUrl; // http(s)://host:port
    QString user; // basic auth for unsafe methods (Patroni's restapi.authentication)
    QString password;
    QString caFile;   // PEM, for https
    QString certFile; // client certificate (PEM), optional
    QString keyFile;  // its key (PEM), optional
    bool verifyPeer = true;
};

// The result of a successful (2xx) action call (POST/PATCH/DELETE): Patroni's status code and
// its body verbatim, which is plain text for most answers ("reload scheduled", "Switchover
// scheduled", 'Successfully switched over to "node2"') and JSON for PATCH /config (the new
// configuration). Failures are error Results; see PatroniClient.
struct PatroniActionResult
{
    int httpStatus = 0;
    QString body;
    bool accepted() const { return httpStatus == 200 || httpStatus == 202; }
};

// Patroni's REST API over the application's one QNetworkAccessManager. Asynchronous: every call
// returns at once and calls its callback exactly once on the manager's thread, within the
// timeout (a transfer timeout on every request plus a guard timer; never a nested event loop).
// Callbacks never run inside the call itself, not even for an error found before sending. If
// the client is destroyed first, its requests are aborted and their callbacks are not called.
// The manager must outlive the client (the client owns its in-flight replies).
//
// Authentication: the Authorization header (basic auth) is added by the client itself to the
// unsafe methods (POST, PATCH, DELETE) when `endpoint.user` is set, never to GETs; QNAM's
// authenticationRequired is not used. Credentials are never logged nor put in URLs or messages.
// HTTPS: `caFile` replaces the system roots, `certFile`/`keyFile` give a client certificate, and
// `verifyPeer` switches verification; a TLS file that cannot be read is a Connect error.
//
// Errors (the decision): an action answered with anything but 2xx arrives as an ERROR Result,
// never as a PatroniActionResult. Nothing is swallowed: ServiceError.code is the HTTP status
// and ServiceError.message quotes Patroni's answer verbatim (for Python's HTML error pages,
// their "Message:" line) followed by our explanation:
//   401/403 → Auth ("the Patroni REST user or password is wrong or missing; set it in the
//             cluster profile"), 412 → Refused (e.g. "candidate does not exists": Patroni's own
//             spelling), 409 → Refused (conflict, or already scheduled), 503 → Refused,
//   400/422 → Http ("the request was not accepted"), 404 and others → Http.
// Transport failures: Connect (refused, DNS, TLS) or Timeout, naming the URL. Reads (GET
// /cluster, ...) answered with a non-200 status are Http (or Auth) errors; bodies that cannot be
// understood are Parse errors (see patronitypes.h). Health endpoints are the exception: their
// status code IS the answer. Preventing double submissions is the caller's job.
class PatroniClient : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;
    template <typename T> using Callback = std::function<void(const Result<T> &)>;

    PatroniClient(QNetworkAccessManager *nam, PatroniEndpoint endpoint, QObject *parent = nullptr);

    const PatroniEndpoint &endpoint() const { return m_endpoint; }
    void setTimeout(Millis timeout) { m_timeout = timeout; }
    Millis timeout() const { return m_timeout; }
    // Actions that make Patroni wait before it answers use this longer deadline: an immediate
    // switchover or failover (Patroni polls for the new leader for up to ~20 s), and an
    // immediate restart (it waits for PostgreSQL; a "timeout" option extends the deadline).
    void setLongActionTimeout(Millis timeout) { m_longTimeout = timeout; }
    Millis longActionTimeout() const { return m_longTimeout; }

    // Reads
    void getCluster(Callback<PatroniCluster> cb);
    void getPatroni(Callback<PatroniNodeStatus> cb);
    void getHistory(Callback<QList<PatroniHistoryEntry>> cb);
    void getConfig(Callback<PatroniConfig> cb);
    // Health endpoints: the status code is the answer (200 yes, 503 no). Result<int> holds the
    // status code; only a transport failure is an error.
    void getHealth(Callback<int> cb);
    void getPrimary(Callback<int> cb);
    void getReplica(Callback<int> cb);

    // Actions (for the wizards). `scheduledAt` empty = now. Each gives Patroni's code and text.
    void switchover(const QString &leader, const QString &candidate, const QDateTime &scheduledAt,
                    Callback<PatroniActionResult> cb);
    void cancelScheduledSwitchover(Callback<PatroniActionResult> cb);          // DELETE /switchover
    void failover(const QString &candidate, Callback<PatroniActionResult> cb); // POST /failover
    void restart(const QJsonObject &options, Callback<PatroniActionResult> cb); // POST /restart
    void cancelScheduledRestart(Callback<PatroniActionResult> cb);              // DELETE /restart
    void reload(Callback<PatroniActionResult> cb);                              // POST /reload
    void reinitialize(bool force, Callback<PatroniActionResult> cb); // POST /reinitialize
    void patchConfig(const QJsonObject &patch, Callback<PatroniActionResult> cb); // PATCH /config

private:
    using RawCallback =
        std::function<void(int status, const QByteArray &body, const ServiceError &)>;
    void request(const QByteArray &verb, const QString &path, const QByteArray &body,
                 bool authenticated, RawCallback cb);
    void request(const QByteArray &verb, const QString &path, const QByteArray &body,
                 bool authenticated, Millis timeout, RawCallback cb);
    void action(const QByteArray &verb, const QString &path, const QJsonObject *json,
                Millis timeout, Callback<PatroniActionResult> cb);

    QNetworkAccessManager *m_nam;
    PatroniEndpoint m_endpoint;
    Millis m_timeout{2000};
    Millis m_longTimeout{40000};
};

} // namespace vigil::services
