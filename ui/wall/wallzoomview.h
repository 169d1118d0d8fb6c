#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;

namespace vigil::models {
class ClusterWatch;
}

namespace vigil::ui {

class ChartsPanel;
class TopologyWidget;

// The wall zoomed on one cluster: its topology and its charts, large, still read-only (the
// charts keep their window and pause buttons; their Export button, which opens a file dialog,
// is removed). Esc is the wall's (WallView) to handle.
class WallZoomView : public QWidget
{
    Q_OBJECT
public:
    explicit WallZoomView(QWidget *parent = nullptr);

    void showCluster(models::ClusterWatch *watch, const QString &title); // watch not owned
    QString cluster() const { return m_cluster; }
    TopologyWidget *topology() const { return m_topology; }
    ChartsPanel *charts() const { return m_charts; }

private:
    QLabel *m_title = nullptr;
    TopologyWidget *m_topology = nullptr;
    ChartsPanel *m_charts = nullptr;
    QString m_cluster;
};

} // namespace vigil::ui
