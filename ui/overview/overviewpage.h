#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QWidget>

class QSplitter;

namespace vigil::models {
class MembersModel;
class TopologyModel;
} // namespace vigil::models

namespace vigil::ui {

class BannerStrip;
class TableView;
class TopologyWidget;

// The first screen: cluster-wide banners (paused, scheduled switchover, no leader), the topology
// picture, and the members table (patronictl list -e plus reachability) under it.
class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(models::MembersModel *members, QWidget *parent = nullptr);

    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    void setTopologyModel(models::TopologyModel *model);
    void setReadOnlyNotice(const QString &text);

    TopologyWidget *topology() const { return m_topology; }
    TableView *membersTable() const { return m_table; }
    BannerStrip *banners() const { return m_banners; }
    QSplitter *splitter() const { return m_splitter; }

protected:
    void changeEvent(QEvent *event) override;

private:
    // The members table keeps room for every member (three to five rows; more scroll) under the
    // topology in any font: in war-room fonts the 3:1 split had left one row and a half.
    void fitTableToMembers();

    BannerStrip *m_banners;
    TopologyWidget *m_topology;
    TableView *m_table;
    QSplitter *m_splitter;
};

} // namespace vigil::ui
