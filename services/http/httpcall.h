#pragma once

#include "services/core/error.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QUrl>
#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QObject;

// Private helpers shared by PatroniClient and HaproxyStatsClient: one HTTP exchange over the
// application's QNetworkAccessManager with a deadline, and the mapping of transport failures to
// ServiceError. Not part of the services contract; other layers do not include this file.
namespace vigil::services::http {

// What came back from one exchange. Either an HTTP answer (status != 0, body as received) or a
// transport failure (status == 0, `error` set, `timedOut` when the deadline passed).
struct Outcome
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorText; // Qt's description of a transport failure (never contains credentials)
    // Why the server's certificate was not accepted (QNetworkReply::sslErrors), when it was not.
    QList<QSslError> sslErrors;
    bool timedOut = false;
    qint64 elapsedMs = 0;
    bool presentedClientCertificate = false; // the request's TLS configuration carried one

    bool answered() const { return status != 0 && !timedOut; }
};

using Handler = std::function<void(const Outcome &)>;

// Sends `verb` with `body` (may be empty). `handler` runs exactly once, on the manager's thread,
// no later than about `timeout` after the call: a precise guard timer aborts it at `timeout` in
// total, and the request also carries a transfer timeout slightly above `timeout` as Qt's own
// backstop (a transfer timeout alone restarts whenever bytes arrive, so a trickling server
// could run on, and Qt's coarse timer may fire up to 5 % early). The reply is owned by `owner`: if
// `owner` is destroyed first, the request is aborted and `handler` is NOT called (the usual Qt
// context-object rule; callers capture state owned by it).
void send(QNetworkAccessManager *nam, QNetworkRequest request, const QByteArray &verb,
          const QByteArray &body, std::chrono::milliseconds timeout, QObject *owner,
          Handler handler);

// "host:port" of a URL (never its user info), for ServiceError::host.
QString hostOf(const QUrl &url);
// The URL as shown to people: without user info, password, query or fragment.
QString displayUrl(const QUrl &url);

// A transport failure as a ServiceError (Connect or Timeout) naming the URL; kind None when the
// exchange got an HTTP answer.
ServiceError transportError(const Outcome &outcome, const QString &what, const QUrl &url,
                            std::chrono::milliseconds timeout);

// Why a server certificate was refused, for a person: one sentence per distinct reason, naming
// the certificate's names (and the `host` name connected to), its validity dates or issuer as
// the reason needs, and what to change; the caller's sentence names the URL. Never suggests
// ignoring the error.
QString describeSslErrors(const QList<QSslError> &errors, const QString &host);

// The text of an answer body for a person: trimmed, and for the HTML error pages that Python's
// http.server sends (Patroni's send_error) the "Message:" and "explanation" lines only.
QString readableBody(const QByteArray &body);

// "Basic base64(user:password)".
QByteArray basicAuthorization(const QString &user, const QString &password);

// QNetworkAccessManager caches one connection object per scheme://host:port and applies the TLS
// configuration of the request that created it to every later request of that key (Qt 6.4,
// qhttpthreaddelegate.cpp), so a changed CA file or verify setting would be ignored while the
// old connection is cached. Call this before every https request with a key that identifies
// its TLS settings: when they differ from the last ones seen for that host and manager, the
// manager's connection cache is cleared.
void useTlsSettings(QNetworkAccessManager *nam, const QUrl &url, const QByteArray &settingsKey);

// TLS settings for an https endpoint: the CA file (PEM) as the only trusted roots when given,
// an optional client certificate and key (PEM), and peer verification on or off. A file that
// cannot be read or holds no certificate/key is a Connect error that names the file.
Result<QSslConfiguration> tlsConfiguration(const QString &caFile, const QString &certFile,
                                           const QString &keyFile, bool verifyPeer,
                                           const QString &what, const QString &host);

} // namespace vigil::services::http
