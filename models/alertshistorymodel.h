#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/alerttypes.h"

namespace vigil::models {

// The alert history of every cluster, one row per event in the order they happened (the view
// sorts by time, newest first): what AlertHistory read from disk at start (setEvents) and every
// event since (append). At most kMaxEvents rows (the oldest go); the file
// keeps everything. Rows are keyed by the event's position in the history, so appending keeps
// the selection and scroll position of the rows already shown.
class AlertsHistoryModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Time,
        Event,
        Severity,
        Cluster,
        Member,
        Message,
        Detail,
        ColumnCount
    };
    static constexpr int kMaxEvents = 5000;

    explicit AlertsHistoryModel(QObject *parent = nullptr);

    void setEvents(const QList<services::AlertEvent> &events); // oldest first
    void append(const services::AlertEvent &event);
    int eventCount() const { return int(m_events.size()); }

    static QString eventText(services::AlertEvent::Kind kind); // translated: "raised", ...

private:
    Row rowFor(qsizetype index) const; // the row of m_events[index]

    QList<services::AlertEvent> m_events; // oldest first
    QList<Row> m_built;                   // one per event, built once
    qint64 m_dropped = 0;                 // events that fell off the front (for stable keys)
};

} // namespace vigil::models
