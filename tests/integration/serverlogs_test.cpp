// Server logs on the sandbox: an ERROR this test provokes (SELECT 1/0 with application_name
// vigil-logtest) arrives through ServerLogReader (following) and through `vigil logs --level
// error`; a role without the grants gets the exact missing-grant message, from the reader and
// from the command (exit 1).
#include "models/serverlogfiltermodel.h"
#include "models/serverlogmodel.h"
#include "services/logs/serverlogreader.h"
#include "support/processrun.h"
#include "troubleshooting_fixture.h"
#include "ui/troubleshooting/serverlogview.h"

#include <QTableView>

using namespace vigil;
using namespace vigil::test;

namespace {

const QString kApp = QStringLiteral("vigil-logtest");

// The troubleshooting context on the leader as `user` (as the window builds it).
std::unique_ptr<services::MemberSessionPool> contextAs(const QString &user, const QString &audit)
{
    services::ClusterProfile profile;
    profile.name = QStringLiteral("sandbox");
    profile.patroniUrl = QUrl(Sandbox::patroniUrl());
    profile.sqlConninfo = QStringLiteral("dbname=postgres user=%1").arg(user);
    auto context = std::make_unique<services::MemberSessionPool>(
        profile, QString(), std::make_shared<services::ReadOnlyGuard>(true),
        std::make_shared<services::AuditLog>(audit));
    context->setMembers({{Sandbox::leaderName(), QStringLiteral("127.0.0.1"), leaderPort(), true}},
                        QStringLiteral("hokm-ha"));
    return context;
}

// A reader's whole output, collected while the test's event loop turns.
struct Collected
{
    QList<services::ServerLogEntry> entries;
    services::ServiceError error;
    bool caughtUp = false, finished = false, failed = false;

    void attach(services::ServerLogReader &reader)
    {
        QObject::connect(&reader, &services::ServerLogReader::entriesRead,
                         [this](const auto &e) { entries += e; });
        QObject::connect(&reader, &services::ServerLogReader::caughtUp,
                         [this] { caughtUp = true; });
        QObject::connect(&reader, &services::ServerLogReader::finished,
                         [this] { finished = true; });
        QObject::connect(&reader, &services::ServerLogReader::failed,
                         [this](const services::ServiceError &e) {
                             error = e;
                             failed = true;
                         });
    }
    const services::ServerLogEntry *provoked(const QString &marker) const
    {
        for (const auto &e : entries) {
            if (e.application == kApp && e.level == services::ServerLogLevel::Error &&
                e.message == QLatin1String("division by zero") && e.contains(marker))
                return &e;
        }
        return nullptr;
    }
};

// SELECT 1/0 through libpq with application_name vigil-logtest; `marker` goes into the
// statement (a comment) so this run's entry is told apart from earlier runs'.
void provokeError(const QString &marker)
{
    auto session = openSession(kApp, QStringLiteral("postgres"));
    const SqlAnswer a = exec(*session, QStringLiteral("SELECT 1/0 -- %1").arg(marker));
    ASSERT_TRUE(a.answered);
    EXPECT_EQ(a.error.code, QStringLiteral("22012")) << a.error.toText().toStdString();
}

services::ServerLogTailOptions quickOptions(bool follow)
{
    services::ServerLogTailOptions o;
    o.follow = follow;
    o.windowBytes = 64 * 1024;
    o.pollInterval = std::chrono::milliseconds(300);
    o.deadline = std::chrono::milliseconds(15000); // a loaded machine
    return o;
}

} // namespace

class ServerLogsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        ASSERT_GT(leaderPort(), 0);
    }
};

TEST_F(ServerLogsTest, FollowingReaderSeesTheProvokedError)
{
    auto session = openSession(QStringLiteral("vigil-logreader"), QStringLiteral("postgres"),
                               QStringLiteral("postgres"));
    services::ServerLogReader reader(session.get());
    Collected got;
    got.attach(reader);
    reader.start(quickOptions(true));
    ASSERT_TRUE(waitUntil([&] { return got.caughtUp || got.failed; }, 30000));
    ASSERT_FALSE(got.failed) << got.error.toText().toStdString();
    EXPECT_TRUE(reader.access().loggingCollector);
    EXPECT_EQ(reader.access().prefix, QStringLiteral("%m [%p] %q%u@%d/%a "));

    const QString marker = QStringLiteral("follow-%1").arg(QDateTime::currentMSecsSinceEpoch());
    provokeError(marker);
    ASSERT_TRUE(waitUntil([&] { return got.provoked(marker) || got.failed; }, 30000))
        << "the error did not arrive; entries read: " << got.entries.size();
    const services::ServerLogEntry *e = got.provoked(marker);
    ASSERT_TRUE(e) << got.error.toText().toStdString();
    EXPECT_EQ(e->user, QStringLiteral("vigil"));
    EXPECT_EQ(e->database, QStringLiteral("postgres"));
    ASSERT_FALSE(e->details.isEmpty());
    EXPECT_EQ(e->details.constFirst().first, QStringLiteral("STATEMENT"));
    EXPECT_TRUE(e->time.isValid());
    EXPECT_LT(qAbs(e->time.secsTo(QDateTime::currentDateTimeUtc())), 120);
    EXPECT_TRUE(reader.isRunning());
    reader.stop();
}

TEST_F(ServerLogsTest, CommandPrintsTheErrorAtLevelError)
{
    const QString marker = QStringLiteral("cli-%1").arg(QDateTime::currentMSecsSinceEpoch());
    provokeError(marker);
    const ProcessRun r =
        runInLoop(QStringLiteral(VIGIL_BINARY),
                  {QStringLiteral("logs"), Sandbox::leaderName(), QStringLiteral("--level"),
                   QStringLiteral("error"), QStringLiteral("--since"), QStringLiteral("5m"),
                   QStringLiteral("--patroni"), Sandbox::patroniUrl(), QStringLiteral("--sql"),
                   QStringLiteral("dbname=postgres user=postgres"), QStringLiteral("--timeout"),
                   QStringLiteral("15000")},
                  60000);
    ASSERT_EQ(r.exitCode, 0) << show(r);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    bool seen = false;
    for (const QString &line : lines) {
        // Every line is one entry at ERROR or above.
        EXPECT_TRUE(line.contains(QLatin1String(" ERROR ")) ||
                    line.contains(QLatin1String(" FATAL ")) ||
                    line.contains(QLatin1String(" PANIC ")))
            << line.toStdString();
        seen = seen || (line.contains(QStringLiteral("vigil@postgres/") + kApp) &&
                        line.contains(QLatin1String("division by zero")) && line.contains(marker));
    }
    EXPECT_TRUE(seen) << show(r);

    // --grep narrows to this run's entry.
    const ProcessRun g =
        runInLoop(QStringLiteral(VIGIL_BINARY),
                  {QStringLiteral("logs"), Sandbox::leaderName(), QStringLiteral("--grep"), marker,
                   QStringLiteral("--since"), QStringLiteral("5m"), QStringLiteral("--patroni"),
                   Sandbox::patroniUrl(), QStringLiteral("--sql"),
                   QStringLiteral("dbname=postgres user=postgres")},
                  60000);
    ASSERT_EQ(g.exitCode, 0) << show(g);
    EXPECT_EQ(g.out.count(QLatin1Char('\n')), 1) << show(g);
}

TEST_F(ServerLogsTest, RolesWithoutTheGrantsAreToldWhichOne)
{
    // vigil has pg_monitor (may list the directory) but not EXECUTE on pg_read_binary_file.
    auto session = openSession(QStringLiteral("vigil-logreader"), QStringLiteral("postgres"));
    services::ServerLogReader reader(session.get());
    Collected got;
    got.attach(reader);
    reader.start(quickOptions(false));
    ASSERT_TRUE(waitUntil([&] { return got.failed || got.finished; }, 30000));
    ASSERT_TRUE(got.failed);
    EXPECT_EQ(got.error.kind, services::ServiceError::Kind::Refused);
    const QString readGrant = QStringLiteral(
        "GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) "
        "TO vigil;");
    EXPECT_TRUE(got.error.message.contains(readGrant)) << got.error.toText().toStdString();
    EXPECT_FALSE(got.error.message.contains(QLatin1String("pg_monitor")));

    // A role with neither: also pg_monitor for pg_ls_logdir (SET ROLE from a superuser session).
    psqlLeader(QStringLiteral("DROP ROLE IF EXISTS vigil_logtest_nogrant; "
                              "CREATE ROLE vigil_logtest_nogrant NOLOGIN"),
               QStringLiteral("postgres"));
    Cleanup drop{[] {
        psqlLeader(QStringLiteral("DROP ROLE IF EXISTS vigil_logtest_nogrant"),
                   QStringLiteral("postgres"));
    }};
    auto super = openSession(QStringLiteral("vigil-logreader"), QStringLiteral("postgres"),
                             QStringLiteral("postgres"));
    ASSERT_FALSE(exec(*super, QStringLiteral("SET ROLE vigil_logtest_nogrant")).error);
    services::ServerLogReader denied(super.get());
    Collected none;
    none.attach(denied);
    denied.start(quickOptions(false));
    ASSERT_TRUE(waitUntil([&] { return none.failed || none.finished; }, 30000));
    ASSERT_TRUE(none.failed);
    EXPECT_TRUE(
        none.error.message.contains(QStringLiteral("GRANT pg_monitor TO vigil_logtest_nogrant;")))
        << none.error.toText().toStdString();
    EXPECT_TRUE(none.error.message.contains(QStringLiteral("TO vigil_logtest_nogrant;")));

    // The command says the same and exits 1.
    const ProcessRun r = runInLoop(QStringLiteral(VIGIL_BINARY),
                                   {QStringLiteral("logs"), Sandbox::leaderName(),
                                    QStringLiteral("--patroni"), Sandbox::patroniUrl()},
                                   60000);
    EXPECT_EQ(r.exitCode, 1) << show(r);
    EXPECT_TRUE(r.err.contains(readGrant)) << show(r);
}

TEST_F(ServerLogsTest, ViewShowsTheErrorOrTheMissingGrant)
{
    QTemporaryDir dir;
    auto context = contextAs(QStringLiteral("postgres"), dir.filePath(QStringLiteral("a.jsonl")));
    ui::ServerLogView view(context.get());
    view.resize(1280, 520);
    view.setMinimumLevel(services::ServerLogLevel::Error);
    view.show();
    ASSERT_TRUE(
        waitUntil([&] { return view.statusText().startsWith(QLatin1String("Following")); }, 30000))
        << view.statusText().toStdString();
    const QString marker = QStringLiteral("view-%1").arg(QDateTime::currentMSecsSinceEpoch());
    provokeError(marker);
    const auto shown = [&] {
        for (int r = 0; r < view.filter()->rowCount(); ++r) {
            if (view.filter()
                    ->index(r, models::ServerLogModel::Message)
                    .data()
                    .toString()
                    .contains(marker))
                return true;
        }
        return false;
    };
    ASSERT_TRUE(waitUntil(shown, 30000)) << view.statusText().toStdString();
    saveScreenshot(&view, QStringLiteral("server-log-view-errors.png"));

    auto denied = contextAs(QStringLiteral("vigil"), dir.filePath(QStringLiteral("b.jsonl")));
    ui::ServerLogView refused(denied.get());
    refused.resize(1280, 360);
    refused.show();
    ASSERT_TRUE(waitUntil(
        [&] { return refused.statusText().contains(QLatin1String("GRANT EXECUTE")); }, 30000))
        << refused.statusText().toStdString();
    EXPECT_TRUE(refused.statusText().contains(QStringLiteral(
        "GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) "
        "TO vigil;")));
    saveScreenshot(&refused, QStringLiteral("server-log-view-missing-grant.png"));
}
