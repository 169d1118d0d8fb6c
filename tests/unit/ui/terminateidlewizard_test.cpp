#include "services/diagnostics/membersessionpool.h"
#include "support/qtprinters.h"
#include "ui/operations/terminateidlewizard.h"
#include "ui/troubleshooting/troubleshootingviews.h"
#include "ui/widgets/confirmdialog.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QMainWindow>
#include <QPushButton>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

TEST(ConfirmDialog, TypedConfirmationMustMatchExactly)
{
    ui::ConfirmDialog dialog(QStringLiteral("Terminate"), QStringLiteral("Terminate 3 sessions?"),
                             QStringLiteral("Terminate"), QStringLiteral("hokm-ha"));
    auto *action = dialog.findChild<QPushButton *>(QStringLiteral("confirmAction"));
    ASSERT_TRUE(action);
    EXPECT_FALSE(action->isEnabled());
    dialog.setTypedText(QStringLiteral("hokm-h"));
    EXPECT_FALSE(action->isEnabled());
    dialog.setTypedText(QStringLiteral("HOKM-HA"));
    EXPECT_FALSE(dialog.isConfirmable());
    dialog.setTypedText(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(action->isEnabled());

    ui::ConfirmDialog simple(QStringLiteral("Cancel"),
                             QStringLiteral("Cancel the query of session 4711?"),
                             QStringLiteral("Cancel query of 4711"));
    EXPECT_TRUE(simple.isConfirmable());
}

namespace {
std::unique_ptr<services::MemberSessionPool> context(bool readOnly, const QString &auditPath)
{
    services::ClusterProfile profile;
    profile.name = QStringLiteral("prod");
    auto c = std::make_unique<services::MemberSessionPool>(
        profile, QString(), std::make_shared<services::ReadOnlyGuard>(readOnly),
        std::make_shared<services::AuditLog>(auditPath));
    // A member nobody listens on: nothing here may need a server.
    c->setMembers({{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), 1, true}},
                  QStringLiteral("hokm-ha"));
    return c;
}
} // namespace

TEST(TerminateIdleWizard, DoesNothingWithoutTheTypedClusterName)
{
    QTemporaryDir dir;
    auto ctx = context(false, dir.filePath(QStringLiteral("audit.jsonl")));
    ui::TerminateIdleWizard wizard(ctx.get());
    EXPECT_EQ(wizard.member(), QStringLiteral("node1"));
    // Defaults: idle longer than one hour.
    ASSERT_TRUE(wizard.criteria().idleSeconds.has_value());
    EXPECT_DOUBLE_EQ(*wizard.criteria().idleSeconds, 3600);
    EXPECT_FALSE(wizard.criteria().idleInTransactionSeconds.has_value());
    wizard.setTypedConfirmation(QStringLiteral("prod")); // the profile name is not the cluster name
    wizard.execute();
    EXPECT_FALSE(wizard.executed());
    EXPECT_TRUE(ctx->audit()->readAll().isEmpty());
}

TEST(TroubleshootingViews, InstallsDocksAndShortcuts)
{
    QTemporaryDir dir;
    auto ctx = context(true, dir.filePath(QStringLiteral("audit.jsonl")));
    QMainWindow window;
    ui::installTroubleshootingViews(&window, ctx.get());
    const auto docks = window.findChildren<QDockWidget *>();
    QStringList names;
    for (auto *d : docks)
        names.append(d->objectName());
    names.sort();
    EXPECT_EQ(names, (QStringList{QStringLiteral("lockTreeDock"), QStringLiteral("serverLogDock"),
                                  QStringLiteral("sessionsDock"), QStringLiteral("slowQueriesDock"),
                                  QStringLiteral("tableStatsDock")}));
    auto *wizard = window.findChild<QAction *>(QStringLiteral("terminateIdleAction"));
    ASSERT_TRUE(wizard);
    EXPECT_FALSE(wizard->isEnabled()) << "read-only mode: the wizard cannot be reached";
    for (auto *d : docks)
        EXPECT_FALSE(d->toggleViewAction()->shortcut().isEmpty());
}
