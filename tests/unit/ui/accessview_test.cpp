// The access view with the operations manual's own pg_hba lines (what the sandbox does not
// have: md5, an open hostssl rule, a trust line) and the Security menu.
#include "models/accessmodel.h"
#include "services/diagnostics/membersessionpool.h"
#include "support/qtprinters.h"
#include "ui/operations/configeditor.h"
#include "ui/security/accessview.h"
#include "ui/security/securityactions.h"

#include <QAction>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
std::unique_ptr<services::MemberSessionPool> pool(bool readOnly, const QString &auditPath)
{
    services::ClusterProfile profile;
    profile.name = QStringLiteral("hokm-ha");
    return std::make_unique<services::MemberSessionPool>(
        profile, QString(), std::make_shared<services::ReadOnlyGuard>(readOnly),
        std::make_shared<services::AuditLog>(auditPath));
}

services::HbaRule line(int n, const char *type, const char *db, const char *address,
                       const char *mask, const char *method)
{
    services::HbaRule r;
    r.line = n;
    r.type = QLatin1String(type);
    r.database = QLatin1String(db);
    r.user = QStringLiteral("all");
    r.address = QLatin1String(address);
    r.netmask = QLatin1String(mask);
    r.method = QLatin1String(method);
    return r;
}
} // namespace

TEST(AccessView, FlagsTheManualsRulesAndSaysWhy)
{
    QTemporaryDir dir;
    auto context = pool(false, dir.filePath(QStringLiteral("audit.jsonl")));
    ui::AccessView view(context.get());
    EXPECT_FALSE(view.editButton()->isEnabled()); // no editor hooked up
    int opened = 0;
    view.setEditConfiguration([&] { ++opened; });
    ASSERT_TRUE(view.editButton()->isEnabled());
    view.editButton()->click();
    EXPECT_EQ(opened, 1);

    services::AccessSnapshot snap;
    snap.rules = {line(1, "local", "all", "", "", "peer"),
                  line(2, "host", "all", "127.0.0.1", "255.255.255.255", "trust"),
                  line(3, "host", "all", "10.0.0.0", "255.0.0.0", "md5"),
                  line(4, "hostssl", "all", "0.0.0.0", "0.0.0.0", "md5"),
                  line(5, "host", "hokm_game", "0.0.0.0", "0.0.0.0", "scram-sha-256")};
    snap.settings = {{QStringLiteral("server_version_num"), QStringLiteral("150018"), {}, {}, {}}};
    services::access::assess(snap);
    view.rulesModel()->setRules(snap.rules);
    const models::AccessModel *m = view.rulesModel();
    const int flag = m->flagColumn();
    EXPECT_EQ(m->index(0, flag).data().toString(), QString());
    EXPECT_EQ(m->index(1, flag).data().toString(), QStringLiteral("Critical"));
    EXPECT_EQ(m->index(2, flag).data().toString(), QStringLiteral("Warning"));
    EXPECT_EQ(m->index(3, flag).data().toString(), QStringLiteral("Warning"));
    EXPECT_TRUE(m->index(4, flag + 1).data().toString().contains(QStringLiteral("hostssl")));
    EXPECT_EQ(m->flaggedCount(), 4);

    view.resize(1200, 420);
    view.show();
    view.tabs()->setCurrentIndex(0);
    QCoreApplication::processEvents();
    const QString dirPath = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(dirPath);
    EXPECT_TRUE(view.grab().save(dirPath + QStringLiteral("/unit-security-access-flagged.png")));
}

TEST(SecurityViews, MenuSitsBeforeHelpAndTheWizardFollowsReadOnly)
{
    for (bool readOnly : {false, true}) {
        QTemporaryDir dir;
        auto context = pool(readOnly, dir.filePath(QStringLiteral("audit.jsonl")));
        QMainWindow window;
        auto *help = new QMenu(QStringLiteral("Help"), &window);
        help->setObjectName(QStringLiteral("helpMenu"));
        window.menuBar()->addMenu(help);
        QMenu *menu = ui::installSecurityViews(&window, context.get(), {});
        ASSERT_TRUE(menu);
        EXPECT_EQ(window.menuBar()->actions().first()->menu(), menu);
        auto *wizard = menu->findChild<QAction *>(QStringLiteral("createApplicationRoleAction"));
        if (!wizard)
            for (QAction *a : menu->actions())
                if (a->objectName() == QLatin1String("createApplicationRoleAction"))
                    wizard = a;
        ASSERT_TRUE(wizard);
        EXPECT_FALSE(wizard->isEnabled()); // no leader known yet
        context->setMembers({{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), 5432, true}},
                            QStringLiteral("hokm-ha"));
        EXPECT_EQ(wizard->isEnabled(), !readOnly);
        bool accessToggle = false;
        for (QAction *a : menu->actions())
            accessToggle =
                accessToggle || a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A);
        EXPECT_TRUE(accessToggle);
    }
}

TEST(SecurityViews, EditInConfigurationOpensTheEditorOnItsTextTab)
{
    QWidget parent;
    services::ClusterSnapshot snapshot;
    snapshot.scope = QStringLiteral("hokm-ha");
    services::PatroniConfig config;
    config.raw = QJsonObject{
        {QStringLiteral("postgresql"),
         QJsonObject{{QStringLiteral("pg_hba"),
                      QJsonArray{QStringLiteral("hostssl all all 0.0.0.0/0 scram-sha-256")}}}}};
    snapshot.dynamicConfig = config;
    auto ptr = std::make_shared<const services::ClusterSnapshot>(snapshot);
    ui::OperationsHooks hooks;
    hooks.context = [] {
        return services::OperationContext{};
    };
    hooks.snapshot = [ptr] {
        return ptr;
    };
    ui::openHbaConfiguration(&parent, hooks);
    auto *editor = parent.findChild<ui::ConfigEditor *>();
    ASSERT_TRUE(editor);
    auto *tabs = editor->findChild<QTabWidget *>();
    ASSERT_TRUE(tabs);
    EXPECT_EQ(tabs->currentIndex(), 1) << "the text tab, where postgresql.pg_hba is";
    bool shown = false;
    for (auto *text : editor->findChildren<QPlainTextEdit *>())
        shown = shown || text->toPlainText().contains(QStringLiteral("0.0.0.0/0 scram-sha-256"));
    EXPECT_TRUE(shown);
    editor->close();
}
