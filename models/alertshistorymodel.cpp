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
    rebuild();
}

void AlertsHistoryModel::append(const services::AlertEvent &event)
{
    m_events.append(event);
    if (m_events.size() > kMaxEvents) {
        m_events.removeFirst();
        ++m_dropped;
    }
    rebuild();
}

void AlertsHistoryModel::rebuild()
{
    using K = services::AlertEvent::Kind;
    QList<Row> rows;
    rows.reserve(m_events.size());
    for (qsizetype i = 0; i < m_events.size(); ++i) {
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
        rows.append(std::move(row));
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
