// "Test connection" of the Add-cluster dialog against the real sandbox: every member's REST and
// SQL channel, HAProxy and PgBouncer work with the right settings; a wrong SQL password fails on
// every member's SQL channel (and only there) with PostgreSQL's reason; a Patroni URL where
// nothing listens fails the cluster view with a message that says so. Nothing is saved.
#include "models/connectiontestmodel.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"
#include "ui/shell/addclusterdialog.h"

#include <QDir>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;
using test::Sandbox;

namespace {

void fill(ui::AddClusterDialog &d, const QString &name, const QString &value)
{
    auto *e = d.findChild<QLineEdit *>(name);
    ASSERT_TRUE(e) << name.toStdString();
    e->setText(value);
}

struct Dialog
{
    Dialog()
        : profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr)
        , dialog(&nam, &profiles, &secrets)
    {
        fill(dialog, QStringLiteral("name"), QStringLiteral("hokm-ha"));
        fill(dialog, QStringLiteral("patroniUrl"), Sandbox::patroniUrl());
        fill(dialog, QStringLiteral("user"),
             QStringLiteral("vigil")); // password from the sandbox's pgpass
        fill(dialog, QStringLiteral("haproxyUrl"), Sandbox::haproxyStatsUrl());
        fill(dialog, QStringLiteral("haproxyBackend"), QStringLiteral("rw"));
        fill(dialog, QStringLiteral("pgbouncerConninfo"),
             QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=pgbouncer_admin")
                 .arg(Sandbox::pgbouncerPort()));
    }

    // Clicks "Test connection" and waits for the result table.
    bool test()
    {
        dialog.testConnection();
        return test::waitUntil([this] { return !dialog.testModel()->summary().isEmpty(); }, 10000);
    }

    // Result and detail of the row whose check starts with `check`.
    QPair<QString, QString> row(const QString &check) const
    {
        const models::ConnectionTestModel *m = dialog.testModel();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, models::ConnectionTestModel::Check).data().toString().startsWith(check))
                return {m->index(r, models::ConnectionTestModel::Result).data().toString(),
                        m->index(r, models::ConnectionTestModel::Detail).data().toString()};
        return {};
    }

    QTemporaryDir dir;
    QNetworkAccessManager nam;
    services::MemorySecretStore secrets;
    services::ProfileStore profiles;
    ui::AddClusterDialog dialog;
};

} // namespace

TEST(AddClusterTestConnection, EverythingWorksWithTheRightSettings)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Dialog d;
    ASSERT_TRUE(d.test());
    EXPECT_TRUE(d.dialog.testModel()->allOk()) << d.dialog.testModel()->summary().toStdString();
    EXPECT_EQ(d.dialog.testModel()->rowCount(), 1 + 3 * 2 + 2)
        << "cluster view, REST and SQL of 3 members, HAProxy, PgBouncer";
    for (const char *member : {"node1", "node2", "node3"}) {
        EXPECT_EQ(d.row(QStringLiteral("%1 — REST").arg(QLatin1String(member))).first,
                  QStringLiteral("works"))
            << member;
        EXPECT_EQ(d.row(QStringLiteral("%1 — SQL").arg(QLatin1String(member))).first,
                  QStringLiteral("works"))
            << member;
    }
    const QString leader = Sandbox::leaderName();
    EXPECT_TRUE(
        d.row(QStringLiteral("%1 — SQL").arg(leader)).second.contains(QLatin1String("primary")))
        << d.row(QStringLiteral("%1 — SQL").arg(leader)).second.toStdString();
    EXPECT_TRUE(d.row(QStringLiteral("HAProxy")).second.contains(leader))
        << d.row(QStringLiteral("HAProxy")).second.toStdString();
    EXPECT_TRUE(d.dialog.statusText().contains(QLatin1String("passed")))
        << d.dialog.statusText().toStdString();
    EXPECT_TRUE(d.profiles.profileNames().isEmpty()) << "testing saves nothing";
}

TEST(AddClusterTestConnection, AWrongSqlPasswordFailsOnlyTheSqlChannels)
{
    VIGIL_REQUIRE_SANDBOX();
    Dialog d;
    fill(d.dialog, QStringLiteral("sqlPassword"), QStringLiteral("not-the-password"));
    ASSERT_TRUE(d.test());
    EXPECT_FALSE(d.dialog.testModel()->allOk());
    for (const char *member : {"node1", "node2", "node3"}) {
        const auto sql = d.row(QStringLiteral("%1 — SQL").arg(QLatin1String(member)));
        EXPECT_EQ(sql.first, QStringLiteral("fails")) << member;
        EXPECT_TRUE(sql.second.contains(QLatin1String("password authentication failed")))
            << sql.second.toStdString();
        EXPECT_EQ(d.row(QStringLiteral("%1 — REST").arg(QLatin1String(member))).first,
                  QStringLiteral("works"))
            << member;
    }
    EXPECT_TRUE(d.dialog.statusText().contains(QLatin1String("3 of")))
        << d.dialog.statusText().toStdString();
}

TEST(AddClusterTestConnection, NothingListeningAtThePatroniUrl)
{
    VIGIL_REQUIRE_SANDBOX();
    Dialog d;
    fill(d.dialog, QStringLiteral("patroniUrl"),
         QStringLiteral("http://127.0.0.1:%1").arg(Sandbox::portBase() + 29));
    ASSERT_TRUE(d.test());
    EXPECT_FALSE(d.dialog.testModel()->allOk());
    const auto discovery = d.row(QStringLiteral("Cluster view"));
    EXPECT_EQ(discovery.first, QStringLiteral("fails"));
    EXPECT_TRUE(discovery.second.contains(QLatin1String("refused"), Qt::CaseInsensitive))
        << discovery.second.toStdString();
}
