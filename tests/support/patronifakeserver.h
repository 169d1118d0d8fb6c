#pragma once

// A tiny in-process HTTP server for the client unit tests (Patroni REST and HAProxy stats):
// answers like Python's http.server does for Patroni (HTTP/1.0, no Content-Length, the
// connection closed after the body), records every request, and can hang forever to provoke
// timeouts; with a QSslConfiguration it speaks HTTPS (QSslServer) and records the client
// certificate's common name. Runs on the test's event loop; tests wait with waitUntil.

#include "support/refusingport.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <algorithm>
#include <memory>

namespace vigil::test {

class FakeHttpServer : public QObject
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray reason = "OK";
        QByteArray contentType = "application/json";
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        bool hang = false; // read the request, never answer
        // Answer, then keep the connection open, as Patroni over TLS does while it waits for the
        // client's close_notify (SSLSocket.unwrap): the body has no other end.
        bool holdOpen = false;
    };

    struct Request
    {
        QByteArray method;
        QByteArray path;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QString clientCertificate; // common name of the TLS client certificate, if any
        quint16 peerPort = 0;      // the client's end of the connection it came on

        QByteArray header(const QByteArray &name) const
        {
            for (const auto &h : headers) {
                if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                    return h.second;
            }
            return {};
        }
        bool hasHeader(const QByteArray &name) const
        {
            for (const auto &h : headers) {
                if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                    return true;
            }
            return false;
        }
    };

    FakeHttpServer()
        : m_server(std::make_unique<QTcpServer>())
    {
        start();
    }
    explicit FakeHttpServer(const QSslConfiguration &tls)
    {
        auto server = std::make_unique<QSslServer>();
        server->setSslConfiguration(tls);
        m_server = std::move(server);
        m_tls = true;
        start();
    }

    void setAnswer(Answer a) { m_answer = std::move(a); }
    void answerWith(int status, const QByteArray &body, const QByteArray &reason = "Status")
    {
        Answer a;
        a.status = status;
        a.reason = reason;
        a.body = body;
        a.contentType = body.trimmed().startsWith('{') || body.trimmed().startsWith('[')
                            ? QByteArray("application/json")
                            : QByteArray("text/html");
        if (status == 401)
            a.headers << qMakePair(QByteArray("WWW-Authenticate"),
                                   QByteArray("Basic realm=\"Patroni\""));
        m_answer = a;
    }

    bool listening() const { return m_server->isListening(); }
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path = {}) const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                        .arg(port())
                        .arg(path));
    }
    const QList<Request> &requests() const { return m_requests; }
    // The requests with every repeat of an identical one (method, path, headers, body) left out.
    // Qt's HTTP/1 channel sends a request again, on a new connection, when it sees the server's
    // close before it has begun to read the answer (QHttpNetworkConnectionChannel, on
    // RemoteHostClosedError: "try to reconnect/resend before sending an error"; which of its
    // paths fires here is not traced). This server answers like Patroni, which ends every body with
    // a close, so under load a request arrives twice: in CapacityModel's test, with both cores
    // busy, the server saw six requests in 8 runs of 600 while QNetworkAccessManager finished
    // exactly the five replies the model had sent. Tests of what a client sends count such a repeat
    // once (and count the replies where they can); requests() keeps every one, and describe()
    // prints each with its peer port when a count fails.
    QList<Request> distinctRequests() const
    {
        QList<Request> out;
        for (const Request &r : m_requests) {
            const bool seen = std::any_of(out.cbegin(), out.cend(),
                                          [&r](const Request &o) { return sameRequest(o, r); });
            if (!seen)
                out << r;
        }
        return out;
    }
    // "GET /path (port 41234)" per request, one per line: for a failing count's message.
    std::string describe() const
    {
        QByteArray out;
        for (const Request &r : m_requests)
            out += r.method + ' ' + r.path + " (port " + QByteArray::number(r.peerPort) + ")\n";
        return out.toStdString();
    }
    // Stops listening; the port stays held (RefusingPort) so that no other test's server is
    // given it while this test's client may still call it.
    void close()
    {
        const quint16 held = port();
        m_server->close();
        m_closed = std::make_unique<RefusingPort>(held);
    }

private:
    void start()
    {
        m_server->listen(QHostAddress::LocalHost, 0);
        // Not newConnection: in Qt 6.4 it fires before QSslServer's handshake is done, while
        // pendingConnectionAvailable comes when the socket is really handed over.
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
                         [this] { accept(); });
    }

    void accept()
    {
        while (QTcpSocket *s = m_server->nextPendingConnection()) {
            s->setParent(this);
            // Owned by the readyRead connection's functor, freed with it whichever of the
            // socket and the server goes first (a destroyed() slot on `this` never ran when the
            // server went first: LeakSanitizer found it).
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            auto onData = [this, s, buffer] {
                buffer->append(s->readAll());
                const int end = int(buffer->indexOf("\r\n\r\n"));
                if (end < 0)
                    return;
                Request r;
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                r.method = first.value(0);
                r.path = first.value(1);
                qsizetype length = 0;
                for (int i = 1; i < lines.size(); ++i) {
                    const QByteArray line = lines.at(i).trimmed();
                    const int colon = int(line.indexOf(':'));
                    if (colon <= 0)
                        continue;
                    const QByteArray name = line.left(colon).trimmed();
                    const QByteArray value = line.mid(colon + 1).trimmed();
                    r.headers << qMakePair(name, value);
                    if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
                        length = value.toLongLong();
                }
                if (buffer->size() < end + 4 + length)
                    return;
                r.body = buffer->mid(end + 4, length);
                if (auto *ssl = qobject_cast<QSslSocket *>(s)) {
                    const QStringList cn =
                        ssl->peerCertificate().subjectInfo(QSslCertificate::CommonName);
                    r.clientCertificate = cn.value(0);
                }
                r.peerPort = s->peerPort();
                buffer->clear();
                m_requests << r;
                if (m_answer.hang)
                    return;
                QByteArray out = "HTTP/1.0 " + QByteArray::number(m_answer.status) + ' ' +
                                 m_answer.reason + "\r\nServer: BaseHTTP/0.6 Python/3.11.2\r\n";
                out += "Content-Type: " + m_answer.contentType + "\r\n";
                for (const auto &h : m_answer.headers)
                    out += h.first + ": " + h.second + "\r\n";
                out += "\r\n" + m_answer.body;
                s->write(out);
                if (!m_answer.holdOpen)
                    s->disconnectFromHost(); // like HTTP/1.0: the close ends the body
            };
            QObject::connect(s, &QTcpSocket::readyRead, this, onData);
            // QSslServer hands the socket over after the handshake: the request may be buffered.
            if (s->bytesAvailable() > 0)
                onData();
        }
    }

    static bool sameRequest(const Request &a, const Request &b)
    {
        return a.method == b.method && a.path == b.path && a.headers == b.headers &&
               a.body == b.body;
    }

    std::unique_ptr<QTcpServer> m_server;
    std::unique_ptr<RefusingPort> m_closed;
    bool m_tls = false;
    Answer m_answer;
    QList<Request> m_requests;
};

} // namespace vigil::test
