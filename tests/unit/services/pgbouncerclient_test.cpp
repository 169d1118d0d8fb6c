// SHOW POOLS parsing against answers recorded from the real sandbox PgBouncer 1.18
// (tests/fixtures/pgbouncer/record.sh, `psql --csv`, SQL NULL written as \N), malformed answers,
// and the client's refusal to send anything outside its allow-lists.
#include "services/proxies/pgbouncerclient.h"
#include "support/csvresult.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"

#include <QFile>
#include <QHash>
#include <gtest/gtest.h>
#include <optional>

using namespace vigil::services;

namespace {

PgResult loadCsv(const QString &name)
{
    return vigil::test::loadPsqlCsv(QStringLiteral(VIGIL_FIXTURES_DIR "/pgbouncer/") + name);
}

PgResult withoutColumn(PgResult r, const QString &name)
{
    const int col = r.column(name);
    r.columns.removeAt(col);
    for (auto &row : r.rows)
        row.removeAt(col);
    return r;
}

const PgBouncerPool *findPool(const QList<PgBouncerPool> &pools, const char *db, const char *user)
{
    for (const auto &p : pools) {
        if (p.database == QLatin1String(db) && p.user == QLatin1String(user))
            return &p;
    }
    return nullptr;
}

} // namespace

TEST(PgBouncerFixtures, LoaderReadsRecordedAnswers)
{
    const PgResult clients = loadCsv(QStringLiteral("show_clients.csv"));
    ASSERT_GE(clients.column(QStringLiteral("state")), 0);
    ASSERT_GE(clients.column(QStringLiteral("application_name")), 0);
    int waiting = 0;
    for (int row = 0; row < clients.rowCount(); ++row) {
        ASSERT_EQ(clients.rows.at(row).size(), clients.columns.size()) << "row " << row;
        if (clients.text(row, QStringLiteral("state")) == QLatin1String("waiting"))
            ++waiting;
    }
    EXPECT_EQ(waiting, 3); // 2 over the hokm_game pool size, 1 on the paused postgres database

    const PgResult databases = loadCsv(QStringLiteral("show_databases.csv"));
    int pausedRow = -1;
    for (int row = 0; row < databases.rowCount(); ++row) {
        if (databases.text(row, QStringLiteral("name")) == QLatin1String("postgres"))
            pausedRow = row;
    }
    ASSERT_GE(pausedRow, 0);
    EXPECT_EQ(databases.integer(pausedRow, QStringLiteral("paused")), 1);
    EXPECT_TRUE(databases.isNull(pausedRow, databases.column(QStringLiteral("force_user"))));

    const PgResult servers = loadCsv(QStringLiteral("show_servers.csv"));
    EXPECT_EQ(servers.rowCount(), 20); // the hokm_game pool, full
    const PgResult stats = loadCsv(QStringLiteral("show_stats.csv"));
    EXPECT_GE(stats.column(QStringLiteral("total_wait_time")), 0);
}

TEST(PgBouncerPools, ParsesRecordedShowPools)
{
    const auto pools = parsePgBouncerPools(loadCsv(QStringLiteral("show_pools.csv")));
    ASSERT_TRUE(pools.ok()) << pools.error().toText().toStdString();
    EXPECT_EQ(pools->size(), 5);

    const PgBouncerPool *game = findPool(pools.value(), "hokm_game", "hokm_app");
    ASSERT_NE(game, nullptr);
    EXPECT_EQ(game->clientsActive, 20);
    EXPECT_EQ(game->clientsWaiting, 2);
    EXPECT_EQ(game->serversActive, 20);
    EXPECT_EQ(game->serversIdle, 0);
    EXPECT_EQ(game->maxWaitSeconds, 2);
    EXPECT_NEAR(game->maxWait, 2.529938, 1e-9);
    EXPECT_EQ(game->poolMode, QStringLiteral("transaction"));

    const PgBouncerPool *paused = findPool(pools.value(), "postgres", "vigil");
    ASSERT_NE(paused, nullptr);
    EXPECT_EQ(paused->clientsWaiting, 1);
    EXPECT_EQ(paused->clientsActive, 0);

    const PgBouncerPool *admin = findPool(pools.value(), "pgbouncer", "pgbouncer");
    ASSERT_NE(admin, nullptr);
    EXPECT_EQ(admin->poolMode, QStringLiteral("statement"));
}

TEST(PgBouncerPools, OlderPgBouncerWithoutMicroseconds)
{
    const PgResult r = withoutColumn(
        withoutColumn(loadCsv(QStringLiteral("show_pools.csv")), QStringLiteral("maxwait_us")),
        QStringLiteral("pool_mode"));
    const auto pools = parsePgBouncerPools(r);
    ASSERT_TRUE(pools.ok()) << pools.error().toText().toStdString();
    const PgBouncerPool *game = findPool(pools.value(), "hokm_game", "hokm_app");
    ASSERT_NE(game, nullptr);
    EXPECT_DOUBLE_EQ(game->maxWait, 2.0);
    EXPECT_TRUE(game->poolMode.isEmpty());
}

TEST(PgBouncerPools, MissingColumnIsAParseError)
{
    const auto pools = parsePgBouncerPools(
        withoutColumn(loadCsv(QStringLiteral("show_pools.csv")), QStringLiteral("cl_waiting")));
    ASSERT_FALSE(pools.ok());
    EXPECT_EQ(pools.error().kind, ServiceError::Kind::Parse);
    EXPECT_TRUE(pools.error().message.contains(QStringLiteral("cl_waiting")))
        << pools.error().message.toStdString();
}

TEST(PgBouncerPools, NonNumericValueIsAParseError)
{
    PgResult r = loadCsv(QStringLiteral("show_pools.csv"));
    r.rows[1][r.column(QStringLiteral("sv_idle"))] = QStringLiteral("lots");
    const auto pools = parsePgBouncerPools(r);
    ASSERT_FALSE(pools.ok());
    EXPECT_EQ(pools.error().kind, ServiceError::Kind::Parse);
    EXPECT_TRUE(pools.error().message.contains(QStringLiteral("sv_idle")));
    EXPECT_TRUE(pools.error().message.contains(QStringLiteral("lots")));
    EXPECT_TRUE(pools.error().message.contains(QStringLiteral("row 2")));
}

TEST(PgBouncerPools, NullNegativeAndShortRowsAreParseErrors)
{
    PgResult nullCount = loadCsv(QStringLiteral("show_pools.csv"));
    nullCount.rows[0][nullCount.column(QStringLiteral("maxwait"))] = QVariant();
    EXPECT_EQ(parsePgBouncerPools(nullCount).error().kind, ServiceError::Kind::Parse);

    PgResult negative = loadCsv(QStringLiteral("show_pools.csv"));
    negative.rows[0][negative.column(QStringLiteral("cl_active"))] = QStringLiteral("-3");
    EXPECT_EQ(parsePgBouncerPools(negative).error().kind, ServiceError::Kind::Parse);

    PgResult shortRow = loadCsv(QStringLiteral("show_pools.csv"));
    shortRow.rows[2].resize(3);
    const auto pools = parsePgBouncerPools(shortRow);
    ASSERT_FALSE(pools.ok());
    EXPECT_EQ(pools.error().kind, ServiceError::Kind::Parse);
    EXPECT_TRUE(pools.error().message.contains(QStringLiteral("row 3")));
}

TEST(PgBouncerPools, EmptyAnswers)
{
    PgResult noRows = loadCsv(QStringLiteral("show_pools.csv"));
    noRows.rows.clear();
    const auto pools = parsePgBouncerPools(noRows);
    ASSERT_TRUE(pools.ok());
    EXPECT_TRUE(pools->isEmpty());
    // No columns at all (e.g. the command answered with a bare tag): a parse error, not a crash.
    EXPECT_EQ(parsePgBouncerPools(PgResult()).error().kind, ServiceError::Kind::Parse);
}

namespace {

// Runs `call` against a client that was never opened and returns the answer.
std::optional<ServiceError> answerOf(PgBouncerClient &client,
                                     const std::function<void(PgBouncerClient::Callback)> &call,
                                     int *pendingRightAfter)
{
    std::optional<ServiceError> answer;
    bool calledInline = true;
    call([&](const PgResult &, const ServiceError &e) {
        EXPECT_FALSE(calledInline) << "the callback must not run inside the call";
        answer = e;
    });
    calledInline = false;
    *pendingRightAfter = client.session()->pendingQueries();
    vigil::test::waitUntil([&] { return answer.has_value(); }, 2000);
    return answer;
}

} // namespace

TEST(PgBouncerClient, UnknownShowTargetIsRefusedBeforeSending)
{
    PgBouncerClient client;
    int pending = -1;
    const auto answer = answerOf(
        client, [&](auto cb) { client.show(QStringLiteral("POOLS; SHUTDOWN"), cb); }, &pending);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->kind, ServiceError::Kind::Refused);
    EXPECT_EQ(pending, 0);
    for (const char *bad : {"FDS", "HELP", "", "pools pools", "SHUTDOWN"}) {
        const auto a = answerOf(
            client, [&](auto cb) { client.show(QString::fromUtf8(bad), cb); }, &pending);
        ASSERT_TRUE(a.has_value());
        EXPECT_EQ(a->kind, ServiceError::Kind::Refused) << bad;
    }
}

TEST(PgBouncerClient, AllowedShowTargetIsSent)
{
    // Not opened, so the session answers "not open": proof the command got past the allow-list.
    PgBouncerClient client;
    int pending = -1;
    const auto answer = answerOf(
        client, [&](auto cb) { client.show(QStringLiteral(" clients "), cb); }, &pending);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->kind, ServiceError::Kind::Connect);
    EXPECT_EQ(answer->what, QStringLiteral("SHOW CLIENTS"));
}

TEST(PgBouncerClient, DatabaseNamesAreValidatedAndQuoted)
{
    PgBouncerClient client;
    int pending = -1;
    for (const char *bad : {"hokm_game; SHUTDOWN", "a\"b", "two words", "x\n", "-",
                            "a234567890123456789012345678901234567890123456789012345678901234"}) {
        const auto a = answerOf(
            client, [&](auto cb) { client.pause(QString::fromUtf8(bad), cb); }, &pending);
        ASSERT_TRUE(a.has_value());
        EXPECT_EQ(a->kind, ServiceError::Kind::Refused) << bad;
        EXPECT_EQ(pending, 0);
    }
    const auto ok = answerOf(
        client, [&](auto cb) { client.resume(QStringLiteral("hokm_game"), cb); }, &pending);
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->kind, ServiceError::Kind::Connect); // sent (to a session that is not open)
    EXPECT_EQ(ok->what, QStringLiteral("RESUME \"hokm_game\""));
    const auto all = answerOf(
        client, [&](auto cb) { client.reconnect(QString(), cb); }, &pending);
    EXPECT_EQ(all->what, QStringLiteral("RECONNECT"));
}

TEST(PgBouncerDatabases, ParsesRecordedShowDatabases)
{
    // Recorded during a PAUSE of postgres: every database through HAProxy's read-write port.
    const auto r = parsePgBouncerDatabases(loadCsv(QStringLiteral("show_databases.csv")));
    ASSERT_TRUE(r.ok()) << r.error().message.toStdString();
    ASSERT_EQ(r.value().size(), 2) << "the admin console's own database is left out";
    const PgBouncerDatabase &game = r.value()[0];
    EXPECT_EQ(game.name, QStringLiteral("hokm_game"));
    EXPECT_EQ(game.host, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(game.port, 57330);
    EXPECT_EQ(game.database, QStringLiteral("hokm_game"));
    EXPECT_FALSE(game.paused);
    EXPECT_TRUE(r.value()[1].paused);
    EXPECT_FALSE(r.value()[1].disabled);
}

TEST(PgBouncerDatabases, OlderPgBouncerAndBrokenAnswers)
{
    const auto old = parsePgBouncerDatabases(withoutColumn(
        withoutColumn(loadCsv(QStringLiteral("show_databases.csv")), QStringLiteral("paused")),
        QStringLiteral("disabled")));
    ASSERT_TRUE(old.ok());
    EXPECT_FALSE(old.value()[1].paused) << "no column: nothing is known to be paused";

    const auto noPort = parsePgBouncerDatabases(
        withoutColumn(loadCsv(QStringLiteral("show_databases.csv")), QStringLiteral("port")));
    ASSERT_FALSE(noPort.ok());
    EXPECT_TRUE(noPort.error().message.contains(QStringLiteral("\"port\"")))
        << noPort.error().message.toStdString();

    PgResult badPort = loadCsv(QStringLiteral("show_databases.csv"));
    badPort.rows[0][badPort.column(QStringLiteral("port"))] = QStringLiteral("sixty");
    const auto bad = parsePgBouncerDatabases(badPort);
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().message.contains(QStringLiteral("sixty")))
        << bad.error().message.toStdString();
}

TEST(PgBouncerStats, ParsesRecordedShowStats)
{
    const auto stats = parsePgBouncerStats(loadCsv(QStringLiteral("show_stats.csv")));
    ASSERT_TRUE(stats.ok()) << stats.error().toText().toStdString();
    const PgBouncerStats *game = nullptr;
    for (const auto &s : stats.value())
        if (s.database == QLatin1String("hokm_game"))
            game = &s;
    ASSERT_NE(game, nullptr);
    EXPECT_EQ(game->transactions, 22);
    EXPECT_EQ(game->queries, 22);
    EXPECT_EQ(game->received, 480);
    EXPECT_EQ(game->sent, 1060);
    EXPECT_EQ(game->waitTimeUs, 2441019);
}

TEST(PgBouncerStats, NamesTheMissingColumnAndTheBadCell)
{
    const PgResult recorded = loadCsv(QStringLiteral("show_stats.csv"));
    const auto missing = parsePgBouncerStats(withoutColumn(recorded, QStringLiteral("total_sent")));
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().message.contains(QLatin1String("total_sent")));
    EXPECT_EQ(missing.error().what, QStringLiteral("SHOW STATS"));

    PgResult bad = recorded;
    bad.rows[0][bad.column(QStringLiteral("total_query_count"))] = QStringLiteral("-3");
    const auto negative = parsePgBouncerStats(bad);
    ASSERT_FALSE(negative.ok());
    EXPECT_TRUE(negative.error().message.contains(QLatin1String("total_query_count")));
}

TEST(PgBouncerConnections, ParsesRecordedClientsAndServers)
{
    const auto clients = parsePgBouncerConnections(loadCsv(QStringLiteral("show_clients.csv")),
                                                   QStringLiteral("SHOW CLIENTS"));
    ASSERT_TRUE(clients.ok()) << clients.error().toText().toStdString();
    int waiting = 0;
    for (const auto &c : clients.value()) {
        EXPECT_EQ(c.type, QStringLiteral("C"));
        EXPECT_FALSE(c.ptr.isEmpty());
        if (c.state == QLatin1String("waiting"))
            ++waiting;
    }
    EXPECT_EQ(waiting, 3);
    const PgBouncerConnection &first = clients->first();
    EXPECT_EQ(first.user, QStringLiteral("hokm_app"));
    EXPECT_EQ(first.port, 54036);
    EXPECT_NEAR(first.waitSeconds, 3.292439, 1e-6);
    EXPECT_EQ(first.applicationName, QStringLiteral("fixture-sleeper"));

    const auto servers = parsePgBouncerConnections(loadCsv(QStringLiteral("show_servers.csv")),
                                                   QStringLiteral("SHOW SERVERS"));
    ASSERT_TRUE(servers.ok());
    EXPECT_EQ(servers->size(), 20);
    EXPECT_EQ(servers->first().type, QStringLiteral("S"));
    EXPECT_EQ(servers->first().port, 57330);
}

TEST(PgBouncerConnections, MissingColumnNamesTheCommand)
{
    const auto r = parsePgBouncerConnections(
        withoutColumn(loadCsv(QStringLiteral("show_servers.csv")), QStringLiteral("state")),
        QStringLiteral("SHOW SERVERS"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().what, QStringLiteral("SHOW SERVERS"));
    EXPECT_TRUE(r.error().message.contains(QLatin1String("state")));
}

TEST(PgBouncerConfig, ParsesRecordedShowConfigWithFailoverSettings)
{
    const auto config = parsePgBouncerConfig(loadCsv(QStringLiteral("show_config.csv")));
    ASSERT_TRUE(config.ok()) << config.error().toText().toStdString();
    QHash<QString, PgBouncerConfigItem> byKey;
    for (const auto &item : config.value())
        byKey.insert(item.key, item);
    for (const QString &key : pgBouncerFailoverSettings())
        EXPECT_TRUE(byKey.contains(key)) << key.toStdString();
    EXPECT_EQ(byKey.value(QStringLiteral("pool_mode")).value, QStringLiteral("transaction"));
    EXPECT_EQ(byKey.value(QStringLiteral("pool_mode")).defaultValue, QStringLiteral("session"));
    EXPECT_EQ(byKey.value(QStringLiteral("server_login_retry")).value, QStringLiteral("1"));
    EXPECT_EQ(byKey.value(QStringLiteral("default_pool_size")).value, QStringLiteral("20"));
    EXPECT_TRUE(byKey.value(QStringLiteral("max_client_conn")).changeable);

    const auto missing = parsePgBouncerConfig(
        withoutColumn(loadCsv(QStringLiteral("show_config.csv")), QStringLiteral("value")));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().what, QStringLiteral("SHOW CONFIG"));
}
