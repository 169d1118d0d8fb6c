#pragma once

#include "health.h"
#include "services/monitor/clustersnapshot.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QStringList>

namespace vigil::models {

// One box in the topology picture.
struct TopologyNode
{
    QString name;
    services::PatroniRole role = services::PatroniRole::Unknown;
    QString roleText;
    QString state;
    std::optional<int> timeline;
    std::optional<qint64> lagBytes;
    std::optional<double> lagSeconds;
    QString syncState; // of the link from its upstream: async, sync, potential, quorum
    QString upstream;  // who sends it WAL (empty for the leader or when not streaming)
    bool streaming = false;
    bool replicationVisible = true; // false: no SQL answer shows who streams to it
    bool pendingRestart = false;
    QStringList flags; // "nofailover", "noloadbalance", "nosync", "clonefrom", "paused restart"…
    Health health = Health::Unknown;
    bool restOk = false, sqlOk = false;
    QString problem;              // one line: why the node is not healthy, empty when it is
    bool routedByHaproxy = false; // HAProxy's read-write backend sends traffic here
    bool gone = false;            // no longer in the DCS view: kept for a while as a ghost
    bool formerLeader = false;    // was the leader before the last leader change
    QDateTime lastSeen;
    int depth = 0; // 0 leader, 1 its replicas, 2 cascades from those, ...

    bool isLeader() const
    {
        return role == services::PatroniRole::Leader ||
               role == services::PatroniRole::StandbyLeader;
    }
    bool operator==(const TopologyNode &o) const;
};

// One route out of a proxy box, as the picture draws it: PgBouncer's databases grouped by where
// they go, or an HAProxy port a probe went through to the member it reached.
struct TopologyRoute
{
    QString target; // a member's name, or "@haproxy"
    QString label;  // "read-write → node1 · postgres, *": what it reaches, then who goes there
    Health health = Health::Unknown; // Critical: writes land on a replica; Unknown: not proven
    bool proven = false;             // a probe through it answered
    bool operator==(const TopologyRoute &o) const;
};

struct TopologyProxy
{
    bool configured = false;
    Health health = Health::Unknown;
    QString title;  // "HAProxy", "PgBouncer"
    QString status; // "rw → node1", "3 pools, 0 waiting"
    QString problem;
    QStringList
        routesTo;       // member names; PgBouncer also "@haproxy" (to an address that is no member)
    QString routeLabel; // PgBouncer: the address(es) it sends clients to
    // Where clients land, proven by ClientRouteProber's probes; each is drawn as its own edge
    // (PgBouncer: an edge each, instead of routesTo; HAProxy: a line each in its box).
    QList<TopologyRoute> routes;
    bool operator==(const TopologyProxy &o) const;
};

// Something the watcher should notice: a leader change, a member lost, a timeline bump.
struct TopologyEvent
{
    QDateTime at;
    Health severity = Health::Warning;
    QString text;
};

struct TopologyScene
{
    QString scope;
    QDateTime takenAt;
    bool reachable = false; // the DCS view (GET /cluster) answered
    QString discoveryProblem;
    bool paused = false;
    QString scheduledSwitchover; // a sentence, empty when none
    QString leader;
    QList<TopologyNode> nodes; // leader first, then by depth and name; ghosts last
    TopologyProxy haproxy, pgbouncer;
};

// The data behind the topology picture of one cluster, and the memory of what changed: a member
// that disappears from the DCS view stays as a "gone" ghost for ghostSeconds, the former leader
// is marked after a leader change, and each leader change, loss of leader, timeline bump and
// member crash becomes an event (most recent first, at most 50).
//
// No Widgets; the TopologyWidget paints scene(). changed() is emitted once per snapshot after the
// scene was rebuilt; the widget repaints in place.
class TopologyModel : public QObject
{
    Q_OBJECT
public:
    explicit TopologyModel(QObject *parent = nullptr);

    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    void clear();

    const TopologyScene &scene() const { return m_scene; }
    const QList<TopologyEvent> &events() const { return m_events; }
    void setGhostSeconds(int seconds) { m_ghostSeconds = seconds; }

Q_SIGNALS:
    void changed();
    void eventAdded(const vigil::models::TopologyEvent &event);

private:
    void addEvent(const QDateTime &at, Health severity, const QString &text);
    void addFirstEvent(const QDateTime &now, const QString &scope,
                       const services::ClusterSnapshot &s);
    void addLeaderEvents(const QDateTime &now, const services::MemberSnapshot *leader,
                         const std::optional<int> &timeline);
    void addMemberEvents(const QDateTime &now, const QHash<QString, TopologyNode> &seen);
    QList<TopologyNode> ghostsAt(const QDateTime &now,
                                 const QHash<QString, TopologyNode> &seen) const;
    static QList<TopologyNode> sortedNodes(const QHash<QString, TopologyNode> &seen);

    TopologyScene m_scene;
    QList<TopologyEvent> m_events;
    QHash<QString, TopologyNode> m_lastSeen; // every member seen recently, by name
    QString m_previousLeader;
    QString m_formerLeader;
    std::optional<int> m_previousTimeline;
    int m_ghostSeconds = 600;
    bool m_hadSnapshot = false;
};

} // namespace vigil::models
