#include "models/clusterwatch.h"

namespace vigil::models {

ClusterWatch::ClusterWatch(const QString &profileName, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_profileName(profileName)
    , m_intervalMs(intervalMs)
    // A day of samples at this cluster's polling interval.
    , m_history(qBound(600, 86400 * 1000 / qMax(250, intervalMs) + 600,
                       ChartHistory::kDefaultCapacity * 4))
    , m_alerts(profileName)
{
}

void ClusterWatch::setBackfill(ChartBackfill *backfill)
{
    if (backfill == m_backfill)
        return;
    delete m_backfill.data();
    m_backfill = backfill;
    if (backfill)
        backfill->setParent(this);
}

void ClusterWatch::ingest(const services::ClusterSnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_last = snapshot;
    m_history.ingest(*snapshot);
    m_topology.setSnapshot(snapshot);
    m_alerts.ingest(*snapshot);
}

} // namespace vigil::models
