// PgRowReader, the one reader of SQL result rows: positions resolved once, by position and by
// name, NULLs, missing columns, short rows and rows out of range; and sqlResource, the one loader
// of the compiled-in .sql files.
#include "services/postgres/pgrowreader.h"
#include "services/postgres/sqlresource.h"
#include "support/qtprinters.h"

#include <QThread>
#include <cmath>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

PgResult sample()
{
    PgResult r;
    r.columns = {QStringLiteral("name"), QStringLiteral("n"), QStringLiteral("x"),
                 QStringLiteral("ok"), QStringLiteral("n")}; // a second "n": the first one wins
    r.rows = {
        {QStringLiteral("node1"), QStringLiteral("42"), QStringLiteral("1.5"), QStringLiteral("t"),
         QStringLiteral("0")},
        {QVariant(), QStringLiteral(" -7 "), QStringLiteral("NaN"), QStringLiteral("f"),
         QVariant()},
        {QStringLiteral("node3"), QStringLiteral("12abc"), QStringLiteral("-Infinity"),
         QStringLiteral("maybe"), QVariant()},
        {QStringLiteral("short row")},
    };
    return r;
}

} // namespace

TEST(PgRowReader, ResolvesColumnPositionsOnce)
{
    const PgResult result = sample();
    const PgRowReader reader(result);
    EXPECT_EQ(reader.rowCount(), 4);
    EXPECT_EQ(reader.column("name"), 0);
    EXPECT_EQ(reader.column("n"), 1);
    EXPECT_EQ(reader.column("ok"), 3);
    EXPECT_EQ(reader.column("missing"), -1);
    EXPECT_TRUE(reader.hasColumn("x"));
    EXPECT_FALSE(reader.hasColumn("missing"));
    EXPECT_EQ(&reader.result(), &result);
}

TEST(PgRowReader, ReadsCellsByPosition)
{
    const PgResult result = sample();
    const PgRowReader r(result);
    const int name = r.column("name"), n = r.column("n"), x = r.column("x"), ok = r.column("ok");
    EXPECT_EQ(r.text(0, name), QStringLiteral("node1"));
    EXPECT_EQ(r.text(1, name), QString()) << "NULL";
    EXPECT_EQ(r.cell(1, name), nullptr);
    ASSERT_NE(r.cell(0, name), nullptr);
    EXPECT_EQ(r.integer(0, n), 42);
    EXPECT_EQ(r.integer(1, n), -7) << "blanks around a number are fine";
    EXPECT_EQ(r.integer(2, n), std::nullopt) << "12abc";
    EXPECT_EQ(r.integer(0, x), std::nullopt) << "1.5 is not whole";
    EXPECT_DOUBLE_EQ(r.number(0, x).value_or(0), 1.5);
    EXPECT_TRUE(std::isnan(r.number(1, x).value_or(0)));
    EXPECT_TRUE(std::isinf(r.number(2, x).value_or(0)));
    EXPECT_LT(r.number(2, x).value_or(0), 0);
    EXPECT_EQ(r.boolean(0, ok), true);
    EXPECT_EQ(r.boolean(1, ok), false);
    EXPECT_EQ(r.boolean(2, ok), std::nullopt) << "maybe";
    EXPECT_TRUE(r.flag(0, ok));
    EXPECT_FALSE(r.flag(2, ok));
    // A missing column, a short row and rows out of range read as absent, never a crash.
    EXPECT_EQ(r.text(0, -1), QString());
    EXPECT_EQ(r.integer(3, n), std::nullopt);
    EXPECT_EQ(r.text(4, name), QString());
    EXPECT_EQ(r.text(-1, name), QString());
    EXPECT_FALSE(r.flag(3, ok));
}

TEST(PgRowReader, ReadsOneRowByName)
{
    const PgResult result = sample();
    const PgRowReader reader(result);
    const PgRowReader::Row first = reader.row(0);
    EXPECT_TRUE(first.has("name"));
    EXPECT_FALSE(first.has("missing"));
    EXPECT_EQ(first.text("name"), QStringLiteral("node1"));
    EXPECT_EQ(first.integer("n"), 42);
    EXPECT_DOUBLE_EQ(first.number("x").value_or(0), 1.5);
    EXPECT_TRUE(first.flag("ok"));
    EXPECT_EQ(first.text("missing"), QString());
    const PgRowReader::Row second = reader.row(1);
    EXPECT_FALSE(second.has("name")) << "NULL";
    EXPECT_FALSE(second.flag("ok"));
    EXPECT_FALSE(reader.row(3).has("n")) << "short row";
}

// PgResult's accessors by name read with the same conversions.
TEST(PgRowReader, PgResultAccessorsAgree)
{
    const PgResult result = sample();
    const PgRowReader reader(result);
    for (int row = 0; row < 4; ++row) {
        const PgRowReader::Row r = reader.row(row);
        EXPECT_EQ(result.text(row, QStringLiteral("name")), r.text("name"));
        EXPECT_EQ(result.integer(row, QStringLiteral("n")), r.integer("n"));
        EXPECT_EQ(result.boolean(row, QStringLiteral("ok")).value_or(false), r.flag("ok"));
    }
}

TEST(SqlResource, LoadsEachCompiledInFileOnce)
{
    const QString &tree = sqlResource(QStringLiteral("locks_tree"));
    ASSERT_FALSE(tree.isEmpty());
    EXPECT_EQ(&sqlResource(QStringLiteral("locks_tree")), &tree) << "served from the cache";
    EXPECT_FALSE(sqlResource(QStringLiteral("monitor_member_cheap")).isEmpty());
    EXPECT_TRUE(sqlResource(QStringLiteral("no_such_query")).isEmpty());
    // From another thread too (the lock parser runs on the thread pool).
    QString fromThread;
    QThread *thread = QThread::create(
        [&fromThread] { fromThread = sqlResource(QStringLiteral("locks_waiting")); });
    thread->start();
    ASSERT_TRUE(thread->wait(5000));
    delete thread;
    EXPECT_EQ(fromThread, sqlResource(QStringLiteral("locks_waiting")));
    EXPECT_FALSE(fromThread.isEmpty());
}
