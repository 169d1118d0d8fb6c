#pragma once

#include "capacitymodel.h"
#include "chartbackfill.h"
#include "charthistory.h"
#include "services/monitor/alertengine.h"
#include "services/monitor/clustersnapshot.h"
#include "topologymodel.h"

#include <QObject>
#include <QPointer>

namespace vigil::models {

// What Vigil remembers about one watched cluster between snapshots, whether or not it is the one
// on screen: the last snapshot, the chart history and the topology (with its event log and
// ghosts), and its alert engine (raised/acknowledged/cleared alerts, which must advance for every
// watched cluster, shown or not). The overview's table models are shared and fed with the shown
// cluster only.
class ClusterWatch : public QObject
{
    Q_OBJECT
public:
    explicit ClusterWatch(const QString &profileName, int intervalMs = 1000,
                          QObject *parent = nullptr);

    QString profileName() const { return m_profileName; }
    int intervalMs() const { return m_intervalMs; }
    void ingest(const services::ClusterSnapshotPtr &snapshot);

    services::ClusterSnapshotPtr lastSnapshot() const { return m_last; }
    ChartHistory *history() { return &m_history; }
    TopologyModel *topology() { return &m_topology; }
    services::AlertEngine *alerts() { return &m_alerts; }
    // The charts' history from Prometheus; null when the profile names none. Replaces (and
    // deletes) the previous one, e.g. after Edit cluster.
    ChartBackfill *backfill() const { return m_backfill; }
    void setBackfill(ChartBackfill *backfill);
    // The capacity view's trends from the same Prometheus; null when the profile names none.
    // Replaces (and deletes) the previous one.
    CapacityModel *capacity() const { return m_capacity; }
    void setCapacity(CapacityModel *capacity);

private:
    QString m_profileName;
    int m_intervalMs;
    services::ClusterSnapshotPtr m_last;
    ChartHistory m_history;
    TopologyModel m_topology;
    services::AlertEngine m_alerts;
    QPointer<ChartBackfill> m_backfill;
    QPointer<CapacityModel> m_capacity;
};

} // namespace vigil::models
