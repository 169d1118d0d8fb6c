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

void ClusterWatch::setCapacity(CapacityModel *capacity)
{
    if (capacity == m_capacity)
        return;
    delete m_capacity.data();
    m_capacity = capacity;
    if (capacity)
        capacity->setParent(this);
}

void ClusterWatch::ingest(const services::ClusterSnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_last = snapshot;
    m_history.ingest(*snapshot);
    m_topology.setSnapshot(snapshot);
    m_alerts.ingest(*snapshot);
    // The capacity view's data volume: the one holding the leader's data directory (from SQL).
    const services::MemberSnapshot *leader = snapshot->leader();
    if (m_capacity && leader && !leader->dataDirectory.isEmpty())
        m_capacity->setDataDirectory(leader->dataDirectory);
}

} // namespace vigil::models
