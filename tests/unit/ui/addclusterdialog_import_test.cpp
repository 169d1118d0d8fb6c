// The Add-cluster dialog's "Import from patroni.yml / patronictl.yaml": the fields it fills from
// the sandbox's recorded member files, the notes it shows, that nothing is saved before Save, and
// that Save puts the REST password in the keychain and none in the settings file.
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/shell/addclusterdialog.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
QString fixture(const char *name)
{
    return QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/yaml/") + QLatin1String(name);
}

QString text(const ui::AddClusterDialog &d, const char *field)
{
    auto *e = d.findChild<QLineEdit *>(QLatin1String(field));
    return e ? e->text() : QStringLiteral("<no field %1>").arg(QLatin1String(field));
}
} // namespace

TEST(AddClusterDialogImport, FillsTheFieldsAndShowsTheNotesWithoutSaving)
{
    QTemporaryDir dir;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    services::MemorySecretStore secrets;
    ui::AddClusterDialog d(nullptr, &profiles, &secrets);
    ASSERT_TRUE(d.findChild<QPushButton *>(QStringLiteral("importButton")));
    d.findChild<QLineEdit *>(QStringLiteral("haproxyUrl"))
        ->setText(QStringLiteral("http://127.0.0.1:60332/;csv"));
    d.importFiles({fixture("node1.yml"), fixture("node2.yml"), fixture("node3.yml")});

    EXPECT_EQ(text(d, "name"), QStringLiteral("hokm-ha"));
    EXPECT_EQ(text(d, "patroniUrl"), QStringLiteral("http://127.0.0.1:60320"));
    EXPECT_EQ(text(d, "user"), QStringLiteral("vigil"));
    EXPECT_EQ(text(d, "sqlPassword"), QString()); // never the superuser's
    EXPECT_EQ(text(d, "restUser"), QStringLiteral("patroni"));
    EXPECT_EQ(text(d, "restPassword"), QStringLiteral("fixture-rest-password"));
    EXPECT_EQ(text(d, "haproxyUrl"), QStringLiteral("http://127.0.0.1:60332/;csv")); // kept
    const services::ClusterProfile p = d.profile();
    EXPECT_EQ(p.patroniFallbackUrls.size(), 2);
    EXPECT_TRUE(d.validationError().isEmpty()) << d.validationError().toStdString();
    EXPECT_TRUE(d.importNotesText().contains(QStringLiteral("superuser 'postgres'")));
    EXPECT_TRUE(d.statusText().contains(QStringLiteral("Imported 3 file")))
        << d.statusText().toStdString();
    // Nothing is saved until Save.
    EXPECT_TRUE(profiles.profileNames().isEmpty());
    EXPECT_EQ(secrets.size(), 0);

    // Look at it: the dialog right after an import.
    d.resize(d.sizeHint());
    d.show();
    QCoreApplication::processEvents();
    const QString out = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(out);
    EXPECT_TRUE(d.grab().save(out + QStringLiteral("/addcluster-imported.png")));

    QSignalSpy saved(&d, &ui::AddClusterDialog::profileSaved);
    d.save();
    ASSERT_TRUE(test::waitUntil([&] { return saved.count() == 1; }, 3000))
        << d.statusText().toStdString();
    EXPECT_EQ(secrets.size(), 1);
    const auto back = profiles.load(QStringLiteral("hokm-ha"));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->patroniFallbackUrls, p.patroniFallbackUrls);
    profiles.sync();
    QFile f(profiles.fileName());
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_FALSE(f.readAll().contains("fixture-"));
}

TEST(AddClusterDialogImport, TlsFileFillsTheCertificateFields)
{
    ui::AddClusterDialog d(nullptr, nullptr, nullptr);
    d.importFiles({fixture("tls-node1.yml")});
    EXPECT_EQ(text(d, "patroniUrl"), QStringLiteral("https://127.0.0.1:60320"));
    EXPECT_EQ(text(d, "restCa"), QStringLiteral("/tmp/vigil-60300/tls/ca.crt"));
    EXPECT_EQ(text(d, "restCert"), QStringLiteral("/tmp/vigil-60300/tls/client.crt"));
    EXPECT_EQ(text(d, "restKey"), QStringLiteral("/tmp/vigil-60300/tls/client.key"));
    EXPECT_EQ(text(d, "sslrootcert"), QStringLiteral("/tmp/vigil-60300/tls/ca.crt"));
    EXPECT_EQ(d.findChild<QComboBox *>(QStringLiteral("sslmode"))->currentText(),
              QStringLiteral("verify-full"));
}

TEST(AddClusterDialogImport, BadFileSaysWhyAndChangesNothing)
{
    ui::AddClusterDialog d(nullptr, nullptr, nullptr);
    d.findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("typed"));
    d.importFiles({fixture("malformed-syntax.yml")});
    EXPECT_TRUE(d.statusText().startsWith(
        QStringLiteral("Nothing imported. malformed-syntax.yml: not valid YAML at line")))
        << d.statusText().toStdString();
    EXPECT_EQ(text(d, "name"), QStringLiteral("typed"));
    EXPECT_TRUE(d.importNotesText().isEmpty());
    // A patronictl.yaml names no member: the fields it has are filled, the URL is asked for.
    d.importFiles({fixture("patronictl.yaml")});
    EXPECT_EQ(text(d, "restUser"), QStringLiteral("patroni"));
    EXPECT_TRUE(d.statusText().contains(QStringLiteral("REST URL of any Patroni member")))
        << d.statusText().toStdString();
    d.resize(d.sizeHint());
    d.show();
    QCoreApplication::processEvents();
    const QString out = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(out);
    EXPECT_TRUE(d.grab().save(out + QStringLiteral("/addcluster-imported-patronictl.png")));
}
