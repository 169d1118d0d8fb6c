#include "models/timelinemodel.h"

#include "models/health.h"
#include "models/timelinemarkdown.h"

namespace vigil::models {

namespace {
using Kind = services::TimelineEvent::Kind;

Health healthOf(const services::TimelineEvent &e)
{
    switch (e.kind) {
    case Kind::LeaderObserved:
        return e.to.isEmpty() ? Health::Critical : Health::Warning;
    case Kind::LeaderFromHistory:
    case Kind::TimelineBump:
        return Health::Warning;
    case Kind::MemberState:
        if (e.to == QStringLiteral("unreachable") || e.to == QStringLiteral("unresponsive") ||
            e.to == QStringLiteral("gone"))
            return Health::Critical;
        return memberStateHealth(e.to);
    case Kind::AlertRaised:
    case Kind::AlertChanged:
        return e.to == QStringLiteral("CRITICAL") ? Health::Critical : Health::Warning;
    case Kind::AlertAcknowledged:
    case Kind::OperatorAction:
        return Health::Unknown;
    case Kind::AlertCleared:
        return Health::Ok;
    }
    return Health::Unknown;
}
} // namespace

TimelineModel::TimelineModel(QObject *parent)
    : CellTableModel(
          {tr("Time (UTC)"), tr("Local time"), tr("Event"), tr("Member"), tr("Who"), tr("What")},
          parent)
{
    setHeaderToolTips({QString(), QString(), QString(), QString(),
                       tr("The OS user who acted or acknowledged."), QString()});
}

void TimelineModel::setCluster(const QString &cluster, const QList<services::TimelineEvent> &events)
{
    m_cluster = cluster;
    m_events = events;
    m_built.clear();
    services::sortTimeline(m_events);
    rebuild();
}

void TimelineModel::append(const services::TimelineEvent &event)
{
    if (event.cluster != m_cluster)
        return;
    m_events.append(event);
    services::sortTimeline(m_events);
    services::trimTimeline(m_events, services::kTimelineEventsInMemory);
    rebuild();
}

void TimelineModel::setWindowSeconds(int seconds)
{
    m_windowSeconds = qMax(0, seconds);
    rebuild();
}

void TimelineModel::refresh()
{
    rebuild();
}

QDateTime TimelineModel::windowStart() const
{
    return m_windowSeconds > 0 ? now().addSecs(-m_windowSeconds) : QDateTime();
}

QList<services::TimelineEvent> TimelineModel::eventsInWindow() const
{
    const QDateTime start = windowStart();
    QList<services::TimelineEvent> out;
    for (const services::TimelineEvent &e : m_events)
        if (!start.isValid() || e.at >= start)
            out.append(e);
    return out;
}

// Rows are built once per event and kept (m_built): the local-time text costs a time-zone
// lookup per event, and rebuilding hundreds of them for each new event held the UI thread
// 118-265 ms in the leader-sigkill drill (perf, 2026-12-04).
void TimelineModel::rebuild()
{
    const QList<services::TimelineEvent> shown = eventsInWindow();
    const QTimeZone local = QTimeZone::systemTimeZone();
    QList<Row> rows;
    rows.reserve(shown.size());
    for (auto it = shown.crbegin(); it != shown.crend(); ++it) {
        const services::TimelineEvent &e = *it;
        const QString key = e.at.toString(Qt::ISODateWithMs) + services::timelineKindName(e.kind) +
                            e.member + e.text;
        if (const auto built = m_built.constFind(key); built != m_built.cend()) {
            rows.append(*built);
            continue;
        }
        Row row;
        row.key = key;
        row.cells.resize(ColumnCount);
        row.cells[TimeUtc] = text(timelineUtcText(e.at), e.at);
        row.cells[LocalTime] = text(timelineLocalText(e.at, local), e.at);
        Cell kind = text(services::timelineKindLabel(e.kind));
        kind.insert(Qt::DecorationRole, healthColor(healthOf(e)));
        kind.insert(SeverityRole, healthRank(healthOf(e)));
        row.cells[Event] = kind;
        row.cells[Member] = text(e.member.isEmpty() ? tr("cluster") : e.member);
        row.cells[What] = text(e.text, {}, e.text);
        row.cells[Who] = text(e.who);
        m_built.insert(key, row);
        rows.append(std::move(row));
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
