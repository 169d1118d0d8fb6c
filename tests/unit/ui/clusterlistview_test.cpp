// Issue 13: a cluster opened by its Patroni URL (`vigil-gui --patroni http://127.0.0.1:8008`)
// gets a profile named after the URL's authority; the cluster list names it by Patroni's scope
// and fits its dock without scrolling sideways. Screenshots: unit-clusterlist-by-url.png (the
// dock) and unit-clusterlist-by-url-window.png (the whole window).
#include "models/clusterlistmodel.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"
#include "ui/shell/clusterlistview.h"
#include "ui/shell/mainwindow.h"
#include "ui/widgets/tableview.h"

#include <QApplication>
#include <QDir>
#include <QScrollBar>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

// The sandbox's healthy snapshot, watched under the profile a URL gives (its authority).
services::ClusterSnapshotPtr openedByUrl(const QString &profile, const QString &scope)
{
    test::SandboxShape shape;
    shape.takenAt = QDateTime::currentDateTimeUtc();
    services::ClusterSnapshot s = test::healthySnapshot(shape);
    s.profileName = profile;
    s.scope = scope;
    return test::share(s);
}
} // namespace

TEST(ClusterListView, ClusterOpenedByUrlIsNamedByItsScopeAndFits)
{
    const QString url = QStringLiteral("http://127.0.0.1:8008");
    const QString profile = QStringLiteral("127.0.0.1:8008");
    ui::MainWindow window(ui::MainWindow::Options{url, QString(), false});
    window.addCluster(profile, url);
    window.resize(1440, 900);
    window.show();
    window.showSnapshot(openedByUrl(profile, QStringLiteral("hokm-cluster")));
    QApplication::processEvents();
    models::ClusterListModel *model = window.clusterListModel();
    const int row = model->rowOf(profile);
    ASSERT_GE(row, 0) << "the list stays keyed by the profile";
    const QModelIndex name = model->index(row, models::ClusterListModel::Cluster);
    EXPECT_EQ(name.data().toString(), QStringLiteral("hokm-cluster"));
    EXPECT_TRUE(name.data(Qt::ToolTipRole).toString().contains(url))
        << "the URL it was opened by stays one hover away: "
        << name.data(Qt::ToolTipRole).toString().toStdString();

    ui::TableView *clusters = window.clusterListView()->table();
    const auto fits = [clusters] {
        return clusters->allColumnsFit() && clusters->horizontalScrollBar()->maximum() == 0;
    };
    EXPECT_TRUE(test::waitUntil(fits, 5000))
        << "the cluster list needs " << clusters->contentsWidth() << " px and has "
        << clusters->width();
    window.clusterListView()->grab().save(artifact(QStringLiteral("unit-clusterlist-by-url.png")));
    window.grab().save(artifact(QStringLiteral("unit-clusterlist-by-url-window.png")));
}

TEST(ClusterListView, NamedProfilesKeepTheirNameAndShowADifferentScope)
{
    models::ClusterListModel model;
    model.addCluster(QStringLiteral("prod-eu"), QStringLiteral("http://10.1.0.5:8008"));
    model.setSnapshot(openedByUrl(QStringLiteral("prod-eu"), QStringLiteral("hokm-cluster")));
    EXPECT_EQ(model.index(model.rowOf(QStringLiteral("prod-eu")), 0).data().toString(),
              QStringLiteral("prod-eu (hokm-cluster)"));
    // Before the first snapshot a URL-named profile shows its address: the scope is not known.
    model.addCluster(QStringLiteral("127.0.0.1:8008"), QStringLiteral("http://127.0.0.1:8008"));
    EXPECT_EQ(model.index(model.rowOf(QStringLiteral("127.0.0.1:8008")), 0).data().toString(),
              QStringLiteral("127.0.0.1:8008"));
    // Same scope as the name: said once.
    model.addCluster(QStringLiteral("hokm-ha"), QStringLiteral("http://127.0.0.1:8009"));
    model.setSnapshot(openedByUrl(QStringLiteral("hokm-ha"), QStringLiteral("hokm-ha")));
    EXPECT_EQ(model.index(model.rowOf(QStringLiteral("hokm-ha")), 0).data().toString(),
              QStringLiteral("hokm-ha"));
}
