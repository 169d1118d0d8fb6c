#pragma once

#include "models/health.h"
#include "services/monitor/clustersnapshot.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace vigil::models {

// One alert line of a wall tile: the finding, shortened by the painter to the tile's width, and
// how long it has been raised ("2 min").
struct WallAlert
{
    Health severity = Health::Warning;
    QString text; // "node2: Replica node2 is 34 s behind the leader."
    QString age;  // "2 min"
};

// What one tile of the wall says, every line a translated sentence or figure; computed from the
// last snapshot and the current time only (no widget), so each state is unit-tested.
struct WallTileSummary
{
    QString name;
    Health health = Health::Unknown;
    bool connecting = true;   // no snapshot yet
    bool unreachable = false; // every endpoint dead: the tile stays, red, saying since when
    QString headline;         // "Leader node1", "No leader", "Unreachable since 12:00:03 (4 min)"
    QString change;           // "Failed over from node1 at 12:03:05 (2 min)", else empty
    int membersUp = 0;
    int membersTotal = 0;
    QString members;                   // "3/3 members up"
    QString lag;                       // "Lag 16 MiB · 34 s", "Lag —" without replicas
    std::optional<int> connectionsPct; // the fullest member's client connections
    QString connections;               // "Connections 34 %"
    QString freshness;                 // "No data since 12:00:03" when the monitor is overdue
    QList<WallAlert> alerts;           // newest first, at most kMaxAlerts
};

// The state a wall tile keeps between snapshots of its cluster: the last snapshot, when each
// alert was first raised (for its age), and since when the cluster has been unreachable.
// Not a QObject: the wall feeds it next to the cluster's ClusterWatch.
class WallTileState
{
public:
    static constexpr int kMaxAlerts = 3;

    explicit WallTileState(const QString &profileName, int intervalMs = 1000);

    void ingest(const services::ClusterSnapshotPtr &snapshot);
    services::ClusterSnapshotPtr lastSnapshot() const { return m_last; }
    WallTileSummary summary(const QDateTime &now) const;

private:
    void summarizeMembers(WallTileSummary &out, const QDateTime &now) const;
    void summarizeAlerts(WallTileSummary &out, const QDateTime &now) const;

    QString m_name;
    int m_intervalMs;
    services::ClusterSnapshotPtr m_last;
    QHash<QString, QDateTime> m_raisedAt; // finding key (code/member) → first snapshot with it
    QDateTime m_unreachableSince;         // first snapshot of the current all-dead spell
};

// Every endpoint of the cluster is dead: the DCS view and every member's REST and SQL.
bool allEndpointsDead(const services::ClusterSnapshot &snapshot);

} // namespace vigil::models
