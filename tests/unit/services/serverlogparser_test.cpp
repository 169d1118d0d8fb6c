// The server log parser over a log recorded from the sandbox (tests/fixtures/logs/
// postgresql-sandbox.log: pg_read_file of node1's log after provoking errors, a warning with
// DETAIL/HINT/CONTEXT, a FATAL login and a multi-line statement), plus the access rules and the
// tail's start point.
#include "services/logs/serverlogaccess.h"
#include "services/logs/serverlogparser.h"
#include "services/logs/serverlogreader.h"
#include "support/qtprinters.h"

#include <QFile>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
const QString kSandboxPrefix = QStringLiteral("%m [%p] %q%u@%d/%a ");

QString fixture()
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/logs/postgresql-sandbox.log"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return QString::fromUtf8(f.readAll());
}

const ServerLogEntry *find(const QList<ServerLogEntry> &entries, const QString &message)
{
    for (const auto &e : entries) {
        if (e.message.startsWith(message))
            return &e;
    }
    return nullptr;
}
} // namespace

TEST(ServerLogParser, ReadsTheSandboxLog)
{
    const QString text = fixture();
    const ServerLogParser parser(kSandboxPrefix);
    const auto entries = parser.parse(text, QStringLiteral("postgresql.log"));
    ASSERT_GT(entries.size(), 10);
    for (const auto &e : entries) { // every line of the recorded log is understood
        EXPECT_NE(e.level, ServerLogLevel::Unknown) << e.message.toStdString();
        EXPECT_TRUE(e.time.isValid()) << e.message.toStdString();
        EXPECT_GT(e.pid, 0);
        EXPECT_EQ(e.file, QStringLiteral("postgresql.log"));
    }
    // A background process: no session fields (%q).
    const ServerLogEntry *start = find(entries, QStringLiteral("starting PostgreSQL"));
    ASSERT_TRUE(start);
    EXPECT_EQ(start->level, ServerLogLevel::Log);
    EXPECT_TRUE(start->user.isEmpty());
    EXPECT_EQ(start->time.toUTC(), QDateTime(QDate(2026, 12, 4), QTime(2, 11, 20, 596), Qt::UTC));

    const ServerLogEntry *div = find(entries, QStringLiteral("division by zero"));
    ASSERT_TRUE(div);
    EXPECT_EQ(div->level, ServerLogLevel::Error);
    EXPECT_EQ(div->pid, 26793);
    EXPECT_EQ(div->user, QStringLiteral("vigil"));
    EXPECT_EQ(div->database, QStringLiteral("postgres"));
    EXPECT_EQ(div->application, QStringLiteral("vigil-logtest"));
    ASSERT_EQ(div->details.size(), 1);
    EXPECT_EQ(div->details.at(0).first, QStringLiteral("STATEMENT"));
    EXPECT_EQ(div->details.at(0).second, QStringLiteral("select 1/0"));
}

TEST(ServerLogParser, AttachesDetailsAndContinuationLines)
{
    const auto entries = ServerLogParser(kSandboxPrefix).parse(fixture());
    const ServerLogEntry *warning = find(entries, QStringLiteral("low disk on pgdata"));
    ASSERT_TRUE(warning);
    EXPECT_EQ(warning->level, ServerLogLevel::Warning);
    ASSERT_EQ(warning->details.size(), 3);
    EXPECT_EQ(warning->details.at(0).first, QStringLiteral("DETAIL"));
    EXPECT_EQ(warning->details.at(1).first, QStringLiteral("HINT"));
    EXPECT_EQ(warning->details.at(2).first, QStringLiteral("CONTEXT"));

    const ServerLogEntry *fatal = find(entries, QStringLiteral("password authentication failed"));
    ASSERT_TRUE(fatal);
    EXPECT_EQ(fatal->level, ServerLogLevel::Fatal);
    EXPECT_EQ(fatal->application, QStringLiteral("[unknown]"));
    ASSERT_EQ(fatal->details.size(), 1);
    EXPECT_TRUE(fatal->details.at(0).second.contains(QStringLiteral("\nConnection matched")));

    const ServerLogEntry *missing = find(entries, QStringLiteral("relation \"no_such_table\""));
    ASSERT_TRUE(missing);
    ASSERT_EQ(missing->details.size(), 1);
    EXPECT_EQ(missing->details.at(0).second,
              QStringLiteral("select * from no_such_table\n where x = 1"));
    EXPECT_TRUE(missing->contains(QStringLiteral("WHERE X")));
    EXPECT_TRUE(missing->fullText().contains(QStringLiteral("\nSTATEMENT:  select")));

    // The workload's multi-line INSERT stays one entry with its line breaks.
    const ServerLogEntry *slow = find(entries, QStringLiteral("duration:"));
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->message.count(QLatin1Char('\n')), 5);
}

TEST(ServerLogParser, KeepsUnknownLinesWhole)
{
    const QString text = QStringLiteral("some library wrote this\n"
                                        "2026-12-04 02:12:20.224 UTC [1] LOG:  fine\n"
                                        "\tcontinued\n"
                                        "STATEMENT:  not a prefixed line\n");
    const auto entries = ServerLogParser(kSandboxPrefix).parse(text);
    ASSERT_EQ(entries.size(), 3);
    EXPECT_EQ(entries.at(0).level, ServerLogLevel::Unknown);
    EXPECT_EQ(entries.at(0).message, QStringLiteral("some library wrote this"));
    EXPECT_EQ(entries.at(1).message, QStringLiteral("fine\ncontinued"));
    EXPECT_EQ(entries.at(2).level, ServerLogLevel::Unknown);
    EXPECT_EQ(entries.at(2).message, QStringLiteral("STATEMENT:  not a prefixed line"));
    // An attachment without its entry (the tail started after it) is kept on its own.
    const auto orphan = ServerLogParser(kSandboxPrefix)
                            .parse(QStringLiteral("2026-12-04 02:12:20.224 UTC [7] u@d/a "
                                                  "DETAIL:  the detail\n"));
    ASSERT_EQ(orphan.size(), 1);
    EXPECT_EQ(orphan.at(0).message, QStringLiteral("DETAIL:  the detail"));
    // The same log under another prefix is not understood, and not lost either.
    const auto other = ServerLogParser(QStringLiteral("%t [%p]: [%l-1] ")).parse(fixture());
    EXPECT_FALSE(other.isEmpty());
    EXPECT_EQ(other.at(0).level, ServerLogLevel::Unknown);
}

TEST(ServerLogParser, ReadsOtherPrefixes)
{
    const auto pgbadger = ServerLogParser(QStringLiteral("%t [%p]: [%l-1] user=%u,db=%d "))
                              .parse(QStringLiteral("2026-12-04 02:12:20 +02 [42]: [3-1] "
                                                    "user=app,db=shop ERROR:  boom\n"));
    ASSERT_EQ(pgbadger.size(), 1);
    EXPECT_EQ(pgbadger.at(0).level, ServerLogLevel::Error);
    EXPECT_EQ(pgbadger.at(0).user, QStringLiteral("app"));
    EXPECT_EQ(pgbadger.at(0).database, QStringLiteral("shop"));
    EXPECT_EQ(pgbadger.at(0).pid, 42);
    EXPECT_EQ(pgbadger.at(0).time.toUTC(),
              QDateTime(QDate(2026, 12, 4), QTime(0, 12, 20), Qt::UTC));
    const auto epoch = ServerLogParser(QStringLiteral("%n %% %e "))
                           .parse(QStringLiteral("1764814340.224 % 22012 PANIC:  x\n"));
    ASSERT_EQ(epoch.size(), 1);
    EXPECT_EQ(epoch.at(0).level, ServerLogLevel::Panic);
    EXPECT_EQ(epoch.at(0).time.toMSecsSinceEpoch(), 1764814340224);
    EXPECT_EQ(serverLogLevelFromOption(QStringLiteral("error")), ServerLogLevel::Error);
    EXPECT_EQ(serverLogLevelFromOption(QStringLiteral("warn")), ServerLogLevel::Warning);
    EXPECT_FALSE(serverLogLevelFromOption(QStringLiteral("loud")).has_value());
}

TEST(ServerLogAccess, NamesTheMissingGrantAndSetting)
{
    PgResult r;
    r.columns = QStringLiteral("role,superuser,logging_collector,log_destination,log_line_prefix,"
                               "log_directory,log_filename,data_directory,can_list,can_read,"
                               "reads_server_files,settings_visible")
                    .split(QLatin1Char(','));
    r.rows = {{QStringLiteral("app-reader"), QStringLiteral("f"), QStringLiteral("off"),
               QStringLiteral("csvlog"), kSandboxPrefix, QStringLiteral("/var/log/pg"),
               QStringLiteral("x.log"), QStringLiteral("/data"), QStringLiteral("f"),
               QStringLiteral("f"), QStringLiteral("f"), QStringLiteral("t")}};
    const auto access = ServerLogAccess::parse(r, QStringLiteral("10.0.0.1:5432"));
    ASSERT_TRUE(access.ok());
    const QString all = access->problems().join(QLatin1Char('\n'));
    EXPECT_EQ(access->problems().size(), 5) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("logging_collector is off on 10.0.0.1:5432")));
    EXPECT_TRUE(all.contains(QStringLiteral("log_destination is 'csvlog'")));
    EXPECT_TRUE(all.contains(QStringLiteral("GRANT pg_monitor TO \"app-reader\";")));
    EXPECT_TRUE(all.contains(QStringLiteral("GRANT EXECUTE ON FUNCTION pg_catalog."
                                            "pg_read_binary_file(text, bigint, bigint, boolean) "
                                            "TO \"app-reader\";")));
    EXPECT_TRUE(all.contains(QStringLiteral("GRANT pg_read_server_files TO \"app-reader\";")));
    EXPECT_EQ(access->error().kind, ServiceError::Kind::Refused);
    EXPECT_EQ(access->pathOf(QStringLiteral("x.log")), QStringLiteral("/var/log/pg/x.log"));

    r.rows[0][8] = QStringLiteral("t"); // may list, but not see log_directory
    r.rows[0][11] = QStringLiteral("f");
    EXPECT_TRUE(ServerLogAccess::parse(r)
                    ->problems()
                    .join(QLatin1Char(' '))
                    .contains(QStringLiteral("GRANT pg_read_all_settings TO \"app-reader\";")));
    r.rows[0][1] = QStringLiteral("t"); // a superuser needs no grant
    r.rows[0][2] = QStringLiteral("on");
    r.rows[0][3] = QStringLiteral("stderr,csvlog");
    EXPECT_TRUE(ServerLogAccess::parse(r)->problems().isEmpty());
}

TEST(ServerLogReader, StartsAtTheWindowOrTheSinceTime)
{
    const QDateTime t0(QDate(2026, 12, 4), QTime(1, 0), Qt::UTC);
    const QList<ServerLogFile> files{{QStringLiteral("a.log"), 1000, t0},
                                     {QStringLiteral("b.log"), 5000, t0.addSecs(600)},
                                     {QStringLiteral("c.log"), 300, t0.addSecs(1200)}};
    ServerLogTailOptions o;
    o.windowBytes = 100;
    auto s = ServerLogReader::startPoint(files, o);
    ASSERT_EQ(s.files.size(), 1);
    EXPECT_EQ(s.files.at(0).name, QStringLiteral("c.log"));
    EXPECT_EQ(s.offset, 200);
    EXPECT_TRUE(s.dropFirstLine);
    o.windowBytes = 1000; // the whole file
    s = ServerLogReader::startPoint(files, o);
    EXPECT_EQ(s.offset, 0);
    EXPECT_FALSE(s.dropFirstLine);

    o.since = t0.addSecs(300); // a.log ended before it
    s = ServerLogReader::startPoint(files, o);
    ASSERT_EQ(s.files.size(), 2);
    EXPECT_EQ(s.files.at(0).name, QStringLiteral("b.log"));
    EXPECT_EQ(s.offset, 0);
    o.maxCatchUpBytes = 1300; // only the last 1300 bytes: 1000 of b, all of c
    s = ServerLogReader::startPoint(files, o);
    ASSERT_EQ(s.files.size(), 2);
    EXPECT_EQ(s.offset, 4000);
    EXPECT_TRUE(s.dropFirstLine);
    o.since = t0.addSecs(3600); // nothing since: follow from the end of the newest
    s = ServerLogReader::startPoint(files, o);
    ASSERT_EQ(s.files.size(), 1);
    EXPECT_EQ(s.offset, 300);
    EXPECT_TRUE(ServerLogReader::startPoint({}, o).files.isEmpty());
}
