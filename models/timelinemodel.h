#pragma once

#include "models/celltablemodel.h"
#include "services/timeline/timelineevent.h"

#include <QDateTime>
#include <QHash>
#include <functional>

namespace vigil::models {

// The incident timeline of the cluster on screen, one row per event, limited to a time window
// back from now (15 min, 1 h, 6 h, 24 h, or everything: windowSeconds 0). The rows are built
// newest first; a new event is appended (KeyedTableModel's diff) and the view sorts by time
// (SortRole of the time columns is the QDateTime).
// Holds at most kTimelineEventsInMemory events, the newest, like the recorder.
// Fed with the recorder's events (setEvents when the cluster changes, append for each new one);
// rows are keyed by the event's time, kind, member and text, so a new event or the window moving
// on (refresh, e.g. from a timer) keeps the selection and scroll position of the others.
class TimelineModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeUtc,
        LocalTime,
        Event,
        Member,
        Who,
        What, // last: it takes the width that is left
        ColumnCount
    };
    using Clock = std::function<QDateTime()>;

    explicit TimelineModel(QObject *parent = nullptr);

    void setCluster(const QString &cluster, const QList<services::TimelineEvent> &events);
    void append(const services::TimelineEvent &event);
    QString cluster() const { return m_cluster; }

    // 0: everything.
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }
    // Drops the rows the window has left behind.
    void refresh();
    void setClock(Clock clock) { m_clock = std::move(clock); }
    QDateTime now() const { return m_clock(); }

    // The events inside the window, oldest first (what "Export for post-mortem" writes).
    QList<services::TimelineEvent> eventsInWindow() const;
    const QList<services::TimelineEvent> &allEvents() const { return m_events; }
    // The window's start (invalid: everything).
    QDateTime windowStart() const;

private:
    void rebuild();

    QString m_cluster;
    QList<services::TimelineEvent> m_events; // oldest first
    QHash<QString, Row> m_built;             // each event's row, by its key
    int m_windowSeconds = 3600;
    Clock m_clock = [] {
        return QDateTime::currentDateTimeUtc();
    };
};

} // namespace vigil::models
