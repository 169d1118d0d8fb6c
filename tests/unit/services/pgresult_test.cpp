// PgResult's accessors, and the private libpq glue (services/postgres/pglibpq.h): copying a
// PGresult, SQLSTATE classification and connection-error parsing. PGresults are built with libpq's
// own PQmakeEmptyPGresult/PQsetResultAttrs/PQsetvalue, so the copy is tested against real libpq
// results (and runs clean under valgrind: every PGresult is freed by its unique_ptr).
#include "services/postgres/pglibpq.h"
#include "services/postgres/pgresult.h"
#include "support/qtprinters.h"

#include <QDateTime>
#include <cmath>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

PgResult sample()
{
    PgResult r;
    r.columns = {QStringLiteral("name"), QStringLiteral("n"), QStringLiteral("x"),
                 QStringLiteral("ok")};
    r.rows = {
        {QStringLiteral("node1"), QStringLiteral("42"), QStringLiteral("1.5"), QStringLiteral("t")},
        {QVariant(), QStringLiteral("-7"), QStringLiteral("NaN"), QStringLiteral("f")},
        {QStringLiteral("node3"), QStringLiteral("12abc"), QStringLiteral("Infinity"),
         QStringLiteral("maybe")},
        {QStringLiteral("short row")}, // fewer values than columns: never a crash
    };
    r.commandTag = QStringLiteral("SELECT 4");
    return r;
}

// A libpq result with the given text columns and rows (nullptr = SQL NULL).
pg::ResultPtr makeResult(const std::vector<const char *> &names,
                         const std::vector<std::vector<const char *>> &rows)
{
    pg::ResultPtr res(PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK));
    std::vector<PGresAttDesc> attrs(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        attrs[i] = PGresAttDesc{};
        attrs[i].name = const_cast<char *>(names[i]);
        attrs[i].typid = 25; // text
        attrs[i].typlen = -1;
        attrs[i].atttypmod = -1;
    }
    EXPECT_TRUE(PQsetResultAttrs(res.get(), int(attrs.size()), attrs.data()));
    for (size_t t = 0; t < rows.size(); ++t) {
        for (size_t f = 0; f < rows[t].size(); ++f) {
            const char *v = rows[t][f];
            EXPECT_TRUE(PQsetvalue(res.get(), int(t), int(f), const_cast<char *>(v),
                                   v ? int(strlen(v)) : -1));
        }
    }
    return res;
}

} // namespace

TEST(PgResult, TextByColumnNameWithFallbacks)
{
    const PgResult r = sample();
    EXPECT_EQ(r.rowCount(), 4);
    EXPECT_EQ(r.column(QStringLiteral("n")), 1);
    EXPECT_EQ(r.column(QStringLiteral("missing")), -1);
    EXPECT_EQ(r.text(0, QStringLiteral("name")), QStringLiteral("node1"));
    EXPECT_TRUE(r.isNull(1, 0));
    EXPECT_FALSE(r.isNull(0, 0));
    EXPECT_EQ(r.text(1, QStringLiteral("name"), QStringLiteral("-")), QStringLiteral("-"));
    EXPECT_EQ(r.text(0, QStringLiteral("missing"), QStringLiteral("fb")), QStringLiteral("fb"));
    EXPECT_EQ(r.text(99, QStringLiteral("name"), QStringLiteral("fb")), QStringLiteral("fb"));
    EXPECT_EQ(r.text(-1, QStringLiteral("name"), QStringLiteral("fb")), QStringLiteral("fb"));
    EXPECT_EQ(r.text(3, QStringLiteral("ok"), QStringLiteral("fb")), QStringLiteral("fb"));
}

TEST(PgResult, IntegerParsesOnlyWholeNumbers)
{
    const PgResult r = sample();
    EXPECT_EQ(r.integer(0, QStringLiteral("n")), 42);
    EXPECT_EQ(r.integer(1, QStringLiteral("n")), -7);
    EXPECT_EQ(r.integer(2, QStringLiteral("n")), std::nullopt);    // "12abc"
    EXPECT_EQ(r.integer(0, QStringLiteral("x")), std::nullopt);    // "1.5"
    EXPECT_EQ(r.integer(1, QStringLiteral("name")), std::nullopt); // NULL
    EXPECT_EQ(r.integer(0, QStringLiteral("missing")), std::nullopt);
    EXPECT_EQ(r.integer(3, QStringLiteral("n")), std::nullopt); // short row
}

TEST(PgResult, NumberKnowsPostgresSpecialValues)
{
    const PgResult r = sample();
    EXPECT_DOUBLE_EQ(*r.number(0, QStringLiteral("x")), 1.5);
    EXPECT_DOUBLE_EQ(*r.number(0, QStringLiteral("n")), 42.0);
    ASSERT_TRUE(r.number(1, QStringLiteral("x")).has_value());
    EXPECT_TRUE(std::isnan(*r.number(1, QStringLiteral("x"))));
    EXPECT_TRUE(std::isinf(*r.number(2, QStringLiteral("x"))));
    EXPECT_EQ(r.number(2, QStringLiteral("n")), std::nullopt);
    EXPECT_EQ(r.number(1, QStringLiteral("name")), std::nullopt);
}

TEST(PgResult, BooleanIsTOrF)
{
    const PgResult r = sample();
    EXPECT_EQ(r.boolean(0, QStringLiteral("ok")), true);
    EXPECT_EQ(r.boolean(1, QStringLiteral("ok")), false);
    EXPECT_EQ(r.boolean(2, QStringLiteral("ok")), std::nullopt); // "maybe"
    EXPECT_EQ(r.boolean(0, QStringLiteral("missing")), std::nullopt);
}

TEST(PgLibpq, CopyResultKeepsNullsTextAndUtf8)
{
    auto res =
        makeResult({"member", "lag", "note"},
                   {{"node1", "0", nullptr}, {"node2", nullptr, "r\xc3\xa9plica \xe2\x9c\x93"}});
    const PgResult r = pg::copyResult(res.get());
    EXPECT_EQ(r.columns, (QStringList{QStringLiteral("member"), QStringLiteral("lag"),
                                      QStringLiteral("note")}));
    ASSERT_EQ(r.rowCount(), 2);
    EXPECT_EQ(r.text(0, QStringLiteral("member")), QStringLiteral("node1"));
    EXPECT_TRUE(r.isNull(0, 2));
    EXPECT_TRUE(r.isNull(1, 1));
    EXPECT_EQ(r.integer(0, QStringLiteral("lag")), 0);
    EXPECT_EQ(r.text(1, QStringLiteral("note")), QString::fromUtf8("r\xc3\xa9plica \xe2\x9c\x93"));
    // An empty string is a value, not NULL.
    auto empty = makeResult({"v"}, {{""}});
    const PgResult e = pg::copyResult(empty.get());
    EXPECT_FALSE(e.isNull(0, 0));
    EXPECT_EQ(e.text(0, QStringLiteral("v"), QStringLiteral("fb")), QString());
}

TEST(PgLibpq, CopyResultOfNothing)
{
    const PgResult r = pg::copyResult(nullptr);
    EXPECT_TRUE(r.columns.isEmpty());
    EXPECT_EQ(r.rowCount(), 0);
    pg::ResultPtr command(PQmakeEmptyPGresult(nullptr, PGRES_COMMAND_OK));
    const PgResult c = pg::copyResult(command.get());
    EXPECT_EQ(c.rowCount(), 0);
    EXPECT_TRUE(c.columns.isEmpty());
}

TEST(PgLibpq, SqlStateClassification)
{
    using Kind = ServiceError::Kind;
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("28P01")), Kind::Auth);
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("28000")), Kind::Auth);
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("57014")), Kind::Cancelled);
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("57P01")), Kind::Connect);
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("08006")), Kind::Connect);
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("53300")), Kind::Connect);
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("42P01")), Kind::Query);
    EXPECT_EQ(pg::kindForSqlState(QStringLiteral("25006")), Kind::Query);
}

TEST(PgLibpq, VerboseConnectErrorGivesSqlStateAndCleanMessage)
{
    // As recorded from libpq 15 against the sandbox with PQERRORS_VERBOSE.
    const QString raw = QStringLiteral(
        "connection to server at \"127.0.0.1\", port 57330 failed: FATAL:  28P01: password "
        "authentication failed for user \"hokm_app\"\nLOCATION:  auth_failed, auth.c:334\n");
    const ServiceError e =
        pg::errorFromMessage(raw, ServiceError::Kind::Connect, QStringLiteral("connect"),
                             QStringLiteral("127.0.0.1:57330"));
    EXPECT_EQ(e.kind, ServiceError::Kind::Auth);
    EXPECT_EQ(e.code, QStringLiteral("28P01"));
    EXPECT_EQ(e.message, QStringLiteral("connection to server at \"127.0.0.1\", port 57330 failed: "
                                        "FATAL:  password authentication failed for user "
                                        "\"hokm_app\""));
    EXPECT_EQ(e.host, QStringLiteral("127.0.0.1:57330"));
}

TEST(PgLibpq, PgBouncerSaslFailureIsAuth)
{
    const QString raw = QStringLiteral("connection to server at \"127.0.0.1\", port 57340 failed: "
                                       "FATAL:  08P01: SASL authentication failed\n");
    const ServiceError e = pg::errorFromMessage(raw, ServiceError::Kind::Connect, {}, {});
    EXPECT_EQ(e.kind, ServiceError::Kind::Auth);
    EXPECT_EQ(e.code, QStringLiteral("08P01"));
}

TEST(PgLibpq, RefusedConnectionHasNoCodeAndKeepsEveryHost)
{
    const QString raw =
        QStringLiteral("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                       "\tIs the server running on that host and accepting TCP/IP connections?\n"
                       "connection to server at \"127.0.0.1\", port 2 failed: Connection refused\n"
                       "\tIs the server running on that host and accepting TCP/IP connections?\n");
    const ServiceError e = pg::errorFromMessage(raw, ServiceError::Kind::Connect, {}, {});
    EXPECT_EQ(e.kind, ServiceError::Kind::Connect);
    EXPECT_TRUE(e.code.isEmpty());
    EXPECT_EQ(e.message.count(QStringLiteral("Connection refused")), 2);
    EXPECT_FALSE(e.message.startsWith(QLatin1Char('\t')));
    EXPECT_FALSE(e.message.endsWith(QLatin1Char('\n')));
}

TEST(PgLibpq, SecretsAreMaskedInMessages)
{
    const ServiceError e = pg::errorFromMessage(
        QStringLiteral("FATAL:  28P01: oops s3cretPass leaked"), ServiceError::Kind::Connect, {},
        {}, {QStringLiteral("s3cretPass"), QStringLiteral("ab")});
    EXPECT_FALSE(e.message.contains(QStringLiteral("s3cretPass")));
    EXPECT_TRUE(e.message.contains(QStringLiteral("********")));
    // Too short to mask without garbling the text.
    EXPECT_EQ(pg::redact(QStringLiteral("abc"), {QStringLiteral("ab")}), QStringLiteral("abc"));
}

TEST(PgLibpq, StatementLabel)
{
    EXPECT_EQ(pg::statementLabel(QStringLiteral("-- replication state\nSELECT *\n  FROM   "
                                                "pg_stat_replication\n")),
              QStringLiteral("SELECT * FROM pg_stat_replication"));
    const QString label = pg::statementLabel(QString(200, QLatin1Char('x')));
    EXPECT_EQ(label.size(), 60);
    EXPECT_TRUE(label.endsWith(QChar(0x2026)));
}

TEST(PgLibpq, ParameterText)
{
    EXPECT_EQ(pg::parameterText(QVariant()), std::nullopt);
    EXPECT_EQ(pg::parameterText(QVariant::fromValue(nullptr)), std::nullopt);
    EXPECT_EQ(pg::parameterText(true), QByteArray("t"));
    EXPECT_EQ(pg::parameterText(false), QByteArray("f"));
    EXPECT_EQ(pg::parameterText(42), QByteArray("42"));
    EXPECT_EQ(pg::parameterText(qint64(-9000000000)), QByteArray("-9000000000"));
    EXPECT_EQ(pg::parameterText(0.1), QByteArray("0.1"));
    EXPECT_EQ(pg::parameterText(QString()), QByteArray()); // an empty string, not NULL
    EXPECT_EQ(pg::parameterText(QStringLiteral("\u00e9")), QByteArray("\xc3\xa9"));
    EXPECT_EQ(pg::parameterText(QDateTime(QDate(2024, 2, 29), QTime(13, 5, 7, 250), Qt::UTC)),
              QByteArray("2024-02-29T13:05:07.250Z"));
}
