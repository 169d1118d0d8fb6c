// PgSession without a database server: the parts of its contract that need only local sockets
// (a port where nothing listens, a listener that never answers). The sandbox tests
// (tests/integration/pgsession_test.cpp) cover queries, cancel and reconnect against PostgreSQL.
#include "services/postgres/pgsession.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/refusingport.h"

#include <QDataStream>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <cstdio>
#include <gtest/gtest.h>
#include <memory>
#include <optional>

using namespace vigil::services;
using namespace std::chrono_literals;

namespace {

PgConnectionSettings localSettings(int port, const QString &extra = {})
{
    PgConnectionSettings s;
    s.conninfo = QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=vigil sslmode=disable "
                                "gssencmode=disable %2")
                     .arg(port)
                     .arg(extra);
    return s;
}

struct Answer
{
    PgResult result;
    ServiceError error;
};

} // namespace

TEST(PgConnectionSettings, DisplayHostFromKeywordsUriAndOverrides)
{
    PgConnectionSettings s;
    s.conninfo = QStringLiteral("host=10.0.0.5 port=6432 dbname=x");
    EXPECT_EQ(s.displayHost(), QStringLiteral("10.0.0.5:6432"));
    s.conninfo = QStringLiteral("postgresql://vigil:secret@db1.example.org:5433/postgres");
    EXPECT_EQ(s.displayHost(), QStringLiteral("db1.example.org:5433"));
    EXPECT_FALSE(s.displayHost().contains(QStringLiteral("secret")));
    s.overrides = {{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                   {QStringLiteral("port"), QStringLiteral("54310")}};
    EXPECT_EQ(s.displayHost(), QStringLiteral("127.0.0.1:54310"));
    s = {};
    s.conninfo = QStringLiteral("host=a,b port=1,2");
    EXPECT_EQ(s.displayHost(), QStringLiteral("a:1"));
    s.conninfo = QStringLiteral("service=vigil-sandbox");
    EXPECT_TRUE(s.displayHost().contains(QStringLiteral("vigil-sandbox")));
}

TEST(PgSession, QueryWithoutOpenFailsAsynchronously)
{
    PgSession session;
    std::optional<Answer> answer;
    bool inside = true;
    session.exec(QStringLiteral("SELECT 1"), {}, [&](const PgResult &r, const ServiceError &e) {
        EXPECT_FALSE(inside);
        answer = Answer{r, e};
    });
    inside = false;
    ASSERT_TRUE(vigil::test::waitUntil([&] { return answer.has_value(); }, 2000));
    EXPECT_EQ(answer->error.kind, ServiceError::Kind::Connect);
    EXPECT_EQ(session.state(), PgSession::State::Disconnected);
}

TEST(PgSession, PreparedStatementWithoutOpenFailsAsynchronously)
{
    PgSession session;
    const PgStatement statement{QStringLiteral("vigil_test"),
                                QStringLiteral("SELECT /* vigil:test_statement */ $1::int"),
                                {}};
    std::vector<Answer> answers;
    bool inside = true;
    auto collect = [&](const PgResult &r, const ServiceError &e) {
        EXPECT_FALSE(inside);
        answers.push_back(Answer{r, e});
    };
    session.prepare(statement, collect);
    session.execPrepared(statement, {1}, collect);
    inside = false;
    ASSERT_TRUE(vigil::test::waitUntil([&] { return answers.size() == 2; }, 2000));
    for (const Answer &a : answers) {
        EXPECT_EQ(a.error.kind, ServiceError::Kind::Connect);
        EXPECT_EQ(a.error.what, QStringLiteral("query test_statement")) << "named by its marker";
    }
}

TEST(PgSession, NothingListeningIsAConnectErrorForQueuedQueriesToo)
{
    PgSession session;
    std::optional<ServiceError> failed;
    QObject::connect(&session, &PgSession::failed, [&](const ServiceError &e) { failed = e; });
    const vigil::test::RefusingPort refusing; // nothing listens, and no other test can listen
    const int port = refusing.port();
    session.open(localSettings(port, QStringLiteral("password=hunter2hunter2")), 3000ms);
    EXPECT_EQ(session.state(), PgSession::State::Connecting);
    int calls = 0;
    std::optional<Answer> answer;
    session.exec(QStringLiteral("SELECT 1"), {}, [&](const PgResult &r, const ServiceError &e) {
        ++calls;
        answer = Answer{r, e};
    });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return answer.has_value() && failed; }, 5000));
    EXPECT_EQ(failed->kind, ServiceError::Kind::Connect);
    EXPECT_EQ(failed->host, QStringLiteral("127.0.0.1:%1").arg(port));
    EXPECT_TRUE(failed->message.contains(QStringLiteral("refused"), Qt::CaseInsensitive))
        << failed->message.toStdString();
    EXPECT_FALSE(failed->message.contains(QStringLiteral("hunter2")));
    EXPECT_EQ(answer->error.kind, ServiceError::Kind::Connect);
    EXPECT_EQ(session.state(), PgSession::State::Disconnected);
    vigil::test::spin(50);
    EXPECT_EQ(calls, 1);
}

TEST(PgSession, SilentServerTimesOutAtTheConnectDeadline)
{
    // Accepts TCP connections but never says a word, like a frozen postmaster.
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    std::vector<std::unique_ptr<QTcpSocket>> held;
    QObject::connect(&silent, &QTcpServer::newConnection, [&] {
        while (QTcpSocket *s = silent.nextPendingConnection())
            held.emplace_back(s);
    });

    PgSession session;
    std::optional<ServiceError> failed;
    QObject::connect(&session, &PgSession::failed, [&](const ServiceError &e) { failed = e; });
    PgConnectionSettings s;
    s.conninfo = QStringLiteral("postgresql://vigil@127.0.0.1:%1/postgres?sslmode=prefer")
                     .arg(silent.serverPort());
    session.open(s, 400ms);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return failed.has_value(); }, 5000));
    EXPECT_EQ(failed->kind, ServiceError::Kind::Timeout);
    EXPECT_TRUE(failed->message.contains(QStringLiteral("127.0.0.1:%1").arg(silent.serverPort())))
        << failed->message.toStdString();
    EXPECT_TRUE(failed->message.contains(QStringLiteral("400 ms")))
        << failed->message.toStdString();
    EXPECT_EQ(session.state(), PgSession::State::Disconnected);
    EXPECT_FALSE(held.empty()); // libpq really got as far as the TCP connection
}

TEST(PgSession, BadConninfoIsReportedFromTheEventLoop)
{
    PgSession session;
    std::optional<ServiceError> failed;
    QObject::connect(&session, &PgSession::failed, [&](const ServiceError &e) { failed = e; });
    PgConnectionSettings s;
    s.conninfo = QStringLiteral("host=127.0.0.1 nosuchoption=1");
    session.open(s);
    EXPECT_FALSE(failed.has_value()); // never from inside open()
    ASSERT_TRUE(vigil::test::waitUntil([&] { return failed.has_value(); }, 2000));
    EXPECT_EQ(failed->kind, ServiceError::Kind::Connect);
    EXPECT_TRUE(failed->message.contains(QStringLiteral("nosuchoption")))
        << failed->message.toStdString();
}

TEST(PgSession, CloseAnswersEveryPendingQueryOnce)
{
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    PgSession session;
    session.open(localSettings(silent.serverPort()), 5000ms);
    std::vector<ServiceError::Kind> kinds;
    for (int i = 0; i < 3; ++i) {
        session.exec(QStringLiteral("SELECT $1"), {i},
                     [&](const PgResult &, const ServiceError &e) { kinds.push_back(e.kind); });
    }
    EXPECT_EQ(session.pendingQueries(), 3);
    session.close();
    EXPECT_EQ(session.pendingQueries(), 0);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return kinds.size() == 3; }, 2000));
    for (auto k : kinds)
        EXPECT_EQ(k, ServiceError::Kind::Cancelled);
    vigil::test::spin(50);
    EXPECT_EQ(kinds.size(), 3u);
}

TEST(PgSession, DestroyedSessionNeverCallsBack)
{
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    int calls = 0;
    {
        auto session = std::make_unique<PgSession>();
        session->open(localSettings(silent.serverPort()), 200ms);
        session->exec(QStringLiteral("SELECT 1"), {},
                      [&](const PgResult &, const ServiceError &) { ++calls; });
        vigil::test::spin(20);
    } // destroyed while connecting
    {
        // Destroyed after its callback was posted but before it ran.
        auto session = std::make_unique<PgSession>();
        session->exec(QStringLiteral("SELECT 1"), {},
                      [&](const PgResult &, const ServiceError &) { ++calls; });
    }
    vigil::test::spin(400);
    EXPECT_EQ(calls, 0);
}

TEST(PgSession, ReopeningKeepsQueuedQueriesForTheNewConnection)
{
    const vigil::test::RefusingPort first, second; // nothing listens on either
    PgSession session;
    session.open(localSettings(first.port()), 2000ms);
    std::optional<ServiceError> answer;
    session.exec(QStringLiteral("SELECT 1"), {},
                 [&](const PgResult &, const ServiceError &e) { answer = e; });
    // Re-open before the first attempt reported anything: the query waits for the new one.
    const int secondPort = second.port();
    session.open(localSettings(secondPort), 2000ms);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return answer.has_value(); }, 5000));
    EXPECT_EQ(answer->kind, ServiceError::Kind::Connect);
    EXPECT_EQ(answer->host, QStringLiteral("127.0.0.1:%1").arg(secondPort));
}

namespace {

// A server that asks for SCRAM-SHA-256 and names an iteration count far above PostgreSQL's 4096,
// so that libpq's client proof (PBKDF2 over the password, one HMAC per iteration) takes hundreds
// of milliseconds. It answers the start-up and the client-first message, records the client-final
// message and closes the connection.
class SlowScramServer : public QObject
{
public:
    static constexpr int kIterations = 300000;

    SlowScramServer()
    {
        EXPECT_TRUE(m_server.listen(QHostAddress::LocalHost, 0));
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            m_socket.reset(m_server.nextPendingConnection());
            QObject::connect(m_socket.get(), &QTcpSocket::readyRead, this, [this] { onRead(); });
        });
    }
    int port() const { return m_server.serverPort(); }

    bool challengeSent = false; // server-first message written
    QByteArray clientFinal;     // "c=biws,r=...,p=...", once the client computed its proof

private:
    // One message: the start-up message has no type byte, every later one has.
    std::optional<QByteArray> take(bool typed)
    {
        const int head = typed ? 5 : 4;
        if (m_buffer.size() < head)
            return std::nullopt;
        QDataStream in(m_buffer.mid(typed ? 1 : 0, 4));
        qint32 length = 0;
        in >> length;
        const int total = (typed ? 1 : 0) + length;
        if (m_buffer.size() < total)
            return std::nullopt;
        QByteArray message = m_buffer.left(total);
        m_buffer.remove(0, total);
        return message.mid(head);
    }
    void send(char type, const QByteArray &body)
    {
        QByteArray out(1, type);
        QDataStream(&out, QIODevice::Append) << qint32(4 + body.size());
        out += body;
        m_socket->write(out);
        m_socket->flush();
    }
    static QByteArray int32(qint32 v)
    {
        QByteArray b;
        QDataStream(&b, QIODevice::WriteOnly) << v;
        return b;
    }
    void onRead()
    {
        m_buffer += m_socket->readAll();
        for (;;) {
            const std::optional<QByteArray> message = take(m_stage > 0);
            if (!message)
                return;
            if (m_stage == 0) { // StartupMessage: AuthenticationSASL
                send('R', int32(10) + QByteArray("SCRAM-SHA-256\0\0", 15));
            } else if (m_stage == 1) { // SASLInitialResponse: "SCRAM-SHA-256\0" len "n,,n=,r=N"
                const QByteArray first = message->mid(message->indexOf('\0') + 1 + 4);
                const QByteArray nonce = first.mid(first.indexOf("r=") + 2);
                send('R', int32(11) + "r=" + nonce +
                              "srvnonce,s=" + QByteArray("salt-of-16-bytes").toBase64() +
                              ",i=" + QByteArray::number(kIterations));
                challengeSent = true;
            } else { // SASLResponse: the client-final message with the proof
                clientFinal = *message;
                m_socket->disconnectFromHost();
                return;
            }
            ++m_stage;
        }
    }

    QTcpServer m_server;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    int m_stage = 0;
};

} // namespace

// The SCRAM proof is computed on a worker thread (pg::pollConnect): while libpq runs PBKDF2 over
// the password, the session's thread goes on with its event loop. On the session's thread, as
// before, the loop stood still from the server's challenge to the client's answer (and a wall
// of 30 clusters stalled ~4 ms per connection at PostgreSQL's 4096 iterations).
TEST(PgSession, TheScramProofIsComputedWhileTheEventLoopRuns)
{
    SlowScramServer server;
    PgSession session;
    std::optional<ServiceError> failed;
    QObject::connect(&session, &PgSession::failed, [&](const ServiceError &e) { failed = e; });
    int turns = 0; // event-loop turns between the challenge and the client's proof
    QTimer ticker;
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        if (server.challengeSent && server.clientFinal.isEmpty())
            ++turns;
    });
    ticker.start();
    session.open(localSettings(server.port(), QStringLiteral("password=hunter2")), 60000ms);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return failed.has_value(); }, 60000));
    ASSERT_TRUE(server.challengeSent);
    EXPECT_TRUE(server.clientFinal.startsWith("c=biws,r=")) << server.clientFinal.toStdString();
    EXPECT_TRUE(server.clientFinal.contains(",p=")) << server.clientFinal.toStdString();
    // PBKDF2 over 300,000 rounds takes 100s of ms: the 1 ms ticker turned many times meanwhile
    // (on the session's thread it could not turn at all).
    EXPECT_GE(turns, 20);
    // The server hung up after the proof: a connect error naming the server, no password.
    EXPECT_EQ(failed->kind, ServiceError::Kind::Connect);
    EXPECT_EQ(failed->host, QStringLiteral("127.0.0.1:%1").arg(server.port()));
    EXPECT_FALSE(failed->toText().contains(QStringLiteral("hunter2")));
    EXPECT_EQ(session.state(), PgSession::State::Disconnected);
    std::printf("[ figures  ] %d event-loop turns while the client computed its proof\n", turns);
}

// Dropping a session while a worker is in PQconnectPoll: the worker finishes the step, then the
// connection is closed; nothing calls back into the gone session.
TEST(PgSession, DestroyedWhileAConnectStepRunsOnAWorker)
{
    SlowScramServer server;
    int calls = 0;
    {
        PgSession session;
        QObject::connect(&session, &PgSession::failed, [&](const ServiceError &) { ++calls; });
        QObject::connect(&session, &PgSession::opened, [&] { ++calls; });
        session.open(localSettings(server.port(), QStringLiteral("password=hunter2")), 60000ms);
        ASSERT_TRUE(vigil::test::waitUntil([&] { return server.challengeSent; }, 10000));
        vigil::test::spin(20); // the worker is computing the proof now
    }
    // The orphaned step still completes and answers the server, then the connection is closed.
    EXPECT_TRUE(vigil::test::waitUntil([&] { return !server.clientFinal.isEmpty(); }, 60000));
    vigil::test::spin(50);
    EXPECT_EQ(calls, 0);
}
