#pragma once

#include "error.h"
#include "patronitypes.h"

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
    QUrl baseUrl;         // http(s)://host:port
    QString user;         // basic auth for unsafe methods (Patroni's restapi.authentication)
    QString password;
    QString caFile;       // PEM, for https
    QString certFile;     // client certificate (PEM), optional
    QString keyFile;      // its key (PEM), optional
    bool verifyPeer = true;
};

// The result of an action call (POST/PATCH/DELETE): Patroni's status code and its body, which
// is plain text (not JSON) for most answers; `message` is the body trimmed, or our explanation.
struct PatroniActionResult
{
    int httpStatus = 0;
    QString body;
    bool accepted() const { return httpStatus == 200 || httpStatus == 202; }
};

// Patroni's REST API over the application's one QNetworkAccessManager. Asynchronous: every call
// returns at once and calls its callback exactly once on the manager's thread, within the
// timeout (a transfer timeout on every request; never a nested event loop).
//
// Status codes become clear messages: 401/403 → Auth ("the REST user or password is wrong"),
// 412 → Refused with Patroni's text and an explanation (e.g. "candidate does not exist"),
// 503 → Refused/Http with Patroni's text, 400/422 → the request was malformed, with the body.
class PatroniClient : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;
    template <typename T>
    using Callback = std::function<void(const Result<T> &)>;

    PatroniClient(QNetworkAccessManager *nam, PatroniEndpoint endpoint, QObject *parent = nullptr);

    const PatroniEndpoint &endpoint() const { return m_endpoint; }
    void setTimeout(Millis timeout) { m_timeout = timeout; }
    Millis timeout() const { return m_timeout; }

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
    void cancelScheduledRestart(Callback<PatroniActionResult> cb);             // DELETE /restart
    void reload(Callback<PatroniActionResult> cb);                             // POST /reload
    void reinitialize(bool force, Callback<PatroniActionResult> cb);           // POST /reinitialize
    void patchConfig(const QJsonObject &patch, Callback<PatroniActionResult> cb); // PATCH /config

private:
    using RawCallback = std::function<void(int status, const QByteArray &body, const ServiceError &)>;
    void request(const QByteArray &verb, const QString &path, const QByteArray &body,
                 bool authenticated, RawCallback cb);

    QNetworkAccessManager *m_nam;
    PatroniEndpoint m_endpoint;
    Millis m_timeout{2000};
};

} // namespace vigil::services
