#pragma once

#include "services/core/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>
#include <QVariantMap>
#include <optional>

// Typed views of Patroni's REST answers, and their parsers. Parsers take the raw body and never
// crash: malformed or truncated input gives a Parse error that says what was wrong.
//
// Version notes: Patroni 3.0.2 says "master" in /patroni (newer: "primary") and a healthy replica
// is "running" in 3.0.2 but "streaming" in newer releases; both are accepted everywhere and
// normalized to the enums below.
namespace vigil::services {

enum class PatroniRole
{
    Unknown,
    Leader,        // /cluster "leader", /patroni "master" or "primary"
    StandbyLeader, // "standby_leader"
    SyncStandby,   // /cluster "sync_standby"
    Replica,       // "replica"
};
QString roleName(PatroniRole role);             // "Leader", "Sync Standby", ... (as patronictl)
PatroniRole parsePatroniRole(const QString &s); // accepts every spelling above

// A member state as Patroni reports it ("running", "streaming", "stopped", "starting",
// "crashed", "start failed", "restarting", "stopping", "creating replica", "initializing new
// cluster", "running custom bootstrap script", "in archive recovery", ...), kept verbatim;
// `isHealthyReplicaState` accepts "running" (3.0.2) and "streaming" (newer).
bool isRunningState(const QString &state);
bool isHealthyReplicaState(const QString &state);

struct PatroniScheduledSwitchover
{
    QDateTime at;
    QString from;
    QString to; // empty: let Patroni choose
};

// One entry of GET /cluster's "members".
struct PatroniMember
{
    QString name;
    PatroniRole role = PatroniRole::Unknown;
    QString state;
    QString host;
    int port = 0;
    QUrl apiUrl; // as given ("http://127.0.0.1:8008/patroni"); base is apiUrl without the path
    std::optional<int> timeline;
    std::optional<qint64> lagBytes; // absent on the leader, or "unknown"
    bool pendingRestart = false;
    QVariantMap tags; // nofailover, noloadbalance, clonefrom, nosync, replicatefrom, ...
    std::optional<QDateTime> scheduledRestart;

    QUrl apiBaseUrl() const; // scheme://host:port
    bool noFailover() const;
    bool noLoadBalance() const;
};

// GET /cluster
struct PatroniCluster
{
    QList<PatroniMember> members;
    bool paused = false;
    std::optional<PatroniScheduledSwitchover> scheduledSwitchover;

    const PatroniMember *leader() const; // first member with Leader/StandbyLeader role
};

struct PatroniReplicationEntry // /patroni "replication" (on the leader)
{
    QString usename;
    QString applicationName;
    QString clientAddr;
    QString state;     // "streaming"
    QString syncState; // "async", "sync", "potential", "quorum"
    int syncPriority = 0;
};

// GET /patroni (the member's own view of itself)
struct PatroniNodeStatus
{
    QString state;
    PatroniRole role = PatroniRole::Unknown;
    int serverVersion = 0;
    std::optional<int> timeline;
    std::optional<QDateTime> postmasterStartTime;
    // xlog: on a primary "location"; on a replica received/replayed location and timestamp
    std::optional<qint64> walLocation;
    std::optional<qint64> receivedLocation;
    std::optional<qint64> replayedLocation;
    std::optional<QDateTime> replayedTimestamp;
    bool replayPaused = false;
    QList<PatroniReplicationEntry> replication;
    bool pendingRestart = false;
    QString pendingRestartReason; // newer Patroni only; empty in 3.0.2
    bool paused = false;
    QVariantMap tags;
    QString patroniVersion;
    QString scope;
    QString systemIdentifier;
    std::optional<QDateTime> dcsLastSeen;
    bool clusterUnlocked = false;
    std::optional<QDateTime> scheduledRestart;
};

// GET /history: one timeline switch
struct PatroniHistoryEntry
{
    int timeline = 0;
    qint64 lsn = 0;
    QString reason;
    std::optional<QDateTime> at;
    QString newLeader; // may be empty
};

// GET /config: the dynamic configuration; `raw` is the full object (for the config editor).
struct PatroniConfig
{
    QJsonObject raw;
    std::optional<int> ttl;
    std::optional<int> loopWait;
    std::optional<int> retryTimeout;
    std::optional<qint64> maximumLagOnFailover;
    bool synchronousMode = false;
    bool synchronousModeStrict = false;
    bool paused = false;
    QVariantMap postgresqlParameters;
};

// Parse errors: Kind::Parse, `what` the endpoint ("GET /cluster"), `message` what was wrong:
// not JSON (with the byte offset), or a field with the wrong type, named by its JSON path
// ("members[2].timeline should be a whole number, but it is a text ("abc")."). Absent fields
// and null keep their defaults; the values Patroni really sends for "nothing known" are
// accepted (`"lag": "unknown"`, `"timeline": null`, `"replayed_timestamp": null`); any other
// type mismatch is an error rather than a silently wrong value. Unknown fields are ignored.
// Required: /cluster "members" (a list) and each member's "name"; /patroni "state"; /history
// entries with at least [timeline, lsn, reason].
Result<PatroniCluster> parsePatroniCluster(const QByteArray &body);
Result<PatroniNodeStatus> parsePatroniNodeStatus(const QByteArray &body);
Result<QList<PatroniHistoryEntry>> parsePatroniHistory(const QByteArray &body);
Result<PatroniConfig> parsePatroniConfig(const QByteArray &body);

// Patroni's timestamps: ISO-8601 with 'T' or a space, optional fraction (any number of digits;
// kept to the millisecond), optional offset ("Z", "+00:00", "+0000", "+02"); no offset means
// UTC. Returned in UTC; nullopt when the text is not such a timestamp.
std::optional<QDateTime> parsePatroniTimestamp(const QString &text);

} // namespace vigil::services
