#pragma once

#include "models/wallgrid.h"
#include "models/walltilestate.h"
#include "services/monitor/clustersnapshot.h"

#include <QDateTime>
#include <QWidget>
#include <functional>
#include <memory>
#include <vector>

class QLabel;
class QStackedLayout;
class QTimer;

namespace vigil::models {
class ClusterWatch;
}

namespace vigil::ui {

class WallTile;
class WallZoomView;

// The war room's wall: one tile per watched cluster (1 to 30 and more), laid out by
// models::wallGrid for the widget's size, and a zoomed view of one cluster (its topology and
// charts). A click, Enter or Space on a tile zooms, the arrow keys move between tiles, Esc
// returns to the grid. The wall offers no action on a cluster: it has no menu, no shortcut, no
// context menu and opens no dialog; what it shows comes from showSnapshot().
//
// A cluster stays on the wall for the life of the wall, unreachable or not. Every second the
// tiles are recomputed (their alerts' ages and "unreachable since" move on); a snapshot updates
// its tile at once.
class WallView : public QWidget
{
    Q_OBJECT
public:
    explicit WallView(QWidget *parent = nullptr);
    ~WallView() override;

    void addCluster(const QString &profileName, int intervalMs = 1000);
    bool contains(const QString &profileName) const { return find(profileName) != nullptr; }
    QStringList clusters() const;
    // Routed by the snapshot's profile name; unknown clusters are ignored.
    void showSnapshot(const services::ClusterSnapshotPtr &snapshot);
    // A line above the grid (e.g. a profile that does not exist); empty hides it.
    void showProblem(const QString &text);

    WallTile *tile(const QString &profileName) const;
    models::ClusterWatch *watch(const QString &profileName) const;
    models::WallGrid grid() const { return m_grid; }

    void zoomTo(const QString &profileName);
    void showGrid();
    QString zoomedCluster() const; // empty on the grid
    WallZoomView *zoomView() const { return m_zoom; }

    // The clock of the tiles' ages (tests and screenshots use a fixed one).
    void setClock(std::function<QDateTime()> clock);
    void refreshTiles();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Cluster;
    Cluster *find(const QString &profileName) const;
    void layoutTiles();
    void moveFocus(WallTile *from, int dx, int dy);

    std::vector<std::unique_ptr<Cluster>> m_clusters; // in the order added
    QStackedLayout *m_pages = nullptr;
    QWidget *m_gridPage = nullptr;
    QLabel *m_problem = nullptr;
    WallZoomView *m_zoom = nullptr;
    QTimer *m_tick = nullptr;
    std::function<QDateTime()> m_clock;
    models::WallGrid m_grid;
};

} // namespace vigil::ui
