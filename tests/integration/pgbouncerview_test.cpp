// The PgBouncer dock against the sandbox's PgBouncer with the sandbox workload running
// (sandbox.sh workload: pgbench as hokm_app in hokm_game through PgBouncer): SHOW POOLS in the
// view shows the workload's pool, SHOW STATS gets rates on the second read, and the console's
// refusal of a wrong password is a message that says what to fix.
#include "models/pgbouncerconfigmodel.h"
#include "models/pgbouncerpoolsmodel.h"
#include "models/pgbouncerstatsmodel.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"
#include "support/workloadguard.h"
#include "ui/pgbouncer/pgbouncerview.h"

#include <QDir>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;
using vigil::test::Sandbox;
using vigil::test::WorkloadGuard;

TEST(PgBouncerViewSandbox, ShowsTheWorkloadsPool)
{
    VIGIL_REQUIRE_SANDBOX();
    WorkloadGuard workload;
    ASSERT_TRUE(workload.started);

    ui::PgBouncerView view;
    QSignalSpy refreshed(&view, &ui::PgBouncerView::refreshed);
    view.setTarget(QStringLiteral("hokm-ha"), QStringLiteral("service=vigil-bouncer-admin"),
                   QString(), 1000);
    view.resize(1100, 720);
    view.show();
    // The workload's pgbench connects within a few seconds on a loaded machine.
    const bool seen = vigil::test::waitUntil(
        [&] {
            // Rates need two reads; on a loaded machine the second may come late.
            return refreshed.count() > 1 &&
                   view.poolsModel()->rowOf(QStringLiteral("hokm_game/hokm_app")) >= 0 &&
                   view.statsModel()->rowOf(QStringLiteral("hokm_game")) >= 0 &&
                   view.statsModel()
                           ->index(view.statsModel()->rowOf(QStringLiteral("hokm_game")),
                                   models::PgBouncerStatsModel::Transactions)
                           .data(models::CellTableModel::SortRole)
                           .toDouble() > 0;
        },
        60000);
    EXPECT_TRUE(seen) << "message: " << view.message().toStdString();
    EXPECT_TRUE(view.message().isEmpty()) << view.message().toStdString();
    EXPECT_GT(refreshed.count(), 1);
    const int config = view.configModel()->rowOf(QStringLiteral("pool_mode"));
    ASSERT_GE(config, 0);
    EXPECT_EQ(
        view.configModel()->index(config, models::PgBouncerConfigModel::Value).data().toString(),
        QStringLiteral("transaction"));

    const QString dir = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(dir);
    EXPECT_TRUE(view.grab().save(dir + QStringLiteral("/it-pgbouncer-view-workload.png")));

    // Hidden, it stops reading.
    view.hide();
    const int before = refreshed.count();
    vigil::test::spin(2500);
    EXPECT_EQ(refreshed.count(), before);
}

TEST(PgBouncerViewSandbox, WrongPasswordSaysWhatToFix)
{
    VIGIL_REQUIRE_SANDBOX();
    ui::PgBouncerView view;
    view.setTarget(QStringLiteral("hokm-ha"),
                   QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=pgbouncer_admin "
                                  "passfile=/dev/null")
                       .arg(Sandbox::pgbouncerPort()),
                   QStringLiteral("not-the-password"), 1000);
    view.show();
    ASSERT_TRUE(vigil::test::waitUntil([&] { return !view.message().isEmpty(); }, 20000));
    EXPECT_TRUE(view.message().contains(QLatin1String("refused the login")))
        << view.message().toStdString();
    EXPECT_TRUE(view.message().contains(QLatin1String("admin_users")));
}
