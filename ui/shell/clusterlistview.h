#pragma once

#include <QWidget>

namespace vigil::models {
class ClusterListModel;
}

namespace vigil::ui {

class TableView;

// The clusters watched side by side (health colour, leader, worst lag, alerts, last refresh),
// with buttons to add a cluster and to stop watching one. Choosing a row shows that cluster.
class ClusterListView : public QWidget
{
    Q_OBJECT
public:
    explicit ClusterListView(models::ClusterListModel *model, QWidget *parent = nullptr);

    void setCurrentCluster(const QString &name);
    QString currentCluster() const;
    TableView *table() const { return m_table; }

Q_SIGNALS:
    void currentClusterChanged(const QString &name);
    void addRequested();
    void editRequested(const QString &name);
    void removeRequested(const QString &name);

private:
    models::ClusterListModel *m_model;
    TableView *m_table;
};

} // namespace vigil::ui
