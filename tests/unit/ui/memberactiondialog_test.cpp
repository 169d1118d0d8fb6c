// MemberActionDialog: a restart of the leader, pause and resume say what they cost and ask for
// the cluster's name typed, as reinitialize does; reload keeps a plain confirmation.
#include "services/core/auditlog.h"
#include "services/core/readonlyguard.h"
#include "ui/operations/memberactiondialogs.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::ui::MemberActionDialog;

namespace {

struct Fixture
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    OperationContext ctx;
    Fixture()
    {
        ctx.nam = &nam;
        ctx.profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        ctx.guard = std::make_shared<ReadOnlyGuard>(false);
        ctx.audit = std::make_shared<AuditLog>(dir.filePath(QStringLiteral("audit.jsonl")));
    }
};

MemberAction action(MemberAction::Kind kind, bool leader = false)
{
    MemberAction a;
    a.kind = kind;
    a.cluster = QStringLiteral("hokm-ha");
    a.member = QStringLiteral("node1");
    a.memberApi = QUrl(QStringLiteral("http://127.0.0.1:9"));
    a.memberIsLeader = leader;
    return a;
}

QString summaryText(const MemberActionDialog &d)
{
    QStringList texts;
    for (const QLabel *l : d.findChildren<QLabel *>())
        texts << l->text();
    return texts.join(QLatin1Char('\n'));
}

} // namespace

TEST(MemberActionDialog, RestartOfTheLeaderStatesTheCostAndNeedsTheTypedName)
{
    Fixture f;
    MemberActionDialog d(f.ctx, action(MemberAction::Kind::Restart, true));
    d.resize(640, 360);
    d.show();
    EXPECT_TRUE(summaryText(d).contains(QLatin1String("every client of the cluster")))
        << summaryText(d).toStdString();
    ASSERT_TRUE(d.confirmationEdit());
    EXPECT_FALSE(d.runButton()->isEnabled());
    d.confirmationEdit()->setText(QStringLiteral("hokm"));
    EXPECT_FALSE(d.runButton()->isEnabled());
    d.confirmationEdit()->setText(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(d.runButton()->isEnabled());
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    d.grab().save(dir + QStringLiteral("/unit-restart-leader-dialog.png"));
}

TEST(MemberActionDialog, PauseAndResumeNeedTheTypedNameReloadDoesNot)
{
    Fixture f;
    for (auto kind : {MemberAction::Kind::Pause, MemberAction::Kind::Resume}) {
        MemberActionDialog d(f.ctx, action(kind));
        ASSERT_TRUE(d.confirmationEdit());
        EXPECT_FALSE(d.runButton()->isEnabled());
    }
    MemberActionDialog reload(f.ctx, action(MemberAction::Kind::Reload));
    EXPECT_FALSE(reload.confirmationEdit());
    EXPECT_TRUE(reload.runButton()->isEnabled());
}
