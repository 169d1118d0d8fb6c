// PgBouncerClient against the sandbox's PgBouncer (service vigil-bouncer-admin): SHOW POOLS and
// friends, PAUSE/RESUME of one database with a client query that waits in between, the
// allow-list, and a stopped PgBouncer. Every test leaves PgBouncer running and unpaused.
#include "services/proxies/pgbouncerclient.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"

#include <QElapsedTimer>
#include <gtest/gtest.h>
#include <optional>

using namespace vigil::services;
using vigil::test::Sandbox;
using namespace std::chrono_literals;

namespace {

struct Answer
{
    PgResult result;
    ServiceError error;
};

std::string str(const QString &s)
{
    return s.toStdString();
}

PgConnectionSettings conninfo(const QString &text)
{
    PgConnectionSettings s;
    s.conninfo = text;
    return s;
}

PgConnectionSettings adminSettings()
{
    return conninfo(QStringLiteral("service=vigil-bouncer-admin"));
}

// A client of the pooled database `db` through PgBouncer.
PgConnectionSettings throughBouncer(const QString &user, const QString &db)
{
    return conninfo(QStringLiteral("host=127.0.0.1 port=%1 user=%2 dbname=%3")
                        .arg(Sandbox::pgbouncerPort())
                        .arg(user, db));
}

template <typename Call> Answer wait(Call call, int timeoutMs = 15000)
{
    std::optional<Answer> answer;
    call([&](const PgResult &r, const ServiceError &e) { answer = Answer{r, e}; });
    EXPECT_TRUE(vigil::test::waitUntil([&] { return answer.has_value(); }, timeoutMs));
    return answer.value_or(Answer{});
}

Answer query(PgSession &session, const QString &sql, std::chrono::milliseconds deadline = 5000ms)
{
    return wait([&](auto cb) { session.exec(sql, {}, cb, deadline); },
                int(deadline.count()) + 10000);
}

int findRow(const PgResult &r, const QString &column, const QString &value)
{
    for (int row = 0; row < r.rowCount(); ++row) {
        if (r.text(row, column) == value)
            return row;
    }
    return -1;
}

// RESUMEs a database whatever happens in the test (an error "not paused" is fine).
struct ResumeGuard
{
    QString database;
    ~ResumeGuard()
    {
        PgBouncerClient admin;
        admin.open(adminSettings());
        wait([&](auto cb) { admin.resume(database, cb); });
    }
};

struct StartBouncerGuard
{
    ~StartBouncerGuard()
    {
        QString out;
        if (Sandbox::run({QStringLiteral("start"), QStringLiteral("pgbouncer")}, &out, 60000) != 0)
            ADD_FAILURE() << "could not restart PgBouncer: " << str(out);
    }
};

} // namespace

TEST(PgBouncerSandbox, ShowPoolsListsTheDatabasesPools)
{
    VIGIL_REQUIRE_SANDBOX();
    // Pools exist once a client used them.
    PgSession game, postgres;
    game.open(throughBouncer(QStringLiteral("hokm_app"), QStringLiteral("hokm_game")));
    postgres.open(throughBouncer(QStringLiteral("vigil"), QStringLiteral("postgres")));
    ASSERT_FALSE(query(game, QStringLiteral("SELECT 1")).error);
    ASSERT_FALSE(query(postgres, QStringLiteral("SELECT 1")).error);

    PgBouncerClient client;
    client.open(adminSettings());
    std::optional<Result<QList<PgBouncerPool>>> pools;
    client.showPools([&](const Result<QList<PgBouncerPool>> &r) { pools = r; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return pools.has_value(); }, 10000));
    ASSERT_TRUE(pools->ok()) << str(pools->error().toText());
    bool sawGame = false, sawPostgres = false;
    for (const PgBouncerPool &p : pools->value()) {
        if (p.database == QLatin1String("hokm_game") && p.user == QLatin1String("hokm_app")) {
            sawGame = true;
            EXPECT_EQ(p.poolMode, QStringLiteral("transaction"));
        }
        if (p.database == QLatin1String("postgres") && p.user == QLatin1String("vigil"))
            sawPostgres = true;
        EXPECT_GE(p.maxWait, double(p.maxWaitSeconds));
    }
    EXPECT_TRUE(sawGame);
    EXPECT_TRUE(sawPostgres);
}

TEST(PgBouncerSandbox, ShowTargets)
{
    VIGIL_REQUIRE_SANDBOX();
    PgBouncerClient client;
    client.open(adminSettings());

    const Answer config = wait([&](auto cb) { client.show(QStringLiteral("CONFIG"), cb); });
    ASSERT_FALSE(config.error) << str(config.error.toText());
    const int port = findRow(config.result, QStringLiteral("key"), QStringLiteral("listen_port"));
    ASSERT_GE(port, 0);
    EXPECT_EQ(config.result.integer(port, QStringLiteral("value")), Sandbox::pgbouncerPort());

    const Answer clients = wait([&](auto cb) { client.show(QStringLiteral("clients"), cb); });
    ASSERT_FALSE(clients.error) << str(clients.error.toText());
    // Our own admin connection, with libpq's fallback application name.
    EXPECT_GE(findRow(clients.result, QStringLiteral("application_name"), QStringLiteral("vigil")),
              0);

    for (const char *what : {"STATS", "SERVERS", "DATABASES", "LISTS", "VERSION"}) {
        const Answer a = wait([&](auto cb) { client.show(QString::fromLatin1(what), cb); });
        EXPECT_FALSE(a.error) << what << ": " << str(a.error.toText());
        EXPECT_FALSE(a.result.columns.isEmpty()) << what;
    }
    const Answer dbs = wait([&](auto cb) { client.show(QStringLiteral("DATABASES"), cb); });
    EXPECT_GE(findRow(dbs.result, QStringLiteral("name"), QStringLiteral("hokm_game")), 0);
}

TEST(PgBouncerSandbox, UnknownShowTargetIsRefusedBeforeSending)
{
    VIGIL_REQUIRE_SANDBOX();
    PgBouncerClient client;
    client.open(adminSettings());
    std::optional<Answer> answer;
    client.show(QStringLiteral("POOLS; SHUTDOWN"), [&](const PgResult &r, const ServiceError &e) {
        answer = Answer{r, e};
    });
    EXPECT_EQ(client.session()->pendingQueries(), 0);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return answer.has_value(); }, 5000));
    EXPECT_EQ(answer->error.kind, ServiceError::Kind::Refused);
    const Answer stillThere = wait([&](auto cb) { client.show(QStringLiteral("VERSION"), cb); });
    EXPECT_FALSE(stillThere.error) << str(stillThere.error.toText());
}

TEST(PgBouncerSandbox, PauseHoldsQueriesUntilResume)
{
    VIGIL_REQUIRE_SANDBOX();
    const QString db = QStringLiteral("hokm_game");
    // The pooled client logs in before the pause (its query is what must wait).
    PgSession app;
    app.open(throughBouncer(QStringLiteral("hokm_app"), db));
    ASSERT_FALSE(query(app, QStringLiteral("SELECT 1")).error);

    PgBouncerClient admin;
    admin.open(adminSettings());
    ResumeGuard resumeGuard{db};
    const Answer paused = wait([&](auto cb) { admin.pause(db, cb); }, 40000);
    ASSERT_FALSE(paused.error) << str(paused.error.toText());
    EXPECT_EQ(paused.result.commandTag, QStringLiteral("PAUSE"));

    const Answer dbs = wait([&](auto cb) { admin.show(QStringLiteral("DATABASES"), cb); });
    const int row = findRow(dbs.result, QStringLiteral("name"), db);
    ASSERT_GE(row, 0);
    EXPECT_EQ(dbs.result.integer(row, QStringLiteral("paused")), 1);
    std::optional<Result<QList<PgBouncerDatabase>>> parsed;
    admin.showDatabases([&](const Result<QList<PgBouncerDatabase>> &r) { parsed = r; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return parsed.has_value(); }, 5000));
    ASSERT_TRUE(parsed->ok()) << str(parsed->error().toText());
    bool sawPaused = false, sawReadOnly = false;
    for (const PgBouncerDatabase &d : parsed->value()) {
        EXPECT_NE(d.name, QStringLiteral("pgbouncer")) << "the admin console is not a route";
        // The sandbox sends every database through HAProxy's read-write port, but for the
        // production shape's hokm_game_ro, through its read-only port.
        if (d.name.endsWith(QLatin1String("_ro"))) {
            EXPECT_EQ(d.port, Sandbox::roPort()) << str(d.name);
            sawReadOnly = true;
        } else {
            EXPECT_EQ(d.port, Sandbox::rwPort()) << str(d.name);
        }
        if (d.name == db)
            sawPaused = d.paused;
    }
    EXPECT_TRUE(sawPaused);
    EXPECT_EQ(sawReadOnly,
              qEnvironmentVariable("VIGIL_SANDBOX_SHAPE") == QLatin1String("production"))
        << "hokm_game_ro is in the production shape only";

    std::optional<Answer> held;
    QElapsedTimer clock;
    clock.start();
    qint64 answeredAt = -1;
    app.exec(
        QStringLiteral("SELECT 42 AS answer"), {},
        [&](const PgResult &r, const ServiceError &e) {
            held = Answer{r, e};
            answeredAt = clock.elapsed();
        },
        20000ms);
    vigil::test::spin(1000);
    EXPECT_FALSE(held.has_value()) << "the query went through a paused database";

    std::optional<Result<QList<PgBouncerPool>>> pools;
    admin.showPools([&](const Result<QList<PgBouncerPool>> &r) { pools = r; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return pools.has_value(); }, 5000));
    ASSERT_TRUE(pools->ok());
    qint64 waiting = 0;
    for (const PgBouncerPool &p : pools->value()) {
        if (p.database == db)
            waiting += p.clientsWaiting;
    }
    EXPECT_GE(waiting, 1);

    const qint64 resumedAt = clock.elapsed();
    const Answer resumed = wait([&](auto cb) { admin.resume(db, cb); });
    ASSERT_FALSE(resumed.error) << str(resumed.error.toText());
    ASSERT_TRUE(vigil::test::waitUntil([&] { return held.has_value(); }, 10000));
    ASSERT_FALSE(held->error) << str(held->error.toText());
    EXPECT_EQ(held->result.integer(0, QStringLiteral("answer")), 42);
    EXPECT_GE(answeredAt, resumedAt);
    std::cout << "[ measured ] query held " << answeredAt << " ms by PAUSE, answered "
              << (answeredAt - resumedAt) << " ms after RESUME was sent" << std::endl;

    // RESUME of a database that is not paused: PgBouncer's own error comes back as a Query error.
    const Answer again = wait([&](auto cb) { admin.resume(db, cb); });
    EXPECT_EQ(again.error.kind, ServiceError::Kind::Query) << str(again.error.toText());
    EXPECT_EQ(admin.session()->state(), PgSession::State::Ready);
    EXPECT_TRUE(again.error.message.contains(QStringLiteral("not paused")))
        << str(again.error.message);
}

TEST(PgBouncerSandbox, StoppedBouncerIsAClearConnectError)
{
    VIGIL_REQUIRE_SANDBOX();
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("stop"), QStringLiteral("pgbouncer")}, &out), 0)
        << str(out);
    StartBouncerGuard restart;

    PgBouncerClient client;
    std::optional<ServiceError> failed;
    QObject::connect(client.session(), &PgSession::failed,
                     [&](const ServiceError &e) { failed = e; });
    client.open(adminSettings());
    std::optional<Result<QList<PgBouncerPool>>> pools;
    client.showPools([&](const Result<QList<PgBouncerPool>> &r) { pools = r; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return pools.has_value() && failed; }, 10000));
    ASSERT_FALSE(pools->ok());
    EXPECT_EQ(pools->error().kind, ServiceError::Kind::Connect);
    EXPECT_EQ(failed->kind, ServiceError::Kind::Connect);
    EXPECT_EQ(failed->host, QStringLiteral("127.0.0.1:%1").arg(Sandbox::pgbouncerPort()));
    EXPECT_TRUE(failed->message.contains(QStringLiteral("Connection refused")))
        << str(failed->message);
    std::cout << "[ measured ] " << str(pools->error().toText()) << std::endl;
}
