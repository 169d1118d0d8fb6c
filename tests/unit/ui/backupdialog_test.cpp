// The Full backup dialog before it runs: a replica is the default member (the dialog says why),
// the application's database is preselected, the file is named after cluster, database and
// time; bad input is refused with a sentence, not started. The running and finished states are
// rendered against the sandbox (tests/integration/backup_test.cpp).
#include "support/qtprinters.h"
#include "ui/backup/backupdialog.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::ui::BackupDialog;

namespace {

ClusterSnapshotPtr threeMembers()
{
    auto s = std::make_shared<ClusterSnapshot>();
    s->scope = QStringLiteral("hokm-ha");
    auto member = [](const char *name, int port, PatroniRole role, std::optional<qint64> lag) {
        MemberSnapshot m;
        m.name = QLatin1String(name);
        m.host = QStringLiteral("127.0.0.1");
        m.port = port;
        m.role = role;
        m.state =
            role == PatroniRole::Leader ? QStringLiteral("running") : QStringLiteral("streaming");
        m.lagBytes = lag;
        m.databaseSizes = {{QStringLiteral("postgres"), 8 << 20},
                           {QStringLiteral("hokm_game"), 12 << 20},
                           {QStringLiteral("template1"), 8 << 20}};
        return m;
    };
    s->members = {member("node1", 5432, PatroniRole::Leader, std::nullopt),
                  member("node2", 5433, PatroniRole::Replica, qint64(65536)),
                  member("node3", 5434, PatroniRole::Replica, qint64(0))};
    return s;
}

OperationContext context()
{
    OperationContext c;
    c.profile.name = QStringLiteral("hokm-ha");
    return c;
}

void shoot(QWidget *w, const QString &name)
{
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    EXPECT_TRUE(w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

} // namespace

TEST(BackupDialog, DefaultsToTheReplicaWithLeastLagAndTheApplicationDatabase)
{
    BackupDialog d(context(), threeMembers());
    EXPECT_EQ(d.member(), QStringLiteral("node3"));
    EXPECT_EQ(d.database(), QStringLiteral("hokm_game"));
    EXPECT_TRUE(d.outputFile().contains(QStringLiteral("hokm-ha-hokm_game-")));
    EXPECT_TRUE(d.outputFile().endsWith(QStringLiteral(".dump")));
    const auto members = d.findChildren<QComboBox *>();
    bool saysDefault = false;
    for (const QComboBox *c : members)
        for (int i = 0; i < c->count(); ++i)
            saysDefault = saysDefault || (c->itemText(i).contains(QStringLiteral("node3")) &&
                                          c->itemText(i).contains(QStringLiteral("default")));
    EXPECT_TRUE(saysDefault);
    bool saysWhy = false;
    for (const QLabel *l : d.findChildren<QLabel *>())
        saysWhy = saysWhy || l->text().contains(QStringLiteral("load stays off the primary"));
    EXPECT_TRUE(saysWhy);
    EXPECT_FALSE(d.cancelButton()->isEnabled());
    d.resize(d.sizeHint().expandedTo(QSize(680, 0)));
    d.show();
    shoot(&d, QStringLiteral("backupdialog_ready"));
}

TEST(BackupDialog, RefusesAFolderThatDoesNotExistWithoutStarting)
{
    BackupDialog d(context(), threeMembers());
    d.setOutputFile(QStringLiteral("/nonexistent-folder/x.dump"));
    d.startBackup();
    EXPECT_FALSE(d.runner()->isRunning());
    EXPECT_TRUE(d.startButton()->isEnabled());
}

TEST(BackupDialog, DefaultFileNameIsSafeForAnyFileSystem)
{
    EXPECT_EQ(BackupDialog::defaultFileName(QStringLiteral("prod/eu 1"), QStringLiteral("shop"),
                                            QDateTime(QDate(2026, 12, 4), QTime(5, 7), Qt::UTC)),
              QStringLiteral("prod_eu_1-shop-20261204-0507.dump"));
}
