// PgDumpInvocation: what pg_dump is started with. The password never reaches the argument list
// or the environment; TLS keywords of the profile do reach pg_dump.
#include "services/backup/pgdumpinvocation.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

PgDumpRequest request(const QString &conninfo, const QString &password = {})
{
    PgDumpRequest r;
    r.connection =
        PgConnectionSettings::forApplication(conninfo, QStringLiteral("vigil-backup"), password)
            .atMember(QStringLiteral("10.0.0.2"), 5433);
    r.database = QStringLiteral("hokm_game");
    r.outputFile = QStringLiteral("/backups/hokm.dump");
    return r;
}

bool anyContains(const QStringList &list, const QString &needle)
{
    for (const QString &s : list)
        if (s.contains(needle))
            return true;
    return false;
}

} // namespace

TEST(PgDumpInvocation, ArgumentsNameFormatVerboseFileAndConninfo)
{
    const auto inv = buildPgDumpInvocation(request(QStringLiteral("dbname=postgres user=backup")),
                                           {}, QProcessEnvironment());
    ASSERT_EQ(inv.arguments.size(), 4);
    EXPECT_EQ(inv.arguments[0], QStringLiteral("-Fc"));
    EXPECT_EQ(inv.arguments[1], QStringLiteral("-v"));
    EXPECT_EQ(inv.arguments[2], QStringLiteral("--file=/backups/hokm.dump"));
    EXPECT_EQ(inv.arguments[3], QStringLiteral("--dbname=") + inv.conninfo);
    // The member's host and port win over the conninfo's, the database is the chosen one.
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("host='10.0.0.2'")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("port='5433'")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("dbname='hokm_game'")));
    EXPECT_FALSE(inv.conninfo.contains(QStringLiteral("postgres")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("user='backup'")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("application_name='vigil-backup'")));
    EXPECT_TRUE(inv.pgpassLine.isEmpty());
}

TEST(PgDumpInvocation, PasswordGoesToPgpassOnlyNeverToArgumentsOrEnvironment)
{
    QProcessEnvironment base;
    base.insert(QStringLiteral("HOME"), QStringLiteral("/home/dba"));
    const QString secret = QStringLiteral("s3cr:et\\pw");
    const auto inv = buildPgDumpInvocation(request(QStringLiteral("dbname=postgres"), secret),
                                           QStringLiteral("/tmp/vigil-pgpass-abc"), base);
    EXPECT_FALSE(anyContains(inv.arguments, QStringLiteral("s3cr")));
    EXPECT_FALSE(anyContains(inv.arguments, QStringLiteral("password")));
    for (const QString &kv : inv.environment.toStringList())
        EXPECT_FALSE(kv.contains(QStringLiteral("s3cr"))) << kv.toStdString();
    EXPECT_EQ(inv.environment.value(QStringLiteral("PGPASSFILE")),
              QStringLiteral("/tmp/vigil-pgpass-abc"));
    EXPECT_EQ(inv.environment.value(QStringLiteral("HOME")), QStringLiteral("/home/dba"));
    // ':' and '\' escaped as libpq reads pgpass fields.
    EXPECT_EQ(inv.pgpassLine, QStringLiteral("*:*:*:*:s3cr\\:et\\\\pw\n"));
}

TEST(PgDumpInvocation, PgPasswordOfVigilsEnvironmentMovesToThePgpassFile)
{
    QProcessEnvironment base;
    base.insert(QStringLiteral("PGPASSWORD"), QStringLiteral("fromenv"));
    base.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/home/dba/.pgpass"));
    const auto inv = buildPgDumpInvocation(request(QStringLiteral("dbname=postgres")),
                                           QStringLiteral("/tmp/p"), base);
    EXPECT_FALSE(inv.environment.contains(QStringLiteral("PGPASSWORD")));
    EXPECT_EQ(inv.environment.value(QStringLiteral("PGPASSFILE")), QStringLiteral("/tmp/p"));
    EXPECT_EQ(inv.pgpassLine, QStringLiteral("*:*:*:*:fromenv\n"));
}

TEST(PgDumpInvocation, WithoutPasswordTheUsersOwnSourcesStay)
{
    QProcessEnvironment base;
    base.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/home/dba/.pgpass"));
    const auto inv = buildPgDumpInvocation(request(QStringLiteral("dbname=postgres")),
                                           QStringLiteral("/tmp/p"), base);
    EXPECT_EQ(inv.environment.value(QStringLiteral("PGPASSFILE")),
              QStringLiteral("/home/dba/.pgpass"));
    EXPECT_TRUE(inv.pgpassLine.isEmpty());
}

TEST(PgDumpInvocation, PasswordInsideTheConninfoIsTakenOutOfTheArguments)
{
    const auto inv = buildPgDumpInvocation(
        request(QStringLiteral("postgresql://backup:inuri@db1/postgres?sslmode=require")),
        QStringLiteral("/tmp/p"), QProcessEnvironment());
    EXPECT_FALSE(anyContains(inv.arguments, QStringLiteral("inuri")));
    EXPECT_EQ(inv.pgpassLine, QStringLiteral("*:*:*:*:inuri\n"));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("user='backup'")));
}

TEST(PgDumpInvocation, TlsSettingsReachPgDump)
{
    const auto inv = buildPgDumpInvocation(
        request(QStringLiteral("dbname=postgres sslmode=verify-full sslrootcert=/etc/vigil/ca.crt "
                               "sslcert=/etc/vigil/client.crt sslkey=/etc/vigil/client.key")),
        {}, QProcessEnvironment());
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("sslmode='verify-full'")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("sslrootcert='/etc/vigil/ca.crt'")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("sslcert='/etc/vigil/client.crt'")));
    EXPECT_TRUE(inv.conninfo.contains(QStringLiteral("sslkey='/etc/vigil/client.key'")));
}

TEST(PgDumpInvocation, ReadsTheServersMajorVersion)
{
    EXPECT_EQ(serverMajorVersion(150004), 15);
    EXPECT_EQ(serverMajorVersion(170000), 17);
    EXPECT_EQ(serverMajorVersion(0), 0);
}

namespace {

// A Debian-like tree: bin/pg_dump -> share/postgresql-common/pg_wrapper, and versioned
// binaries under lib/postgresql/N/bin (13 and 15 have pg_dump, 16 has only psql).
struct DebianTree
{
    QTemporaryDir dir;
    QString wrapperLink, plainProgram, binRoot;

    static void executable(const QString &path)
    {
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n");
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    }

    DebianTree()
    {
        binRoot = dir.filePath(QStringLiteral("lib/postgresql"));
        executable(dir.filePath(QStringLiteral("share/postgresql-common/pg_wrapper")));
        for (const char *v : {"13/bin/pg_dump", "15/bin/pg_dump", "16/bin/psql", "9.6/bin/pg_dump"})
            executable(binRoot + QLatin1Char('/') + QLatin1String(v));
        QDir().mkpath(dir.filePath(QStringLiteral("bin")));
        wrapperLink = dir.filePath(QStringLiteral("bin/pg_dump"));
        QFile::link(dir.filePath(QStringLiteral("share/postgresql-common/pg_wrapper")),
                    wrapperLink);
        plainProgram = dir.filePath(QStringLiteral("opt/pg_dump"));
        executable(plainProgram);
    }
};

} // namespace

TEST(PgClientProgram, DebiansWrapperGivesWayToTheNewestVersionedBinary)
{
    DebianTree t;
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), QStringLiteral("/root"));
    const PgClientProgram p =
        resolvePgClientProgram(QStringLiteral("pg_dump"), env, t.binRoot, t.wrapperLink);
    EXPECT_EQ(p.path, t.binRoot + QStringLiteral("/15/bin/pg_dump")); // 16 has no pg_dump
    EXPECT_EQ(p.viaWrapper, t.wrapperLink);
    EXPECT_EQ(p.environment.value(QStringLiteral("PGSYSCONFDIR")),
              QStringLiteral("/etc/postgresql-common"));
    EXPECT_EQ(p.environment.value(QStringLiteral("HOME")), QStringLiteral("/root"));

    env.insert(QStringLiteral("PGSYSCONFDIR"), QStringLiteral("/etc/mine"));
    EXPECT_EQ(resolvePgClientProgram(QStringLiteral("pg_dump"), env, t.binRoot, t.wrapperLink)
                  .environment.value(QStringLiteral("PGSYSCONFDIR")),
              QStringLiteral("/etc/mine"));
}

TEST(PgClientProgram, AChosenClusterOrAnotherProgramIsLeftAsItIs)
{
    DebianTree t;
    QProcessEnvironment env;
    env.insert(QStringLiteral("PGCLUSTER"), QStringLiteral("13/main"));
    const PgClientProgram chosen =
        resolvePgClientProgram(QStringLiteral("pg_dump"), env, t.binRoot, t.wrapperLink);
    EXPECT_EQ(chosen.path, t.wrapperLink);
    EXPECT_TRUE(chosen.viaWrapper.isEmpty());
    EXPECT_FALSE(chosen.environment.contains(QStringLiteral("PGSYSCONFDIR")));

    const PgClientProgram plain = resolvePgClientProgram(
        QStringLiteral("pg_dump"), QProcessEnvironment(), t.binRoot, t.plainProgram);
    EXPECT_EQ(plain.path, t.plainProgram);

    // A wrapper with no versioned binary behind it stays, to say itself what is missing.
    const PgClientProgram none =
        resolvePgClientProgram(QStringLiteral("pg_dump"), QProcessEnvironment(),
                               t.dir.filePath(QStringLiteral("nowhere")), t.wrapperLink);
    EXPECT_EQ(none.path, t.wrapperLink);
}
