// The password rotation wizard without a cluster: an unreachable Patroni keeps the role page
// incomplete with the reason shown; the password page generates from the CSPRNG by default and
// takes a typed one instead; closing wipes it. The full path runs against the sandbox in
// it_rotation_test.
#include "services/settings/memorysecretstore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/security/passwordrotationwizard.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;
using vigil::ui::PasswordRotationWizard;

namespace {
services::OperationContext deadCluster(QNetworkAccessManager *nam, const QString &audit)
{
    services::OperationContext ctx;
    ctx.nam = nam;
    ctx.profile.name = QStringLiteral("dead");
    ctx.profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    ctx.guard = std::make_shared<services::ReadOnlyGuard>(false);
    ctx.audit = std::make_shared<services::AuditLog>(audit);
    return ctx;
}
} // namespace

TEST(PasswordRotationWizard, UnreachableClusterSaysWhy)
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    services::MemorySecretStore secrets;
    PasswordRotationWizard wizard(deadCluster(&nam, dir.filePath(QStringLiteral("a.jsonl"))),
                                  &secrets);
    bool ready = false;
    QObject::connect(&wizard, &PasswordRotationWizard::targetReady, [&] { ready = true; });
    wizard.show();
    ASSERT_TRUE(test::waitUntil([&] { return ready; }, 20000));
    EXPECT_FALSE(wizard.targetLoaded());
    EXPECT_TRUE(wizard.target().error.isError());
    EXPECT_FALSE(wizard.currentPage()->isComplete());
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    wizard.grab().save(QStringLiteral(VIGIL_ARTIFACTS_DIR "/unit-rotation-unreachable.png"));
}

TEST(PasswordRotationWizard, GeneratedByDefaultTypedIsUsed)
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    PasswordRotationWizard wizard(deadCluster(&nam, dir.filePath(QStringLiteral("a.jsonl"))),
                                  nullptr);
    EXPECT_EQ(wizard.newPassword().size(), 32);
    wizard.setTypedPassword(QStringLiteral("correct horse battery staple 42"));
    EXPECT_EQ(wizard.newPassword(), QStringLiteral("correct horse battery staple 42"));
    EXPECT_EQ(wizard.request().newPassword, wizard.newPassword());
    wizard.reject(); // closing wipes the password
    EXPECT_TRUE(wizard.newPassword().isEmpty());
}

TEST(PasswordRotationWizard, ClipboardIsClearedAfterTheDelay)
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    EXPECT_EQ(PasswordRotationWizard::kClipboardClearMs, 30000);
    auto *wizard = new PasswordRotationWizard(
        deadCluster(&nam, dir.filePath(QStringLiteral("a.jsonl"))), nullptr);
    wizard->setClipboardClearMs(300);
    wizard->copyPassword();
    const QString copied = wizard->newPassword();
    EXPECT_EQ(QApplication::clipboard()->text(), copied);
    delete wizard; // cleared also when the wizard has closed by then
    EXPECT_TRUE(test::waitUntil([] { return QApplication::clipboard()->text().isEmpty(); }, 5000));
    // Something else copied since is left alone.
    auto *again = new PasswordRotationWizard(
        deadCluster(&nam, dir.filePath(QStringLiteral("b.jsonl"))), nullptr);
    again->setClipboardClearMs(300);
    again->copyPassword();
    QApplication::clipboard()->setText(QStringLiteral("unrelated"));
    test::spin(600);
    EXPECT_EQ(QApplication::clipboard()->text(), QStringLiteral("unrelated"));
    delete again;
}
