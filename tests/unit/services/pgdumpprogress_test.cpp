// PgDumpProgress: the progress of pg_dump -v, from stderr recorded on the sandbox
// (tests/fixtures/backup/: pg_dump 15 of hokm_game from a replica, and a wrong password).
#include "services/backup/pgdumpprogress.h"
#include "support/fixturefile.h"

#include <QFile>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

QByteArray fixture(const char *name)
{
    return vigil::test::fixtureFile(QStringLiteral("backup/") + QLatin1String(name));
}

QList<BackupTable> hokmTables()
{
    // game_moves is three times the weight of game_sessions.
    return {{QStringLiteral("public"), QStringLiteral("game_moves"), 3 * 1024 * 1024},
            {QStringLiteral("public"), QStringLiteral("game_sessions"), 1024 * 1024}};
}

} // namespace

TEST(PgDumpProgress, RecordedRunAdvancesPerTable)
{
    PgDumpProgress p;
    p.setTables(hokmTables());
    const QByteArray all = fixture("pg_dump_v_hokm_game.stderr");
    const qsizetype cut = all.indexOf("dumping contents of table \"public.game_sessions\"");
    ASSERT_GT(cut, 0);
    EXPECT_TRUE(p.feed(all.left(cut)));
    EXPECT_EQ(p.currentTable(), QStringLiteral("public.game_moves"));
    EXPECT_EQ(p.tablesStarted(), 1);
    EXPECT_DOUBLE_EQ(p.fraction(), 0.0);
    EXPECT_TRUE(p.feed(all.mid(cut)));
    EXPECT_EQ(p.currentTable(), QStringLiteral("public.game_sessions"));
    EXPECT_EQ(p.tablesStarted(), 2);
    EXPECT_DOUBLE_EQ(p.fraction(), 0.75); // game_moves (3 of 4 MiB) is done
    p.finish();
    EXPECT_DOUBLE_EQ(p.fraction(), 1.0);
    EXPECT_TRUE(p.errorText().isEmpty());
    EXPECT_TRUE(p.messages().isEmpty()); // "reading ..." lines are not kept
}

// PgDumpRunner reads the sizes while pg_dump runs: sizes that come after both tables started
// weigh them as if they had come first.
TEST(PgDumpProgress, SizesThatComeLateWeighTheTablesAlreadyStarted)
{
    PgDumpProgress p;
    const QByteArray all = fixture("pg_dump_v_hokm_game.stderr");
    const qsizetype cut = all.indexOf("dumping contents of table \"public.game_sessions\"");
    ASSERT_GT(cut, 0);
    const qsizetype after = all.indexOf('\n', cut);
    ASSERT_GT(after, cut);
    EXPECT_TRUE(p.feed(all.left(after + 1)));
    EXPECT_EQ(p.tablesStarted(), 2);
    EXPECT_DOUBLE_EQ(p.fraction(), 0.5); // no sizes yet: both weigh the minimum
    p.setTables(hokmTables());
    EXPECT_DOUBLE_EQ(p.fraction(), 0.75); // game_moves (3 of 4 MiB) is done
    EXPECT_EQ(p.tablesTotal(), 2);
    EXPECT_EQ(p.totalBytes(), 4 * 1024 * 1024);
    p.feed(all.mid(after + 1));
    p.finish();
    EXPECT_DOUBLE_EQ(p.fraction(), 1.0);
}

TEST(PgDumpProgress, LinesCutAnywhereAreJoined)
{
    PgDumpProgress whole, bytewise;
    whole.setTables(hokmTables());
    bytewise.setTables(hokmTables());
    const QByteArray all = fixture("pg_dump_v_hokm_game.stderr");
    whole.feed(all);
    for (char c : all)
        bytewise.feed(QByteArray(1, c));
    EXPECT_EQ(bytewise.tablesStarted(), whole.tablesStarted());
    EXPECT_EQ(bytewise.currentTable(), whole.currentTable());
    EXPECT_DOUBLE_EQ(bytewise.fraction(), whole.fraction());
}

TEST(PgDumpProgress, WrongPasswordGivesPgDumpsOwnMessage)
{
    PgDumpProgress p;
    p.feed(fixture("pg_dump_wrong_password.stderr"));
    p.finish();
    EXPECT_TRUE(p.errorText().contains(QStringLiteral("password authentication failed for user "
                                                      "\"hokm_app\"")))
        << p.errorText().toStdString();
    EXPECT_TRUE(p.errorText().startsWith(QStringLiteral("error: connection to server")));
}

TEST(PgDumpProgress, VersionMismatchLinesAreKept)
{
    // pg_dump's wording (src/bin/pg_dump/pg_backup_db.c); not recordable here, where client
    // and sandbox are both 15.
    PgDumpProgress p;
    p.feed("pg_dump: error: aborting because of server version mismatch\n"
           "pg_dump: detail: server version: 16.1; pg_dump version: 15.18\n");
    EXPECT_EQ(p.errorText(),
              QStringLiteral("error: aborting because of server version mismatch\n"
                             "detail: server version: 16.1; pg_dump version: 15.18"));
}

TEST(PgDumpProgress, UnknownTablesWeighTheMinimumAndOldFormatIsRead)
{
    PgDumpProgress p;
    p.setTables({{QStringLiteral("public"), QStringLiteral("a"), 0}});
    EXPECT_EQ(PgDumpProgress::tableInLine(QStringLiteral("pg_dump: dumping contents of table "
                                                         "public.a")),
              QStringLiteral("public.a"));
    p.feed("pg_dump: dumping contents of table \"public.a\"\n"
           "pg_dump: dumping contents of table \"public.created_later\"\n");
    EXPECT_EQ(p.tablesStarted(), 2);
    EXPECT_DOUBLE_EQ(p.fraction(), 0.5);
    EXPECT_LE(p.fraction(), 1.0);
}
