#include "models/alertsmodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

namespace {
QString rowKey(const services::Alert &a)
{
    return a.cluster + QLatin1Char('\n') + a.key();
}

QString clock(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

void count(AlertsModel::Counts &c, const services::Alert &a)
{
    switch (a.severity) {
    case services::Finding::Severity::Critical:
        ++c.critical;
        break;
    case services::Finding::Severity::Warning:
        ++c.warning;
        break;
    case services::Finding::Severity::Unknown:
        ++c.unknown;
        break;
    case services::Finding::Severity::Ok:
        break;
    }
    if (!a.acknowledged())
        ++c.unacknowledged;
    if (services::severityRank(a.severity) > services::severityRank(c.worst))
        c.worst = a.severity;
}
} // namespace

AlertsModel::AlertsModel(QObject *parent)
    : CellTableModel({tr("Severity"), tr("Cluster"), tr("Member"), tr("Alert"), tr("Since"),
                      tr("Age"), tr("Acknowledged")},
                     parent)
{
    setHeaderToolTips({tr("Critical, warning or unknown (Vigil cannot see)."), QString(), QString(),
                       tr("The rule's latest finding."),
                       tr("When the alert was raised (local time)."),
                       tr("How long the alert has been active."),
                       tr("Who acknowledged the alert, and when. A worse severity clears it.")});
}

void AlertsModel::setAlerts(const QString &cluster, const QList<services::Alert> &alerts,
                            const QDateTime &now)
{
    if (alerts.isEmpty())
        m_alerts.remove(cluster);
    else
        m_alerts.insert(cluster, alerts);
    m_now = now;
    rebuild();
}

void AlertsModel::removeCluster(const QString &cluster)
{
    if (m_alerts.remove(cluster) > 0)
        rebuild();
}

void AlertsModel::refreshAges(const QDateTime &now)
{
    m_now = now;
    rebuild();
}

void AlertsModel::rebuild()
{
    QList<Row> rows;
    for (const QList<services::Alert> &alerts : std::as_const(m_alerts)) {
        for (const services::Alert &a : alerts) {
            Row row;
            row.key = rowKey(a);
            row.cells.resize(ColumnCount);
            const Health h = fromSeverity(a.severity);
            Cell sev = text(healthName(h), healthRank(h));
            sev.insert(Qt::DecorationRole, healthColor(h));
            sev.insert(SeverityRole, healthRank(h));
            row.cells[Severity] = sev;
            row.cells[Cluster] = text(a.cluster);
            row.cells[Member] = text(a.member.isEmpty() ? tr("cluster") : a.member);
            row.cells[Message] = text(a.message, {}, a.message);
            row.cells[Since] =
                text(clock(a.since), a.since, a.since.toLocalTime().toString(Qt::ISODate));
            const qint64 age = qMax<qint64>(0, a.since.secsTo(m_now));
            row.cells[Age] = text(formatDuration(age), age);
            row.cells[Acknowledged] =
                a.acknowledged()
                    ? text(tr("%1 at %2").arg(a.acknowledgedBy, clock(a.acknowledgedAt)),
                           a.acknowledgedAt)
                    : text(tr("no"), QDateTime());
            if (a.acknowledged())
                row.cells[Message].insert(Qt::ForegroundRole, QColor(Qt::gray));
            rows.append(std::move(row));
        }
    }
    setRows(std::move(rows));
}

std::optional<services::Alert> AlertsModel::alertAt(int row) const
{
    const QString key = keyAt(row);
    for (const QList<services::Alert> &alerts : m_alerts)
        for (const services::Alert &a : alerts)
            if (rowKey(a) == key)
                return a;
    return std::nullopt;
}

AlertsModel::Counts AlertsModel::counts() const
{
    Counts c;
    for (const QList<services::Alert> &alerts : m_alerts)
        for (const services::Alert &a : alerts)
            count(c, a);
    return c;
}

AlertsModel::Counts AlertsModel::counts(const QString &cluster) const
{
    Counts c;
    for (const services::Alert &a : m_alerts.value(cluster))
        count(c, a);
    return c;
}

} // namespace vigil::models
