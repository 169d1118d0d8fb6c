// The troubleshooting views' shared behaviour (MemberViewBase): when the context drops its sessions
// (the window shows another cluster), a fetch in flight is forgotten instead of freezing the view,
// and what was shown of the previous member is cleared.
#include "models/sessionstablemodel.h"
#include "services/core/auditlog.h"
#include "services/core/readonlyguard.h"
#include "services/diagnostics/membersessionpool.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/troubleshooting/sessionsview.h"

#include <QComboBox>
#include <QTcpServer>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

TEST(MemberViewBase, AFetchOnADroppedSessionDoesNotFreezeTheView)
{
    // A "server" that accepts and never answers: the fetch stays in flight.
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost));
    QTemporaryDir dir;
    services::ClusterProfile profile;
    profile.name = QStringLiteral("alpha");
    profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
    services::MemberSessionPool context(
        profile, {}, std::make_shared<services::ReadOnlyGuard>(false),
        std::make_shared<services::AuditLog>(dir.filePath(QStringLiteral("audit.log"))));
    context.setMembers(
        {{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), int(silent.serverPort()), true}},
        QStringLiteral("alpha"));
    ui::SessionsView view(&context);
    view.setRefreshIntervalMs(60000);
    view.show();
    ASSERT_TRUE(test::waitUntil([&] { return view.isRefreshing(); }, 2000));
    test::spin(200);
    ASSERT_TRUE(view.isRefreshing()) << "the silent server answered?";

    // The window switches to another cluster: the context drops every session.
    profile.name = QStringLiteral("beta");
    context.rebind(profile, {}, std::make_shared<services::ReadOnlyGuard>(true));
    EXPECT_FALSE(view.isRefreshing()) << "the fetch on the dropped session would never answer";
    EXPECT_TRUE(view.member().isEmpty());
    EXPECT_EQ(view.model()->rowCount(), 0);

    // Beta's members arrive: the view fetches again at once, from beta's member.
    context.setMembers(
        {{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), int(silent.serverPort()), true}},
        QStringLiteral("beta"));
    EXPECT_EQ(view.member(), QStringLiteral("node1"));
    EXPECT_TRUE(view.isRefreshing());
}
