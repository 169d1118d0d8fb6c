// `vigil terminate`'s preview, narrowing and report, on the wizard's plan (no server).
#include "app/commands/terminatecommand.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using vigil::app::TerminateCommand;
using namespace vigil::services;

namespace {
SessionRow row(int pid, const QString &state, double stateAge,
               const QString &app = QStringLiteral("hokm-lobby"),
               const QString &type = QStringLiteral("client backend"))
{
    SessionRow r;
    r.pid = pid;
    r.backendStart =
        QStringLiteral("2026-12-03 10:00:%1.123456+00").arg(pid % 60, 2, 10, QLatin1Char('0'));
    r.state = state;
    r.stateAge = stateAge;
    r.application = app;
    r.backendType = type;
    r.user = QStringLiteral("hokm_app");
    r.database = QStringLiteral("hokm_game");
    r.clientAddr = QStringLiteral("127.0.0.1");
    r.query = QStringLiteral("SELECT 1");
    return r;
}

QList<SessionRow> rows()
{
    return {row(101, QStringLiteral("idle"), 900), row(102, QStringLiteral("idle"), 30),
            row(103, QStringLiteral("idle"), 1200, QStringLiteral("vigil")),
            row(104, QStringLiteral("idle"), 4000, QStringLiteral("hokm-game"))};
}
} // namespace

TEST(TerminateCommand, PreviewListsExactlyThePlanWithIdentityAndWhyOthersStay)
{
    IdleCriteria c;
    c.idleSeconds = 600; // --idle-longer-than 10m
    const IdlePlan plan = SessionsService::planIdleTermination(rows(), c);
    const QString text = TerminateCommand::preview(plan, QStringLiteral("node1 (127.0.0.1:5432)"),
                                                   QStringLiteral("hokm-cluster"));
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 5) << text.toStdString();
    EXPECT_EQ(lines[0], QStringLiteral("2 session(s) on node1 (127.0.0.1:5432) of cluster "
                                       "hokm-cluster will be terminated (their connections "
                                       "closed, open transactions rolled back):"));
    EXPECT_TRUE(lines[1].startsWith(QLatin1String("PID")));
    EXPECT_TRUE(lines[2].contains(QLatin1String("101")));
    EXPECT_TRUE(lines[2].contains(QLatin1String("2026-12-03 10:00:41.123456+00")))
        << "the backend start identifies the session";
    EXPECT_TRUE(lines[2].contains(QLatin1String("15 min")));
    EXPECT_TRUE(lines[3].contains(QLatin1String("104")));
    EXPECT_TRUE(lines[3].contains(QLatin1String("hokm-game")));
    EXPECT_EQ(lines[4], QStringLiteral("Left alone: Session 103 is Vigil's own connection."));
    EXPECT_FALSE(text.contains(QLatin1String("102")));

    const IdlePlan none = SessionsService::planIdleTermination(rows().mid(1, 1), c);
    EXPECT_EQ(TerminateCommand::preview(none, QStringLiteral("node1"), QStringLiteral("c")),
              QStringLiteral("No session on node1 of cluster c matches; nothing to terminate.\n"));
}

TEST(TerminateCommand, PidsNarrowThePreviewToSessionsSeenBefore)
{
    IdleCriteria c;
    c.idleSeconds = 600;
    const IdlePlan plan = SessionsService::planIdleTermination(rows(), c);
    const IdlePlan one = TerminateCommand::narrowed(plan, {104, 999});
    ASSERT_EQ(one.entries.size(), 1);
    EXPECT_EQ(one.entries[0].ref.pid, 104);
    EXPECT_EQ(one.entries[0].ref.backendStart, rows()[3].backendStart);
    ASSERT_EQ(one.rows.size(), 1);
    EXPECT_EQ(one.rows[0].pid, 104);
    EXPECT_EQ(TerminateCommand::narrowed(plan, {}).entries.size(), 2);
}

TEST(TerminateCommand, ReportPerSessionAndExitCodes)
{
    SignalOutcome done;
    done.ref = {101, QStringLiteral("a")};
    done.kind = SignalOutcome::Kind::Signalled;
    done.application = QStringLiteral("hokm-lobby");
    SignalOutcome reused = done;
    reused.ref.pid = 104;
    reused.kind = SignalOutcome::Kind::PidReused;
    EXPECT_EQ(TerminateCommand::exitCode({done}), 0);
    EXPECT_EQ(TerminateCommand::exitCode({}), 0);
    EXPECT_EQ(TerminateCommand::exitCode({done, reused}), 1);
    SignalOutcome refused = done;
    refused.kind = SignalOutcome::Kind::Refused;
    EXPECT_EQ(TerminateCommand::exitCode({refused}), 2);
    const QString text = TerminateCommand::report({done, reused});
    EXPECT_TRUE(text.contains(QLatin1String("  Session 101 (hokm-lobby) was terminated.\n")))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QLatin1String("Session 104 (hokm-lobby) was not touched")));
    EXPECT_TRUE(text.endsWith(QLatin1String("1 session(s) terminated, 1 left alone (see why "
                                            "above). The action is recorded in the audit "
                                            "log.\n")));
}
