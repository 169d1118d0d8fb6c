#include "services/http/httpcall.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>
#include <memory>

Q_LOGGING_CATEGORY(lcVigilHttp, "vigil.services.http", QtWarningMsg)

namespace vigil::services::http {

namespace {

// Bodies are shown to people in dialogs and logs; a runaway answer is cut here.
constexpr int kMaxReadableChars = 4000;

struct Exchange
{
    Handler handler;
    QElapsedTimer clock;
    bool guardFired = false;
    QList<QSslError> sslErrors;
    QByteArray received;       // the body read so far (unframed https answers only)
    bool bodyComplete = false; // the answer was ended by us, complete (see endUnframedAnswers)
};

// How long an unframed https answer must stay quiet before it counts as complete.
constexpr int kQuietMs = 60;

// Patroni answers with HTTP/1.0 and no Content-Length: the body ends when the connection does.
// Over TLS, Patroni then waits (SSLSocket.unwrap) for the client's close_notify before closing
// the TCP connection, and Qt 6.4 never sends one: it waits for the TCP close, so the reply would
// never finish and every https request would run into its deadline. For such answers (https,
// a status, no Content-Length) this reads the body as it arrives, and once a body is there that
// is whole (non-empty, and valid JSON when the answer says JSON; Patroni writes it in one piece)
// and nothing more came for kQuietMs, it ends the exchange itself: the reply is aborted (which
// closes the connection) and the body read so far is the answer.
void endUnframedAnswers(QNetworkReply *reply, const std::shared_ptr<Exchange> &exchange)
{
    if (reply->url().scheme() != QLatin1String("https"))
        return;
    auto *quiet = new QTimer(reply);
    quiet->setSingleShot(true);
    quiet->setInterval(kQuietMs);
    QObject::connect(quiet, &QTimer::timeout, reply, [reply, exchange] {
        if (reply->isFinished())
            return;
        const QString type = reply->header(QNetworkRequest::ContentTypeHeader).toString();
        if (type.contains(QLatin1String("json"))) {
            QJsonParseError error{};
            QJsonDocument::fromJson(exchange->received, &error);
            if (error.error != QJsonParseError::NoError)
                return; // not all there yet: keep waiting (the deadline still applies)
        }
        exchange->bodyComplete = true;
        reply->abort(); // emits finished() synchronously
    });
    QObject::connect(reply, &QIODevice::readyRead, reply, [reply, exchange, quiet] {
        if (reply->header(QNetworkRequest::ContentLengthHeader).isValid() ||
            !reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
            return; // framed: Qt knows where the body ends
        exchange->received += reply->readAll();
        if (!exchange->received.isEmpty())
            quiet->start();
    });
}

QString unescapeHtml(QString s)
{
    s.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    s.replace(QStringLiteral("&#x27;"), QStringLiteral("'"));
    s.replace(QStringLiteral("&#39;"), QStringLiteral("'"));
    s.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    s.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    s.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return s;
}

Result<QByteArray> readFile(const QString &path, const QString &role, const QString &what,
                            const QString &host)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return ServiceError::make(
            ServiceError::Kind::Connect, what, host, {},
            Tr::tr("The %1 %2 cannot be read: %3.").arg(role, path, f.errorString()));
    }
    return f.readAll();
}

QSslKey readKey(const QByteArray &pem)
{
    for (auto algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

} // namespace

void send(QNetworkAccessManager *nam, QNetworkRequest request, const QByteArray &verb,
          const QByteArray &body, std::chrono::milliseconds timeout, QObject *owner,
          Handler handler)
{
    const int ms = int(std::max<qint64>(1, timeout.count()));
    // Qt's transfer timer is a coarse timer (it may fire up to 5 % early) and restarts whenever
    // bytes arrive; it is the backstop. The deadline itself is the precise guard timer below.
    request.setTransferTimeout(ms + std::max(100, ms / 16));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    auto exchange = std::make_shared<Exchange>();
    exchange->handler = std::move(handler);
    exchange->clock.start();

    QNetworkReply *reply = nullptr;
    if (verb == "GET")
        reply = nam->get(request);
    else if (verb == "POST")
        reply = nam->post(request, body);
    else
        reply = nam->sendCustomRequest(request, verb, body);
    reply->setParent(owner);
    // Kept for the error message; never ignored (the request's TLS settings decide).
    QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                     [exchange](const QList<QSslError> &errors) { exchange->sslErrors = errors; });
    endUnframedAnswers(reply, exchange);

    const QString shownUrl = displayUrl(request.url());
    qCDebug(lcVigilHttp).noquote() << verb << shownUrl << "sent, deadline" << ms << "ms";

    auto *guard = new QTimer(reply);
    guard->setSingleShot(true);
    guard->setTimerType(Qt::PreciseTimer);
    QObject::connect(guard, &QTimer::timeout, reply, [reply, exchange] {
        exchange->guardFired = true;
        reply->abort(); // emits finished() synchronously
    });
    guard->start(ms);

    QObject::connect(
        reply, &QNetworkReply::finished, owner, [reply, owner, guard, exchange, verb, shownUrl] {
            guard->stop();
            Outcome out;
            out.elapsedMs = exchange->clock.elapsed();
            out.error = reply->error();
            out.body = exchange->received;
            if (reply->isOpen()) // an aborted reply is closed
                out.body += reply->readAll();
            out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (exchange->bodyComplete && !exchange->guardFired)
                out.error = QNetworkReply::NoError; // we ended a complete unframed answer
            // Nobody but the deadline aborts our replies otherwise (destroying the owner drops
            // the handler), so a cancelled reply is a timed-out one.
            else if (exchange->guardFired || out.error == QNetworkReply::OperationCanceledError ||
                     out.error == QNetworkReply::TimeoutError) {
                out.timedOut = true;
                out.status = 0;
            }
            if (out.status == 0 && !out.timedOut) {
                out.errorText = reply->errorString();
                out.sslErrors = exchange->sslErrors;
                out.presentedClientCertificate =
                    !reply->sslConfiguration().localCertificate().isNull();
            }
            qCDebug(lcVigilHttp).noquote() << verb << shownUrl << "status" << out.status << "error"
                                           << out.error << "after" << out.elapsedMs << "ms";

            // Detach before calling out: the handler may destroy the owner (and with it our
            // parent). Only this slot's connection goes (the others, in the reply's context,
            // stay quiet once it finished): reply->disconnect() would also cut Qt's own queued
            // link from the reply to its HTTP thread (abortHttpRequest), so the abort() that
            // ended the exchange, and the reply's destructor, would never reach the connection:
            // a held https connection (see endUnframedAnswers) would stay open and occupied for
            // good, and with Qt's six per host every later request would wait for its deadline.
            QObject::disconnect(reply, &QNetworkReply::finished, owner, nullptr);
            reply->setParent(nullptr);
            reply->deleteLater();
            Handler h = std::move(exchange->handler);
            exchange->handler = nullptr;
            if (h)
                h(out);
        });
}

QString hostOf(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

QString displayUrl(const QUrl &url)
{
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

namespace {

// The TLS alert a server sends when it refuses the client's certificate (OpenSSL's words, as Qt
// passes them on: "tlsv1 alert unknown ca"); empty for other failures. With TLS 1.3 the server
// checks the client certificate after the client's handshake is done, so the alert arrives on
// the first read ("Error while reading: ...") rather than as a handshake failure: matched by
// text, whatever the error code.
QString clientCertificateAlert(const QString &errorText)
{
    static const QRegularExpression alert(
        QStringLiteral("alert (unknown ca|bad certificate|certificate unknown|certificate "
                       "expired|certificate revoked|certificate required|unsupported "
                       "certificate)"));
    const QRegularExpressionMatch m = alert.match(errorText);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

ServiceError transportError(const Outcome &outcome, const QString &what, const QUrl &url,
                            std::chrono::milliseconds timeout)
{
    using Kind = ServiceError::Kind;
    const QString shown = displayUrl(url);
    const QString host = hostOf(url);
    if (outcome.timedOut) {
        return ServiceError::make(
            Kind::Timeout, what, host, {},
            Tr::tr("No answer from %1 within %2 ms.").arg(shown).arg(qint64(timeout.count())));
    }
    if (outcome.status != 0)
        return {};
    if (const QString alert = clientCertificateAlert(outcome.errorText); !alert.isEmpty())
        return ServiceError::make(
            Kind::Connect, what, host, {},
            Tr::tr("%1 refused Vigil's TLS client certificate (TLS alert \"%2\"): the server "
                   "does not trust the CA that signed it, or the certificate is expired, revoked "
                   "or missing. Set the profile's client certificate and key to ones issued by "
                   "the CA the server trusts. (%3)")
                .arg(shown, alert, outcome.errorText));
    QString message;
    switch (outcome.error) {
    case QNetworkReply::ConnectionRefusedError:
        message = Tr::tr("Nothing accepts connections at %1 (connection refused). Is the service "
                         "running, and are the host and port right?")
                      .arg(shown);
        break;
    case QNetworkReply::HostNotFoundError:
        message = Tr::tr("The host of %1 could not be found.").arg(shown);
        break;
    case QNetworkReply::RemoteHostClosedError:
        // TLS 1.3: a server that refuses the client certificate sends its alert after the
        // client's handshake is done and closes; when the client's request reaches the closed
        // socket, the reset can discard the alert before Qt reads it (seen against Patroni's
        // REST API, one member of three in one run).
        message = outcome.presentedClientCertificate && url.scheme() == QLatin1String("https")
                      ? Tr::tr("%1 closed the connection without answering. Vigil presented a "
                               "TLS client certificate: if the server refused Vigil's TLS client "
                               "certificate, TLS 1.3 can end the connection this way instead of "
                               "with an alert. Check that the profile's client certificate and "
                               "key are issued by the CA the server trusts.")
                            .arg(shown)
                      : Tr::tr("%1 closed the connection without answering.").arg(shown);
        break;
    case QNetworkReply::SslHandshakeFailedError:
        message = outcome.sslErrors.isEmpty()
                      ? Tr::tr("The TLS handshake with %1 failed: %2").arg(shown, outcome.errorText)
                      : Tr::tr("The TLS handshake with %1 failed: %2")
                            .arg(shown, describeSslErrors(outcome.sslErrors, url.host()));
        break;
    default:
        message = Tr::tr("The request to %1 failed: %2").arg(shown, outcome.errorText);
        break;
    }
    return ServiceError::make(Kind::Connect, what, host, {}, message);
}

namespace {

QString certificateNames(const QSslCertificate &cert)
{
    QStringList names;
    const auto alternates = cert.subjectAlternativeNames();
    for (auto it = alternates.begin(); it != alternates.end(); ++it)
        names << it.value();
    if (names.isEmpty())
        names = cert.subjectInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? Tr::tr("no name") : names.join(QStringLiteral(", "));
}

QString describeSslError(const QSslError &e, const QString &host)
{
    const QSslCertificate cert = e.certificate();
    const QString issuer =
        cert.isNull() ? Tr::tr("an unknown issuer")
                      : cert.issuerInfo(QSslCertificate::CommonName).join(QLatin1Char(' '));
    switch (e.error()) {
    case QSslError::HostNameMismatch:
        return Tr::tr("the server's certificate is issued for %1, not for %2 (name mismatch). "
                      "Use one of the certificate's names in the URL, or have a certificate "
                      "issued that includes this one.")
            .arg(certificateNames(cert), host);
    case QSslError::CertificateExpired:
        return Tr::tr("the server's certificate (%1) expired on %2. Renew it on the server.")
            .arg(certificateNames(cert), cert.expiryDate().toUTC().toString(Qt::ISODate));
    case QSslError::CertificateNotYetValid:
        return Tr::tr("the server's certificate (%1) is not valid before %2. Check the clocks of "
                      "both machines.")
            .arg(certificateNames(cert), cert.effectiveDate().toUTC().toString(Qt::ISODate));
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return Tr::tr("the server's certificate is signed by \"%1\", which is not a trusted CA "
                      "(the profile's CA file, or the system's CAs when none is set). Set the CA "
                      "file to the CA that signed the server's certificate.")
            .arg(issuer);
    default:
        return Tr::tr("the server's certificate was refused: %1.").arg(e.errorString());
    }
}

} // namespace

QString describeSslErrors(const QList<QSslError> &errors, const QString &host)
{
    QStringList sentences;
    QList<QSslError::SslError> seen;
    for (const QSslError &e : errors) {
        if (seen.contains(e.error()))
            continue;
        seen << e.error();
        QString text = describeSslError(e, host);
        text[0] = text[0].toUpper();
        if (!sentences.contains(text))
            sentences << text;
    }
    return sentences.join(QLatin1Char(' '));
}

QString readableBody(const QByteArray &body)
{
    QString text = QString::fromUtf8(body).trimmed();
    if (text.startsWith(QLatin1String("<!DOCTYPE HTML"), Qt::CaseInsensitive) ||
        text.startsWith(QLatin1String("<html"), Qt::CaseInsensitive)) {
        static const QRegularExpression message(QStringLiteral("<p>Message: (.*?)</p>"),
                                                QRegularExpression::DotMatchesEverythingOption);
        static const QRegularExpression explanation(
            QStringLiteral("<p>Error code explanation: (.*?)</p>"),
            QRegularExpression::DotMatchesEverythingOption);
        const auto m = message.match(text);
        if (m.hasMatch()) {
            QString reduced = unescapeHtml(m.captured(1).trimmed());
            const auto e = explanation.match(text);
            if (e.hasMatch())
                reduced = Tr::tr("%1 (%2)").arg(reduced, unescapeHtml(e.captured(1).trimmed()));
            return reduced;
        }
    }
    if (text.size() > kMaxReadableChars)
        text = text.left(kMaxReadableChars) + QChar(0x2026);
    return text;
}

QByteArray basicAuthorization(const QString &user, const QString &password)
{
    return "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
}

void useTlsSettings(QNetworkAccessManager *nam, const QUrl &url, const QByteArray &settingsKey)
{
    static QMutex mutex;
    static QHash<QString, QByteArray> seen; // "manager address|host:port" -> settings key
    const QString key = QStringLiteral("%1|%2").arg(quintptr(nam)).arg(hostOf(url));
    bool changed = false;
    {
        QMutexLocker lock(&mutex);
        auto it = seen.find(key);
        changed = it != seen.end() && it.value() != settingsKey;
        seen.insert(key, settingsKey);
    }
    if (changed) {
        qCDebug(lcVigilHttp).noquote()
            << "TLS settings for" << hostOf(url) << "changed; clearing the connection cache";
        nam->clearConnectionCache();
    }
}

namespace {
// The PEM certificates of a file (`label` names it in messages: "CA file", ...); `pem` receives
// the file's bytes. An error when the file cannot be read or holds no certificate.
Result<QList<QSslCertificate>> readCertificates(const QString &file, const QString &label,
                                                const QString &what, const QString &host,
                                                QByteArray &pem)
{
    auto bytes = readFile(file, label, what, host);
    if (!bytes.ok())
        return bytes.error();
    pem = bytes.value();
    const auto certs = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certs.isEmpty())
        return ServiceError::make(ServiceError::Kind::Connect, what, host, {},
                                  Tr::tr("The %1 %2 holds no PEM certificate.").arg(label, file));
    return certs;
}
} // namespace

Result<QSslConfiguration> tlsConfiguration(const QString &caFile, const QString &certFile,
                                           const QString &keyFile, bool verifyPeer,
                                           const QString &what, const QString &host)
{
    using Kind = ServiceError::Kind;
    if (!QSslSocket::supportsSsl()) {
        return ServiceError::make(Kind::Connect, what, host, {},
                                  Tr::tr("HTTPS is not available: Qt found no usable TLS "
                                         "library (built against %1).")
                                      .arg(QSslSocket::sslLibraryBuildVersionString()));
    }
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setPeerVerifyMode(verifyPeer ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);

    if (!caFile.isEmpty()) {
        QByteArray pem;
        auto certs = readCertificates(caFile, Tr::tr("CA file"), what, host, pem);
        if (!certs.ok())
            return certs.error();
        conf.setCaCertificates(certs.value());
    }

    if (!certFile.isEmpty()) {
        QByteArray keyPem; // the key may sit in the certificate file (a combined PEM)
        auto certs =
            readCertificates(certFile, Tr::tr("client certificate file"), what, host, keyPem);
        if (!certs.ok())
            return certs.error();
        conf.setLocalCertificateChain(certs.value());
        QString keySource = certFile;
        if (!keyFile.isEmpty()) {
            auto k = readFile(keyFile, Tr::tr("client key file"), what, host);
            if (!k.ok())
                return k.error();
            keyPem = k.value();
            keySource = keyFile;
        }
        const QSslKey key = readKey(keyPem);
        if (key.isNull()) {
            return ServiceError::make(
                Kind::Connect, what, host, {},
                Tr::tr("No usable private key was found in %1 (it must be an unencrypted PEM "
                       "RSA, EC or DSA key).")
                    .arg(keySource));
        }
        conf.setPrivateKey(key);
    } else if (!keyFile.isEmpty()) {
        return ServiceError::make(Kind::Connect, what, host, {},
                                  Tr::tr("A client key file (%1) is set without a client "
                                         "certificate file.")
                                      .arg(keyFile));
    }
    return conf;
}

} // namespace vigil::services::http
