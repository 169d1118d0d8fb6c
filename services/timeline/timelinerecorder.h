#pragma once

#include "services/core/auditlog.h"
#include "services/monitor/alerttypes.h"
#include "services/monitor/clustersnapshot.h"
#include "services/patroni/patronitypes.h"
#include "services/timeline/timelineevent.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>

namespace vigil::services {

class TimelineStore;

// Writes ONE cluster's incident timeline. Fed by:
// - its snapshots (ingest): the leader (a change, or the loss of the leader key), each member's
//   state (Patroni's state; "unreachable"/"unresponsive" when neither REST nor SQL answered;
//   "gone" when it left the DCS view; a new state counts once seen in kStateConfirmSnapshots
//   consecutive snapshots, with the time of the first, so one slow probe on a loaded host adds
//   nothing), and the leader's timeline number;
// - the alert engine's events (ingestAlert: connect AlertEngine::alertEvent);
// - the audit log (importAudit): entries of this cluster (profile or scope name) newer than the
//   newest operator action already in the timeline;
// - Patroni's GET /history (mergeHistory): a timeline switch whose leader change was observed
//   within kHistoryMatchSeconds (same new leader, or Patroni named none) adds nothing; others are
//   added once (key "history/<timeline>").
// The first snapshot only sets the baseline. Every new event is appended to the store (when
// given; without one the recorder keeps them in memory only, as `vigil timeline` does) and
// emitted as eventRecorded. Events hold the snapshot's time, so the recorder is pure: unit
// tested on recorded snapshots. Lives on one thread (the UI thread in the GUI).
class TimelineRecorder : public QObject
{
    Q_OBJECT
public:
    static constexpr int kStateConfirmSnapshots = 2;
    static constexpr int kHistoryMatchSeconds = 120;

    // Not owned; may be null. The store's events are read once, as the memory of what is
    // recorded already (deduplication).
    explicit TimelineRecorder(QString cluster, const TimelineStore *store = nullptr,
                              QObject *parent = nullptr);

    QString cluster() const { return m_cluster; }
    // What is known, oldest first: the store's events and the new ones, the newest
    // kTimelineEventsInMemory of them unless setMemoryLimit says otherwise.
    const QList<TimelineEvent> &events() const { return m_events; }
    // At most this many events in memory, the newest (trimTimeline); 0 keeps every one, for a
    // short-lived reader such as `vigil timeline`. What is deduplicated stays deduplicated.
    void setMemoryLimit(qsizetype events) { m_memoryLimit = events; }
    // Seeds the memory without writing (the store's content, read by the caller).
    void setKnownEvents(QList<TimelineEvent> events);

    // The Patroni scope: audit entries name it (the CLI's operations) as well as the profile
    // name (the GUI's). Snapshots set it; `vigil timeline` sets it from /patroni.
    void setScope(const QString &scope);
    QString scope() const { return m_scope; }
    void ingest(const ClusterSnapshot &snapshot);
    void ingestAlert(const AlertEvent &event);
    void importAudit(const QList<AuditEntry> &entries);
    // Reads the audit log again only when the file or the scope changed since the last call.
    void importAuditFile(const AuditLog &log);
    void mergeHistory(const QList<PatroniHistoryEntry> &history);

Q_SIGNALS:
    void eventRecorded(const vigil::services::TimelineEvent &event);
    void writeFailed(const QString &message);
    // The timeline moved or the leader changed: Patroni's /history has something new.
    void historyWanted();

private:
    struct MemberTrack
    {
        QString state;   // the confirmed state
        QString pending; // a new state not yet confirmed
        QDateTime pendingSince;
        int pendingCount = 0;
    };
    void record(TimelineEvent event);
    void ingestLeader(const ClusterSnapshot &s, const QDateTime &at);
    void ingestMembers(const ClusterSnapshot &s, const QDateTime &at);
    void stepMember(const QString &name, const QString &state, const QDateTime &at);
    bool observedLeaderChangeNear(const QDateTime &at, const QString &leader) const;
    static QString memberState(const MemberSnapshot &m);

    QString m_cluster;
    QString m_scope;
    const TimelineStore *m_store;
    QList<TimelineEvent> m_events;
    qsizetype m_memoryLimit = kTimelineEventsInMemory;
    bool m_baseline = false;
    QString m_leader;     // the current leader ("" while none)
    QString m_lastLeader; // the last one seen
    std::optional<int> m_timeline;
    QHash<QString, MemberTrack> m_members;
    QSet<QString> m_auditSeen; // time + action + member of every operator action recorded
    QSet<QString> m_historyKeys;
    QDateTime m_auditFileStamp;
    qint64 m_auditFileSize = -1;
    QString m_auditFileScope; // m_scope when the audit file was last read
};

} // namespace vigil::services
