#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace vigil::services {

// One entry of a cluster's incident timeline (TimelineStore keeps them, one JSON line each).
// Value type: the recorder makes them, the models show and export them.
struct TimelineEvent
{
    enum class Kind
    {
        LeaderObserved,    // the monitor saw the leader change (or the cluster lose its leader)
        LeaderFromHistory, // a leader change known only from Patroni's GET /history
        MemberState,       // a member's state changed (running, streaming, unreachable, gone...)
        TimelineBump,      // the leader's timeline number went up
        AlertRaised,       // raised, or escalated
        AlertChanged,      // de-escalated
        AlertAcknowledged,
        AlertCleared,
        OperatorAction // an entry of the audit log
    };
    QDateTime at; // UTC
    QString cluster;
    Kind kind = Kind::MemberState;
    QString member; // the member concerned (the new leader for leader changes); may be empty
    QString from;   // the state, leader or severity before (may be empty)
    QString to;     // ... and after
    std::optional<int> timeline;
    QString text;              // a full translated sentence
    QString who;               // OS user: operator actions, acknowledgements
    QString key;               // alert key, audit action name, "history/<timeline>"
    qint64 lastedSeconds = -1; // AlertCleared: how long the alert was active

    bool operator==(const TimelineEvent &o) const;
};

QString timelineKindName(TimelineEvent::Kind kind); // stable: "leader_observed", ...
std::optional<TimelineEvent::Kind> timelineKindFromName(const QString &name);
QString timelineKindLabel(TimelineEvent::Kind kind); // translated: "Leader change", ...

QJsonObject timelineEventToJson(const TimelineEvent &event);
std::optional<TimelineEvent> timelineEventFromJson(const QJsonObject &object);

// Oldest first; equal times keep their order.
void sortTimeline(QList<TimelineEvent> &events);

// How many events a long-lived holder (the GUI's recorder and timeline model) keeps in memory
// per cluster: the newest, about one TimelineStore file's worth. The store keeps its own bound
// on disk; without this, a wall display left running grows with every event it sees.
constexpr qsizetype kTimelineEventsInMemory = 20000;

// Drops the oldest events of a list sorted oldest first, down to `max`, once it has grown a
// tenth past it (so that a full list is not shifted for every new event). max 0: no limit.
void trimTimeline(QList<TimelineEvent> &events, qsizetype max);

} // namespace vigil::services
