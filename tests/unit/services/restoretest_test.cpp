// The restore test's pure parts: pg_restore's invocation (no password on its command line or in
// its environment), pg_dump's with --snapshot, pg_restore -v's progress and errors (stderr
// recorded on the sandbox, tests/fixtures/backup/pg_restore_v_*.stderr), the counts sidecar,
// the verdict and the audit entry.
#include "services/backup/backupaudit.h"
#include "services/backup/pgdumpinvocation.h"
#include "services/backup/pgdumpprogress.h"
#include "services/backup/restoresidecar.h"
#include "services/backup/restoretesttypes.h"
#include "support/fixturefile.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

QByteArray fixture(const char *name)
{
    return vigil::test::fixtureFile(QStringLiteral("backup/") + QLatin1String(name));
}

RestoreTableCheck check(const char *name, qint64 sourceRows, qint64 restoredRows,
                        const char *sourceSum = "17", const char *restoredSum = "17")
{
    RestoreTableCheck t;
    t.schema = QStringLiteral("public");
    t.name = QLatin1String(name);
    t.columns = {QStringLiteral("id"), QStringLiteral("player_id")};
    t.source = {sourceRows, QLatin1String(sourceSum), {}};
    t.restored = {restoredRows, QLatin1String(restoredSum), {}};
    return t;
}

RestoreTestResult provenResult()
{
    RestoreTestResult r;
    r.proven = true;
    r.snapshot = QStringLiteral("00000003-00000005-1");
    r.tables = {check("game_moves", 12000, 12000), check("game_sessions", 3000, 3000)};
    return r;
}

} // namespace

TEST(RestoreTestInvocation, PgRestorePasswordGoesToPgpassOnly)
{
    PgRestoreRequest r;
    r.connection = PgConnectionSettings::forApplication(QStringLiteral("dbname=postgres"),
                                                        QStringLiteral("vigil-restore-test"),
                                                        QStringLiteral("s3cret"))
                       .atMember(QStringLiteral("/tmp/vigil-restore-abc"), 54321);
    r.database = QStringLiteral("vigil_restore_test");
    r.dumpFile = QStringLiteral("/tmp/x/hokm_game.dump");
    QProcessEnvironment base;
    base.insert(QStringLiteral("PGPASSWORD"), QStringLiteral("s3cret"));
    const PgDumpInvocation inv =
        buildPgRestoreInvocation(r, QStringLiteral("/tmp/vigil-pgpass-1"), base);
    EXPECT_EQ(inv.arguments.first(), QStringLiteral("-v"));
    EXPECT_TRUE(inv.arguments.contains(QStringLiteral("--no-owner")));
    EXPECT_TRUE(inv.arguments.contains(QStringLiteral("--no-privileges")));
    EXPECT_EQ(inv.arguments.last(), r.dumpFile);
    for (const QString &a : inv.arguments)
        EXPECT_FALSE(a.contains(QStringLiteral("s3cret"))) << a.toStdString();
    for (const QString &kv : inv.environment.toStringList())
        EXPECT_FALSE(kv.contains(QStringLiteral("s3cret"))) << kv.toStdString();
    EXPECT_EQ(inv.environment.value(QStringLiteral("PGPASSFILE")),
              QStringLiteral("/tmp/vigil-pgpass-1"));
    EXPECT_EQ(inv.pgpassLine, QStringLiteral("*:*:*:*:s3cret\n"));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("dbname='vigil_restore_test'")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("port='54321'")));
}

TEST(RestoreTestInvocation, PgDumpGetsTheExportedSnapshot)
{
    PgDumpRequest r;
    r.connection = PgConnectionSettings::forApplication(QStringLiteral("dbname=postgres"),
                                                        QStringLiteral("vigil-backup"));
    r.database = QStringLiteral("hokm_game");
    r.outputFile = QStringLiteral("/tmp/d.dump");
    r.snapshot = QStringLiteral("00000003-00000005-1");
    const auto inv = buildPgDumpInvocation(r, {}, QProcessEnvironment());
    ASSERT_EQ(inv.arguments.size(), 5);
    EXPECT_EQ(inv.arguments[3], QStringLiteral("--snapshot=00000003-00000005-1"));
    EXPECT_TRUE(inv.arguments[4].startsWith(QStringLiteral("--dbname=")));
}

TEST(RestoreTestProgress, PgRestoreVerboseAdvancesPerTable)
{
    PgDumpProgress p;
    p.setTables({{QStringLiteral("public"), QStringLiteral("game_moves"), 3 * 1024 * 1024},
                 {QStringLiteral("public"), QStringLiteral("game_sessions"), 1024 * 1024}});
    const QByteArray all = fixture("pg_restore_v_hokm_game.stderr");
    const qsizetype cut = all.indexOf("processing data for table \"public.game_sessions\"");
    ASSERT_GT(cut, 0);
    EXPECT_TRUE(p.feed(all.left(cut)));
    EXPECT_EQ(p.currentTable(), QStringLiteral("public.game_moves"));
    EXPECT_TRUE(p.feed(all.mid(cut)));
    EXPECT_EQ(p.tablesStarted(), 2);
    EXPECT_DOUBLE_EQ(p.fraction(), 0.75);
    p.finish();
    EXPECT_TRUE(p.errorText().isEmpty()) << p.errorText().toStdString();
}

TEST(RestoreTestProgress, PgRestoreErrorsAreQuotedWithTheirTocEntry)
{
    PgDumpProgress p;
    p.feed(fixture("pg_restore_v_twice.stderr"));
    p.finish();
    const QString text = p.errorText();
    // The error lines without the tool's prefix, with the entry (and so the table) named.
    EXPECT_TRUE(text.contains(QStringLiteral("from TOC entry"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("error: could not execute query: ERROR:")))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("errors ignored on restore: 11")));
    EXPECT_FALSE(text.contains(QStringLiteral("pg_restore: ")));
}

TEST(RestoreTestSidecar, RoundTripsTheSourceFigures)
{
    QTemporaryDir dir;
    const QString dump = dir.filePath(QStringLiteral("hokm_game.dump"));
    RestoreSidecar s{QStringLiteral("hokm_game"),
                     QStringLiteral("UTF8"),
                     QStringLiteral("127.0.0.1:61611"),
                     QStringLiteral("00000003-00000005-1"),
                     {check("game_moves", 9007199254740993LL, 0)}};
    ASSERT_TRUE(writeRestoreSidecar(dump, s).isEmpty());
    EXPECT_EQ(restoreSidecarPath(dump), dump + QStringLiteral(".counts.json"));
    QString error;
    const auto back = readRestoreSidecar(dump, &error);
    ASSERT_TRUE(back.has_value()) << error.toStdString();
    EXPECT_EQ(back->snapshot, s.snapshot);
    EXPECT_EQ(back->encoding, QStringLiteral("UTF8"));
    ASSERT_EQ(back->tables.size(), 1);
    // 2^53 + 1: a row count survives exactly (JSON numbers would round it).
    EXPECT_EQ(back->tables[0].source.rows, 9007199254740993LL);
    EXPECT_EQ(back->tables[0].source.checksum, QStringLiteral("17"));
    EXPECT_EQ(back->tables[0].columns, s.tables[0].columns);
    EXPECT_FALSE(back->tables[0].restored.rows.has_value());
}

TEST(RestoreTestSidecar, NoSidecarIsNulloptAndAForeignFileAnError)
{
    QTemporaryDir dir;
    const QString dump = dir.filePath(QStringLiteral("other.dump"));
    QString error;
    EXPECT_FALSE(readRestoreSidecar(dump, &error).has_value());
    EXPECT_TRUE(error.isEmpty());
    QFile f(restoreSidecarPath(dump));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("{\"something\": 1}");
    f.close();
    EXPECT_FALSE(readRestoreSidecar(dump, &error).has_value());
    EXPECT_FALSE(error.isEmpty());
}

TEST(RestoreTestVerdict, PassesOnlyWhenProvenCompleteAndEqual)
{
    RestoreTestResult r = provenResult();
    EXPECT_TRUE(r.passed());
    r.tables[0].restored.rows = 11999;
    EXPECT_FALSE(r.passed());
    EXPECT_EQ(r.failedTables(), 1);
    r = provenResult();
    r.tables[1].restored.checksum = QStringLiteral("18"); // same count, other rows
    EXPECT_FALSE(r.passed());
    r = provenResult();
    r.tables[1].restored.error = QStringLiteral("relation does not exist");
    EXPECT_FALSE(r.passed());
    r = provenResult();
    r.restoreErrors = {QStringLiteral("error: could not execute query")};
    EXPECT_FALSE(r.passed());
    r = provenResult();
    r.proven = false; // a dump without recorded counts: never a pass
    EXPECT_FALSE(r.passed());
    r = provenResult();
    r.tables.clear();
    EXPECT_FALSE(r.passed());
}

TEST(RestoreTestAudit, EntryCarriesVerdictFailedTablesAndFigures)
{
    RestoreTestResult r = provenResult();
    r.dumpBytes = 1234;
    r.totalMs = 5000;
    AuditEntry e = restoreTestAuditEntry(QStringLiteral("hokm-ha"), QStringLiteral("node2"),
                                         QStringLiteral("hokm_game"), r);
    EXPECT_EQ(e.action, QStringLiteral("restore_test"));
    EXPECT_EQ(e.result, QStringLiteral("ok"));
    EXPECT_EQ(e.member, QStringLiteral("node2"));
    EXPECT_EQ(e.parameters.value(QStringLiteral("dump_bytes")).toDouble(), 1234);
    EXPECT_TRUE(e.parameters.value(QStringLiteral("failed_tables")).toArray().isEmpty());

    r.tables[0].restored.rows = 0;
    e = restoreTestAuditEntry({}, {}, QStringLiteral("hokm_game"), r);
    EXPECT_EQ(e.result, QStringLiteral("failed"));
    EXPECT_EQ(e.parameters.value(QStringLiteral("failed_tables")).toArray(),
              QJsonArray{QStringLiteral("public.game_moves")});

    r = provenResult();
    r.proven = false;
    EXPECT_EQ(restoreTestAuditEntry({}, {}, {}, r).result, QStringLiteral("partial"));
    r.error = ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("restore test"), {},
                                 {}, QStringLiteral("cancelled"));
    EXPECT_EQ(restoreTestAuditEntry({}, {}, {}, r).result, QStringLiteral("cancelled"));
}
