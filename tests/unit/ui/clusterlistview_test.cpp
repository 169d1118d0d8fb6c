// Issue 13: a cluster opened by its Patroni URL (`vigil-gui --patroni http://127.0.0.1:8008`)
// gets a profile named after the URL's authority; the cluster list names it by Patroni's scope
// and fits its dock without scrolling sideways. Screenshots: unit-clusterlist-by-url.png (the
// dock) and unit-clusterlist-by-url-window.png (the whole window).
#include "models/clusterlistmodel.h"
#include "models/health.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"
#include "ui/shell/clusterlistview.h"
#include "ui/shell/mainwindow.h"
#include "ui/widgets/tableview.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QScrollBar>
#include <QSortFilterProxyModel>
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

namespace {
services::Alert activeAlert(const QString &cluster, services::Finding::Code code,
                            const QString &member, services::Finding::Severity severity,
                            const QString &acknowledgedBy = {})
{
    services::Alert a;
    a.cluster = cluster;
    a.code = code;
    a.member = member;
    a.severity = a.peakSeverity = severity;
    a.since = a.lastSeen = QDateTime::currentDateTimeUtc();
    a.acknowledgedBy = acknowledgedBy;
    return a;
}
} // namespace

// Issue 15 §2: the cluster list's Alerts column shows the engine's active alerts per cluster,
// painted part by part (critical count red, warnings amber, acknowledged grey) and still fitting
// the dock. Screenshots: unit-clusterlist-alerts.png (the dock),
// unit-clusterlist-alerts-window.png.
TEST(ClusterListView, AlertCountsArePaintedInTheirColoursAndFit)
{
    using Code = services::Finding::Code;
    using Sev = services::Finding::Severity;
    const QString url = QStringLiteral("http://127.0.0.1:8008");
    ui::MainWindow window(ui::MainWindow::Options{url, QString(), false});
    const QStringList names{QStringLiteral("hokm-ha"), QStringLiteral("billing"),
                            QStringLiteral("reporting")};
    for (const QString &name : names)
        window.addCluster(name, url);
    window.resize(1440, 900);
    window.show();
    for (const QString &name : names)
        window.showSnapshot(openedByUrl(name, name));
    models::ClusterListModel *model = window.clusterListModel();
    model->setAlerts(
        names.at(0),
        {activeAlert(names.at(0), Code::ReplicationLag, QStringLiteral("node2"), Sev::Critical),
         activeAlert(names.at(0), Code::ReplicaDown, QStringLiteral("node3"), Sev::Warning),
         activeAlert(names.at(0), Code::ConnectionsHigh, QStringLiteral("node1"), Sev::Warning)});
    model->setAlerts(
        names.at(1),
        {activeAlert(names.at(1), Code::ReplicaDown, QStringLiteral("db3"), Sev::Warning),
         activeAlert(names.at(1), Code::ReplicationLag, QStringLiteral("db2"), Sev::Critical,
                     QStringLiteral("dba"))});
    QApplication::processEvents();
    const auto alerts = [&](int i) {
        return model->index(model->rowOf(names.at(i)), models::ClusterListModel::Alerts)
            .data()
            .toString();
    };
    EXPECT_EQ(alerts(0), QStringLiteral("1 crit · 2 warn"));
    EXPECT_EQ(alerts(1), QStringLiteral("1 warn · 1 ack"));
    EXPECT_EQ(alerts(2), QStringLiteral("0"));

    ui::TableView *clusters = window.clusterListView()->table();
    EXPECT_TRUE(clusters->itemDelegateForColumn(models::ClusterListModel::Alerts))
        << "the Alerts column paints its parts in their colours";
    const auto fits = [clusters] {
        return clusters->allColumnsFit() && clusters->horizontalScrollBar()->maximum() == 0;
    };
    EXPECT_TRUE(test::waitUntil(fits, 5000))
        << "the cluster list needs " << clusters->contentsWidth() << " px and has "
        << clusters->width();
    // Painted: the critical count's red is in the Alerts cell of hokm-ha's row (not selected:
    // a selected row paints its parts in the highlighted-text colour).
    window.clusterListView()->setCurrentCluster(names.at(2));
    QApplication::processEvents();
    const QModelIndex cell = clusters->proxy()->mapFromSource(
        model->index(model->rowOf(names.at(0)), models::ClusterListModel::Alerts));
    const QRect rect = clusters->visualRect(cell);
    const QImage image = clusters->viewport()->grab(rect).toImage();
    const QColor red = models::healthColor(models::Health::Critical);
    bool sawRed = false;
    for (int y = 0; y < image.height() && !sawRed; ++y)
        for (int x = 0; x < image.width() && !sawRed; ++x)
            sawRed = image.pixelColor(x, y) == red;
    EXPECT_TRUE(sawRed) << "no pixel of the critical colour in the Alerts cell";
    window.clusterListView()->grab().save(artifact(QStringLiteral("unit-clusterlist-alerts.png")));
    window.grab().save(artifact(QStringLiteral("unit-clusterlist-alerts-window.png")));
}
