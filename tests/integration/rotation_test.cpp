// Password rotation against the real sandbox (issue 14, "Done when"): with log_statement=all and
// log_min_duration_statement=0 set through Patroni's configuration (restored after), a role made
// by this test is rotated through `vigil rotate-password` (the built binary, password on stdin)
// and through the wizard's code path. Then the plaintext is in no server log, PgBouncer log,
// audit log, QSettings file or /proc/*/cmdline; pg_authid holds a SCRAM verifier; the new
// password logs in directly and through PgBouncer, the old one does not. The sandbox's own roles
// are never touched; the test's role and its userlist line are removed at the end.
#include "rotation_fixture.h"
#include "services/core/version.h"
#include "services/settings/memorysecretstore.h"
#include "support/procfile.h"
#include "ui/security/passwordrotationwizard.h"

#include <QDirIterator>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>

using namespace vigil::services;
using namespace vigil::test;

namespace {

// Every file a leak would land in: server logs of all members, PgBouncer's and the sandbox's
// logs, the audit log, the QSettings file.
QStringList filesToSearch(const QString &auditLog)
{
    // This process's settings and the vigil binary's (its organization, application "vigil").
    QStringList files{
        auditLog, QSettings().fileName(),
        QSettings(QLatin1String(vigil::kOrganization), QStringLiteral("vigil")).fileName()};
    QDirIterator it(Sandbox::dir(), {QStringLiteral("*.log"), QStringLiteral("*.csv")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

QStringList filesContaining(const QStringList &files, const QByteArray &needle)
{
    QStringList hits;
    for (const QString &path : files) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits.append(path);
    }
    return hits;
}

QStringList cmdlinesContaining(const QByteArray &needle)
{
    QStringList hits;
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        if (procFile(pid.toLongLong(), "cmdline").contains(needle))
            hits.append(pid);
    }
    return hits;
}

} // namespace

TEST_F(RotationTest, CommandLineRotationLeaksNothingAndVerifies)
{
    const QString newPassword = PasswordGenerator::generate();
    QProcess vigil;
    vigil.setProcessChannelMode(QProcess::MergedChannels);
    vigil.start(QStringLiteral(VIGIL_BINARY),
                {QStringLiteral("rotate-password"), m_role, QStringLiteral("--patroni"),
                 Sandbox::patroniUrl(), QStringLiteral("--sql"),
                 QStringLiteral("service=vigil-sandbox user=postgres"),
                 QStringLiteral("--pgbouncer"), QStringLiteral("service=vigil-bouncer-admin"),
                 QStringLiteral("--valid-until"), QStringLiteral("2099-01-01 00:00:00+00"),
                 QStringLiteral("--check-old"), QStringLiteral("--audit-log"), m_auditLog,
                 QStringLiteral("--confirm"), m_cluster});
    ASSERT_TRUE(vigil.waitForStarted());
    vigil.write((newPassword + QLatin1Char('\n') + m_password + QLatin1Char('\n')).toUtf8());
    vigil.closeWriteChannel();
    QStringList leakedCmdlines;
    while (!vigil.waitForFinished(100))
        leakedCmdlines += cmdlinesContaining(newPassword.toUtf8());
    const QString out = QString::fromUtf8(vigil.readAll());
    EXPECT_EQ(vigil.exitCode(), 0) << out.toStdString();
    EXPECT_TRUE(out.contains(QLatin1String("Old password refused through PgBouncer: done")))
        << out.toStdString();
    EXPECT_FALSE(out.contains(newPassword)) << "printed without --print";
    EXPECT_TRUE(leakedCmdlines.isEmpty()) << leakedCmdlines.join(QLatin1Char(' ')).toStdString();

    expectRotated(m_password, newPassword, QStringLiteral("2099-01-01"));
    flushServerLogs();
    const QStringList files = filesToSearch(m_auditLog);
    EXPECT_GT(files.size(), 5);
    EXPECT_EQ(filesContaining(files, newPassword.toUtf8()), QStringList());
    EXPECT_TRUE(cmdlinesContaining(newPassword.toUtf8()).isEmpty());
    // The statement was logged (log_statement=all works), carrying the verifier now in
    // pg_authid: without it the leak check would prove nothing.
    const QByteArray verifier =
        superuser(
            QStringLiteral("SELECT rolpassword FROM pg_authid WHERE rolname = '%1'").arg(m_role))
            .result.text(0, QStringLiteral("rolpassword"))
            .toLatin1();
    ASSERT_FALSE(verifier.isEmpty());
    EXPECT_FALSE(filesContaining(files, verifier).isEmpty())
        << "log_statement=all did not log vigil's ALTER ROLE";
    EXPECT_TRUE(filesContaining({m_auditLog}, verifier).isEmpty());
    m_password = newPassword;
}

TEST_F(RotationTest, RefusesPatroniRolesAndWrongConfirmation)
{
    RotationTarget target = discover();
    ASSERT_FALSE(target.error) << target.error.toText().toStdString();
    const RotationRole *replicator = target.role(QStringLiteral("replicator"));
    ASSERT_TRUE(replicator);
    EXPECT_TRUE(replicator->refusal().contains(QLatin1String("patroni.yml")));
    RotationRequest request;
    request.role = QStringLiteral("replicator");
    request.newPassword = PasswordGenerator::generate();
    request.typedConfirmation = m_cluster;
    RotationReport report = rotate(target, request);
    EXPECT_FALSE(report.passwordChanged);
    request.role = m_role;
    request.typedConfirmation = QStringLiteral("wrong");
    report = rotate(target, request);
    EXPECT_FALSE(report.passwordChanged);
    expectRotated({}, m_password, {}); // unchanged: the current password still works
}

namespace {
void screenshot(QWidget &w, const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    w.grab().save(QStringLiteral(VIGIL_ARTIFACTS_DIR "/") + name);
}
} // namespace

TEST_F(RotationTest, WizardRotationLeaksNothingAndVerifies)
{
    using vigil::ui::PasswordRotationWizard;
    MemorySecretStore secrets;
    PasswordRotationWizard wizard(context(), &secrets);
    bool ready = false, finished = false;
    QObject::connect(&wizard, &PasswordRotationWizard::targetReady, [&] { ready = true; });
    QObject::connect(&wizard, &PasswordRotationWizard::rotationFinished, [&] { finished = true; });
    wizard.show();
    ASSERT_TRUE(waitUntil([&] { return ready; }, 60000));
    ASSERT_TRUE(wizard.targetLoaded()) << wizard.target().error.toText().toStdString();
    ASSERT_TRUE(wizard.selectRole(m_role));
    spin(200);
    screenshot(wizard, QStringLiteral("rotation-1-role.png"));
    wizard.next();
    ASSERT_EQ(wizard.currentId(), PasswordRotationWizard::PasswordPage);
    const QString newPassword = wizard.newPassword(); // generated, from the CSPRNG
    ASSERT_GE(newPassword.size(), 32);
    wizard.setOldPassword(m_password);
    wizard.setValidUntil(QStringLiteral("2098-06-30 00:00:00+00"));
    spin(200);
    screenshot(wizard, QStringLiteral("rotation-2-password.png"));
    wizard.next();
    ASSERT_EQ(wizard.currentId(), PasswordRotationWizard::PreviewPage);
    spin(200);
    screenshot(wizard, QStringLiteral("rotation-3-preview.png"));
    wizard.next();
    ASSERT_EQ(wizard.currentId(), PasswordRotationWizard::ConfirmPage);
    wizard.setTypedConfirmation(m_cluster);
    spin(200);
    screenshot(wizard, QStringLiteral("rotation-4-confirm.png"));
    wizard.next();
    ASSERT_EQ(wizard.currentId(), PasswordRotationWizard::ResultPage);
    ASSERT_TRUE(waitUntil([&] { return finished; }, 120000));
    spin(200);
    screenshot(wizard, QStringLiteral("rotation-5-result.png"));
    const RotationReport report = wizard.report();
    EXPECT_TRUE(report.passwordChanged);
    EXPECT_FALSE(report.failed()) << report.toText().toStdString();
    EXPECT_FALSE(report.manualWorkLeft()) << report.toText().toStdString();
    wizard.close(); // wipes the password from the wizard

    expectRotated(m_password, newPassword, QStringLiteral("2098-06-30"));
    flushServerLogs();
    const QStringList files = filesToSearch(m_auditLog);
    EXPECT_EQ(filesContaining(files, newPassword.toUtf8()), QStringList());
    EXPECT_TRUE(cmdlinesContaining(newPassword.toUtf8()).isEmpty());
    EXPECT_FALSE(filesContaining({m_auditLog}, "rotate_password").isEmpty());
    // Neither the verifier: pg_authid's value is not in the audit log.
    const QByteArray verifier =
        superuser(
            QStringLiteral("SELECT rolpassword FROM pg_authid WHERE rolname = '%1'").arg(m_role))
            .result.text(0, QStringLiteral("rolpassword"))
            .toLatin1();
    ASSERT_FALSE(verifier.isEmpty());
    EXPECT_TRUE(filesContaining({m_auditLog}, verifier).isEmpty());
    m_password = newPassword;
}

TEST_F(RotationTest, ProfilesOwnRoleUpdatesTheKeychain)
{
    // The profile logs in as the test role itself: a role may change its own password.
    OperationContext ctx = context();
    ctx.profile.sqlConninfo = QStringLiteral("service=vigil-sandbox user=%1").arg(m_role);
    ctx.secrets.sqlPassword = m_password;
    MemorySecretStore secrets;
    RotationDiscovery discovery(ctx);
    std::optional<RotationTarget> target;
    QObject::connect(&discovery, &RotationDiscovery::finished,
                     [&](const RotationTarget &t) { target = t; });
    discovery.start();
    ASSERT_TRUE(waitUntil([&] { return target.has_value(); }, 60000));
    ASSERT_FALSE(target->error) << target->error.toText().toStdString();
    ASSERT_TRUE(target->role(m_role) && target->role(m_role)->profileRole);

    RotationRequest request;
    request.role = m_role;
    request.newPassword = PasswordGenerator::generate();
    request.oldPassword = m_password;
    request.typedConfirmation = m_cluster;
    PasswordRotator rotator(ctx, &secrets);
    std::optional<RotationReport> report;
    QObject::connect(&rotator, &PasswordRotator::finished,
                     [&](const RotationReport &r) { report = r; });
    rotator.start(*target, request);
    ASSERT_TRUE(waitUntil([&] { return report.has_value(); }, 120000));
    EXPECT_TRUE(report->passwordChanged);
    EXPECT_FALSE(report->failed()) << report->toText().toStdString();

    std::optional<QString> stored;
    secrets.read(SecretStore::keyFor(ctx.profile.name, SecretStore::Slot::Sql),
                 [&](const SecretStore::Outcome &, const QString &s) { stored = s; });
    ASSERT_TRUE(waitUntil([&] { return stored.has_value(); }, 5000));
    EXPECT_EQ(*stored, request.newPassword);
    expectRotated(m_password, request.newPassword, {});
    m_password = request.newPassword;
}
