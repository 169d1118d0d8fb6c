#include "services/patroni/configchange.h"
#include "support/qtprinters.h"
#include "ui/operations/configeditor.h"
#include "ui/operations/memberactiondialogs.h"
#include "ui/shell/auditlogview.h"

#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QTemporaryDir>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;

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
} // namespace

TEST(ConfigEditor, FormEditGivesAMergePatchDiffAndRestartNote)
{
    QNetworkAccessManager nam;
    OperationContext ctx;
    ctx.nam = &nam;
    vigil::ui::ConfigEditor e(ctx, recordedConfig(), QStringLiteral("hokm-ha"));
    e.resize(760, 640);
    e.show();
    EXPECT_FALSE(e.applyButton()->isEnabled()) << "nothing changed yet";
    e.setFormValue(QStringLiteral("postgresql.parameters.max_connections"), QStringLiteral("1300"));
    e.setFormValue(QStringLiteral("ttl"), QStringLiteral("20"));
    EXPECT_TRUE(e.applyButton()->isEnabled());
    const QJsonObject p = e.patch();
    EXPECT_EQ(p.value(QStringLiteral("ttl")).toInt(), 20);
    EXPECT_EQ(p.value(QStringLiteral("postgresql"))
                  .toObject()
                  .value(QStringLiteral("parameters"))
                  .toObject()
                  .value(QStringLiteral("max_connections"))
                  .toInt(),
              1300);
    EXPECT_EQ(p.size(), 2);
    EXPECT_TRUE(
        e.diffText().contains(QStringLiteral("postgresql.parameters.max_connections: 1200 → 1300")))
        << e.diffText();
    EXPECT_TRUE(e.diffText().contains(QLatin1String("Needs a restart"))) << e.diffText();
    shoot(&e, QStringLiteral("ui-config-editor-form"));
    e.showTextTab();
    EXPECT_EQ(e.patch(), p) << "the text tab carries the form's edits";
    shoot(&e, QStringLiteral("ui-config-editor-text"));
}

TEST(MemberActionDialog, ReinitializeNeedsTheTypedNameAndRunsOnce)
{
    QNetworkAccessManager nam;
    QTemporaryDir dir;
    OperationContext ctx;
    ctx.nam = &nam;
    ctx.profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    ctx.guard = std::make_shared<ReadOnlyGuard>(true);
    ctx.audit = std::make_shared<AuditLog>(dir.filePath(QStringLiteral("a.jsonl")));
    MemberAction a;
    a.kind = MemberAction::Kind::Reinitialize;
    a.cluster = QStringLiteral("hokm-ha");
    a.member = QStringLiteral("node3");
    vigil::ui::MemberActionDialog d(ctx, a);
    d.show();
    EXPECT_FALSE(d.runButton()->isEnabled());
    d.confirmationEdit()->setText(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(d.runButton()->isEnabled());
    shoot(&d, QStringLiteral("ui-reinitialize-dialog"));
    d.runButton()->click();
    d.runButton()->click();
    EXPECT_FALSE(d.runButton()->isEnabled());
    std::optional<MemberActionResult> out;
    QObject::connect(&d, &vigil::ui::MemberActionDialog::actionFinished,
                     [&out](const MemberActionResult &r) { out = r; });
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->outcome, MemberActionResult::Outcome::Refused) << "read-only mode, below the UI";
    EXPECT_EQ(ctx.audit->readAll().size(), 1) << "one click, one action";
    vigil::ui::AuditLogView view(ctx.audit);
    EXPECT_EQ(view.rowCount(), 1);
    const QString csv = dir.filePath(QStringLiteral("export.csv"));
    EXPECT_TRUE(view.exportTo(csv));
    QFile f(csv);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_TRUE(f.readAll().contains("\"reinitialize\""));
}
