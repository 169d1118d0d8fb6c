#include "models/alertshistorymodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

AlertsHistoryModel::AlertsHistoryModel(QObject *parent)
    : CellTableModel({tr("Time"), tr("Event"), tr("Severity"), tr("Cluster"), tr("Member"),
                      tr("Alert"), tr("Detail")},
                     parent)
{
    setHeaderToolTips({tr("Local time; the tooltip has the date and UTC."), QString(),
                       tr("The severity after the event (for a clear: the worst it reached)."),
                       QString(), QString(), QString(),
                       tr("Who acknowledged; how long a cleared alert lasted.")});
}

QString AlertsHistoryModel::eventText(services::AlertEvent::Kind kind)
{
    using K = services::AlertEvent::Kind;
    switch (kind) {
    case K::Raised:
        return tr("raised");
    case K::Escalated:
        return tr("escalated");
    case K::Deescalated:
        return tr("eased");
    case K::Acknowledged:
        return tr("acknowledged");
    case K::Cleared:
        return tr("cleared");
    }
    return QString();
}

void AlertsHistoryModel::setEvents(const QList<services::AlertEvent> &events)
{
    m_dropped = qMax<qint64>(0, events.size() - kMaxEvents);
    m_events = events.mid(qsizetype(m_dropped));
    m_built.clear();
    m_built.reserve(m_events.size());
    for (qsizetype i = 0; i < m_events.size(); ++i)
        m_built.append(rowFor(i));
    setRows(m_built);
}

// One event makes one row: the rows already built are kept (a history of thousands of events
// is not formatted again for each new one, on the UI thread, in the middle of an incident).
void AlertsHistoryModel::append(const services::AlertEvent &event)
{
    m_events.append(event);
    if (m_events.size() > kMaxEvents) {
        m_events.removeFirst();
        m_built.removeFirst();
        ++m_dropped;
    }
    m_built.append(rowFor(m_events.size() - 1));
    setRows(m_built);
}

CellTableModel::Row AlertsHistoryModel::rowFor(qsizetype i) const
{
    using K = services::AlertEvent::Kind;
    const services::AlertEvent &e = m_events.at(i);
    Row row;
    row.key = QString::number(m_dropped + i);
    row.cells.resize(ColumnCount);
    const QDateTime local = e.at.toLocalTime();
    row.cells[Time] = text(
        local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), e.at,
        tr("%1 (UTC %2)").arg(local.toString(Qt::ISODate), e.at.toUTC().toString(Qt::ISODate)));
    row.cells[Event] = text(eventText(e.kind));
    const Health h = fromSeverity(e.kind == K::Cleared ? e.previousSeverity : e.severity);
    Cell sev = text(healthName(h), healthRank(h));
    sev.insert(Qt::DecorationRole, healthColor(e.kind == K::Cleared ? Health::Ok : h));
    row.cells[Severity] = sev;
    row.cells[Cluster] = text(e.cluster);
    row.cells[Member] = text(e.member.isEmpty() ? tr("cluster") : e.member);
    row.cells[Message] = text(e.message, {}, e.message);
    QString detail;
    if (e.kind == K::Acknowledged)
        detail = tr("by %1").arg(e.by);
    else if (e.kind == K::Cleared && e.lastedSeconds >= 0)
        detail = tr("lasted %1").arg(formatDuration(e.lastedSeconds));
    else if (e.kind == K::Escalated || e.kind == K::Deescalated)
        detail = tr("was %1").arg(healthName(fromSeverity(e.previousSeverity)));
    row.cells[Detail] = text(detail);
    return row;
}

} // namespace vigil::models
