#pragma once

#include "services/core/formatting.h"
#include "services/monitor/clustersnapshot.h"
#include "services/patroni/patronitypes.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <optional>

// Pre-flight checks of the guided operations (switchover, failover). Pure functions: no network
// and no clock (the snapshot's takenAt is "now"), so every verdict is unit-tested on snapshots
// built from recorded JSON. The wizards and `vigil switchover` call the same functions.
namespace vigil::services {

struct PreflightCheck
{
    enum class Verdict
    {
        Green,
        Amber,
        Red
    };
    QString id;    // stable machine name: "members_reachable", "candidate_lag", ...
    QString title; // short, translated ("Candidate lag")
    Verdict verdict = Verdict::Green;
    QString sentence; // a full translated sentence explaining the verdict
};
QString verdictName(PreflightCheck::Verdict verdict); // "green", "amber", "red"

// What the leader is doing that a switchover will cut
// (resources/sql/switchover_leader_activity.sql).
struct LeaderActivity
{
    qint64 longTransactions = 0; // open longer than longTransactionSeconds
    qint64 oldestTransactionSeconds = 0;
    qint64 preparedTransactions = 0;
    qint64 clientSessions = 0;
};

// Everything the checks judge. Only `snapshot` is required; an absent part gives an amber
// "could not check" verdict, never a silent green.
struct PreflightInput
{
    ClusterSnapshotPtr snapshot;
    std::optional<PatroniConfig> config; // GET /config (falls back to snapshot->dynamicConfig)
    bool pgbouncerConfigured = false;    // the profile names a PgBouncer console
    std::optional<QMap<QString, QString>> pgbouncerConfig; // SHOW CONFIG: key -> value
    std::optional<LeaderActivity> leaderSessions;          // absent: the SQL check failed
    QString leaderSessionsError;                           // why it is absent
    qint64 longTransactionSeconds = 60;
};

// What the user chose on the first page (or on the command line).
struct SwitchoverChoice
{
    QString candidate;     // empty: let Patroni choose
    QDateTime scheduledAt; // invalid: now
    bool pauseClients = false;
};

// The checks of a planned switchover, in the order the wizard shows them:
// leader, members_reachable, paused, scheduled_switchover, candidate_state, candidate_lag,
// candidate_tags, candidate_pending_restart, synchronous_mode, leader_transactions, pgbouncer,
// haproxy_routing.
QList<PreflightCheck> switchoverPreflight(const PreflightInput &input,
                                          const SwitchoverChoice &choice);

// A failover candidate ranked by its last known WAL position.
struct FailoverCandidate
{
    QString name;
    QString state;
    std::optional<qint64> lsn;       // received (or replayed) position, last known
    std::optional<qint64> lossBytes; // how much WAL the old leader may have had beyond it
    bool eligible = false;           // running, reachable, no nofailover tag
    QString reason;                  // why not eligible (a sentence), empty when eligible
};

struct FailoverAssessment
{
    bool leaderHealthy = false;
    QString why; // why there is no healthy leader (a sentence)
    std::optional<qint64> lastKnownLeaderLsn;
    QList<FailoverCandidate> candidates; // best first: eligible, then highest LSN
};

FailoverAssessment assessFailover(const ClusterSnapshot &snapshot);
// Checks of an emergency failover to `candidate`: leader (amber when a healthy leader exists:
// use a switchover), candidate eligible, data loss risk, members_reachable, paused.
QList<PreflightCheck> failoverPreflight(const ClusterSnapshot &snapshot, const QString &candidate);

// The worst verdict (Green for an empty list).
PreflightCheck::Verdict worstVerdict(const QList<PreflightCheck> &checks);

// Plain-text and markdown renderings (CLI and the report).
QString preflightText(const QList<PreflightCheck> &checks);
QString preflightMarkdown(const QList<PreflightCheck> &checks);

} // namespace vigil::services
