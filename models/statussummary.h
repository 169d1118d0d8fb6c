#pragma once

#include "health.h"
#include "services/monitor/clustersnapshot.h"

#include <QDateTime>
#include <QStringList>

// What the status bar and the banners say about the freshness and the special states of a
// cluster. Pure functions of a snapshot and the current time, so they are tested without a UI.
namespace vigil::models {

struct Freshness
{
    QString text;             // "Refreshed 12:00:03 (2 s ago)" / "No data yet" / "... overdue"
    bool overdue = false;     // no snapshot within 3 intervals (the monitor itself is stuck/slow)
    QStringList staleMembers; // "node3 (REST: No answer: timed out)", members whose data is old
    Health health = Health::Unknown;
};

// `intervalMs` is the profile's polling interval.
Freshness freshness(const services::ClusterSnapshot *snapshot, const QDateTime &now,
                    int intervalMs);

struct Banner
{
    Health severity = Health::Warning;
    QString text;
};

// Cluster-wide states a DBA must not miss: maintenance mode (paused), a scheduled switchover,
// no leader, the DCS view unreachable.
QList<Banner> clusterBanners(const services::ClusterSnapshot &snapshot);

} // namespace vigil::models
