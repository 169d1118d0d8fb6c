// The composition root of the window: editing a watched cluster's profile, the troubleshooting
// docks following the cluster on screen, and --read-only reaching saved profiles. Nothing here
// needs a server: the profiles point at a closed port.
#include "app/gui/compositionroot.h"
#include "services/diagnostics/membersessionpool.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/shell/addclusterdialog.h"
#include "ui/shell/mainwindow.h"

#include <QDir>
#include <QLineEdit>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
services::ClusterProfile nowhere(const QString &name, int port)
{
    services::ClusterProfile p;
    p.name = name;
    p.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); // nothing listens there
    p.sqlConninfo = QStringLiteral("dbname=postgres user=vigil");
    return p;
}

void writeSecret(services::SecretStore &store, const QString &key, const QString &value)
{
    bool done = false;
    store.write(key, value, [&](const services::SecretStore::Outcome &) { done = true; });
    ASSERT_TRUE(test::waitUntil([&] { return done; }, 2000));
}
} // namespace

TEST(CompositionRoot, EditingAProfileKeepsItsPasswordsAndTheSettingsTheFormHasNoFieldFor)
{
    QTemporaryDir dir;
    ui::MainWindow window(ui::MainWindow::Options{});
    services::MemorySecretStore secrets;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    services::ClusterProfile saved = nowhere(QStringLiteral("prod"), 1);
    saved.stateIntervalMs = 2000;
    saved.memberDeadlineMs = 1500;
    profiles.save(saved);
    using Slot = services::SecretStore::Slot;
    writeSecret(secrets, services::SecretStore::keyFor(QStringLiteral("prod"), Slot::Sql),
                QStringLiteral("Sql-7f3e"));
    app::CompositionRoot session(&window, &secrets, &profiles);
    ASSERT_TRUE(session.openSavedProfile(QStringLiteral("prod")));
    ASSERT_TRUE(test::waitUntil(
        [&] {
            return session.secretsInUse(QStringLiteral("prod")).sqlPassword ==
                   QLatin1String("Sql-7f3e");
        },
        3000));

    window.openEditClusterDialog(QStringLiteral("prod"));
    auto *dialog = window.findChild<ui::AddClusterDialog *>();
    ASSERT_TRUE(dialog);
    EXPECT_TRUE(dialog->isEditing());
    auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("name"));
    ASSERT_TRUE(name);
    EXPECT_EQ(name->text(), QStringLiteral("prod"));
    EXPECT_TRUE(name->isReadOnly()) << "the name keys the passwords; it cannot change in an edit";
    EXPECT_EQ(dialog->findChild<QLineEdit *>(QStringLiteral("user"))->text(),
              QStringLiteral("vigil"));
    EXPECT_TRUE(dialog->findChild<QLineEdit *>(QStringLiteral("sqlPassword"))->text().isEmpty());

    dialog->show();
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    dialog->grab().save(QStringLiteral(VIGIL_ARTIFACTS_DIR "/unit-edit-cluster.png"));
    auto *sessionOnly = dialog->findChild<QWidget *>(QStringLiteral("sessionOnlyButton"));
    ASSERT_TRUE(sessionOnly);
    EXPECT_FALSE(sessionOnly->isVisible()) << "offered only when the keychain fails";
    dialog->findChild<QLineEdit *>(QStringLiteral("user"))->setText(QStringLiteral("monitor"));
    dialog->findChild<QLineEdit *>(QStringLiteral("haproxyUrl"))
        ->setText(QStringLiteral("http://127.0.0.1:2/;csv"));
    dialog->save();

    ASSERT_TRUE(test::waitUntil(
        [&] {
            const services::ClusterMonitor *m = session.monitor(QStringLiteral("prod"));
            return m && m->profile().sqlConninfo.contains(QLatin1String("user=monitor"));
        },
        3000));
    const services::ClusterProfile now = session.monitor(QStringLiteral("prod"))->profile();
    EXPECT_EQ(now.haproxyStatsUrl, QUrl(QStringLiteral("http://127.0.0.1:2/;csv")));
    EXPECT_EQ(now.stateIntervalMs, 2000);
    EXPECT_EQ(now.memberDeadlineMs, 1500);
    EXPECT_EQ(session.secretsInUse(QStringLiteral("prod")).sqlPassword, QStringLiteral("Sql-7f3e"))
        << "an empty password field keeps the password in use";
    const auto reloaded = profiles.load(QStringLiteral("prod"));
    ASSERT_TRUE(reloaded);
    EXPECT_EQ(reloaded->sqlConninfo, QStringLiteral("dbname=postgres user=monitor"));
    EXPECT_EQ(reloaded->stateIntervalMs, 2000);
    EXPECT_EQ(window.clusters(), QStringList{QStringLiteral("prod")});
}

TEST(CompositionRoot, AddingRefusesTheNameOfASavedCluster)
{
    QTemporaryDir dir;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    services::ClusterProfile saved = nowhere(QStringLiteral("prod"), 1);
    profiles.save(saved);
    ui::AddClusterDialog d(nullptr, &profiles, nullptr);
    d.setProfile(nowhere(QStringLiteral("prod"), 5));
    d.save();
    EXPECT_TRUE(d.statusText().contains(QLatin1String("already saved")))
        << d.statusText().toStdString();
    EXPECT_EQ(profiles.load(QStringLiteral("prod"))->patroniUrl, saved.patroniUrl)
        << "the saved profile was overwritten";
}

TEST(CompositionRoot, TroubleshootingFollowsTheClusterOnScreen)
{
    QTemporaryDir dir;
    ui::MainWindow window(ui::MainWindow::Options{});
    services::MemorySecretStore secrets;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    app::CompositionRoot session(&window, &secrets, &profiles);
    session.openProfile(nowhere(QStringLiteral("alpha"), 1), {QStringLiteral("a-pass"), {}, {}});
    services::ClusterProfile beta = nowhere(QStringLiteral("beta"), 2);
    beta.readOnly = true;
    session.openProfile(beta);
    auto *context = window.findChild<services::MemberSessionPool *>();
    ASSERT_TRUE(context);
    EXPECT_EQ(window.currentCluster(), QStringLiteral("alpha"));
    EXPECT_EQ(context->profile().name, QStringLiteral("alpha"));
    EXPECT_FALSE(context->guard()->isReadOnly());

    window.showCluster(QStringLiteral("beta"));
    EXPECT_EQ(context->profile().name, QStringLiteral("beta"));
    EXPECT_TRUE(context->guard()->isReadOnly()) << "beta's profile is read-only";
    EXPECT_TRUE(context->members().isEmpty()) << "alpha's members must not be used against beta";

    window.showCluster(QStringLiteral("alpha"));
    EXPECT_EQ(context->profile().name, QStringLiteral("alpha"));
    EXPECT_EQ(window.findChildren<services::MemberSessionPool *>().size(), 1);

    window.removeCluster(QStringLiteral("alpha"));
    EXPECT_EQ(context->profile().name, QStringLiteral("beta")) << "the window shows beta now";
    window.removeCluster(QStringLiteral("beta"));
    EXPECT_TRUE(context->profile().name.isEmpty()) << "no cluster on screen: the docks act on none";
    EXPECT_TRUE(context->guard()->isReadOnly());
}

TEST(CompositionRoot, ReadOnlyOnTheCommandLineReachesSavedProfiles)
{
    QTemporaryDir dir;
    ui::MainWindow::Options options;
    options.readOnly = true;
    ui::MainWindow window(options);
    services::MemorySecretStore secrets;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    services::ClusterProfile saved = nowhere(QStringLiteral("prod"), 1);
    ASSERT_FALSE(saved.readOnly);
    profiles.save(saved);
    app::CompositionRoot session(&window, &secrets, &profiles);
    ASSERT_TRUE(session.openSavedProfile(QStringLiteral("prod")));
    ASSERT_TRUE(
        test::waitUntil([&] { return session.monitor(QStringLiteral("prod")) != nullptr; }, 3000));
    EXPECT_TRUE(session.monitor(QStringLiteral("prod"))->profile().readOnly);
    auto *context = window.findChild<services::MemberSessionPool *>();
    ASSERT_TRUE(context);
    EXPECT_TRUE(context->guard()->isReadOnly());
    EXPECT_FALSE(profiles.load(QStringLiteral("prod"))->readOnly)
        << "--read-only is for this session, not saved";
}
