// PgSession without a database server: the parts of its contract that need only local sockets
// (a port where nothing listens, a listener that never answers). The sandbox tests
// (tests/integration/pgsession_test.cpp) cover queries, cancel and reconnect against PostgreSQL.
#include "services/postgres/pgsession.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <gtest/gtest.h>
#include <memory>
#include <optional>

using namespace vigil::services;
using namespace std::chrono_literals;

namespace {

// A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it).
int freePort()
{
    QTcpServer probe;
    EXPECT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    return probe.serverPort();
}

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
    const int port = freePort();
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
    PgSession session;
    session.open(localSettings(freePort()), 2000ms);
    std::optional<ServiceError> answer;
    session.exec(QStringLiteral("SELECT 1"), {},
                 [&](const PgResult &, const ServiceError &e) { answer = e; });
    // Re-open before the first attempt reported anything: the query waits for the new one.
    const int secondPort = freePort();
    session.open(localSettings(secondPort), 2000ms);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return answer.has_value(); }, 5000));
    EXPECT_EQ(answer->kind, ServiceError::Kind::Connect);
    EXPECT_EQ(answer->host, QStringLiteral("127.0.0.1:%1").arg(secondPort));
}
