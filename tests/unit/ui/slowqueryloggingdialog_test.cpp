#include "services/operations/parameterreloadcheck.h"
#include "services/patroni/configchange.h"
#include "support/qtprinters.h"
#include "ui/operations/slowqueryloggingdialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;
using vigil::ui::SlowQueryLoggingDialog;

namespace {
void shoot(QWidget *w, const QString &name)
{
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    EXPECT_TRUE(w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}
PatroniConfig recordedConfig()
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/operations/config.json"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return parsePatroniConfig(f.readAll()).value();
}
const QString kPath = QStringLiteral("postgresql.parameters.log_min_duration_statement");
} // namespace

TEST(SlowQueryLoggingDialog, OffersTheManualsThresholdAndNeedsTheTypedName)
{
    QNetworkAccessManager nam;
    OperationContext ctx;
    ctx.nam = &nam;
    SlowQueryLoggingDialog d(ctx, recordedConfig(), QStringLiteral("hokm-ha"));
    d.resize(660, 580);
    d.show();
    EXPECT_EQ(d.chosenValue(), 1000) << "not set yet: the toggle offers on, at 1000 ms";
    EXPECT_EQ(configValue(d.patch(), kPath).toInt(), 1000);
    EXPECT_EQ(d.patch().size(), 1) << "only postgresql.parameters changes";
    EXPECT_TRUE(d.diffText().contains(
        QStringLiteral("postgresql.parameters.log_min_duration_statement: (unset) → 1000")))
        << d.diffText();
    EXPECT_FALSE(d.applyButton()->isEnabled()) << "the cluster name is not typed yet";
    d.confirmationEdit()->setText(QStringLiteral("hokm"));
    EXPECT_FALSE(d.applyButton()->isEnabled());
    d.confirmationEdit()->setText(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(d.applyButton()->isEnabled());
    shoot(&d, QStringLiteral("ui-slow-query-logging-on"));
    d.setChosenValue(-1);
    EXPECT_EQ(configValue(d.patch(), kPath).toInt(), -1);
    shoot(&d, QStringLiteral("ui-slow-query-logging-off"));
}

TEST(SlowQueryLoggingDialog, WhenOnItOffersOff)
{
    PatroniConfig c = recordedConfig();
    setConfigValue(c.raw, kPath, QJsonValue(250));
    OperationContext ctx;
    SlowQueryLoggingDialog d(ctx, c, QStringLiteral("hokm-ha"));
    EXPECT_EQ(d.chosenValue(), -1);
    d.setChosenValue(250);
    EXPECT_TRUE(d.patch().isEmpty()) << "250 is already set";
    EXPECT_FALSE(d.applyButton()->isEnabled());
}

TEST(SlowQueryLoggingDialog, ReadOnlyModeRefusesBelowTheUiAndVerifiesNothing)
{
    QNetworkAccessManager nam;
    QTemporaryDir dir;
    OperationContext ctx;
    ctx.nam = &nam;
    ctx.profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    ctx.guard = std::make_shared<ReadOnlyGuard>(true);
    ctx.audit = std::make_shared<AuditLog>(dir.filePath(QStringLiteral("a.jsonl")));
    SlowQueryLoggingDialog d(ctx, recordedConfig(), QStringLiteral("hokm-ha"));
    d.confirmationEdit()->setText(QStringLiteral("hokm-ha"));
    std::optional<bool> patched;
    QObject::connect(&d, &SlowQueryLoggingDialog::finished,
                     [&patched](bool p, const QList<MemberParameterStatus> &) { patched = p; });
    d.apply();
    for (int i = 0; i < 20 && !patched; ++i)
        QCoreApplication::processEvents();
    ASSERT_TRUE(patched.has_value());
    EXPECT_FALSE(*patched);
    EXPECT_FALSE(d.check()->isRunning());
    EXPECT_EQ(d.memberTable()->rowCount(), 0);
    EXPECT_EQ(ctx.audit->readAll().size(), 1) << "the refusal is logged";
}
