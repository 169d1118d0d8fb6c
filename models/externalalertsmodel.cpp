#include "models/externalalertsmodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

services::Finding::Severity externalSeverity(const QString &label)
{
    const QString l = label.trimmed().toLower();
    using S = services::Finding::Severity;
    if (l == QLatin1String("critical") || l == QLatin1String("page") ||
        l == QLatin1String("error") || l == QLatin1String("high"))
        return S::Critical;
    if (l == QLatin1String("warning") || l == QLatin1String("warn") || l == QLatin1String("medium"))
        return S::Warning;
    if (l == QLatin1String("info") || l == QLatin1String("none") || l == QLatin1String("low"))
        return S::Ok;
    return S::Unknown;
}

ExternalAlertsModel::ExternalAlertsModel(QObject *parent)
    : CellTableModel({tr("Severity"), tr("Cluster"), tr("Alert (Alertmanager)"), tr("Member"),
                      tr("Summary"), tr("Since")},
                     parent)
{
    setHeaderToolTips(
        {tr("The severity label the rule set (critical, warning, info), as Vigil reads it."),
         QString(), tr("The alert's name (alertname), raised by Prometheus's rules, not Vigil's."),
         tr("The alert's member label, else its instance."),
         tr("The rule's summary annotation, else its description."),
         tr("When Alertmanager says it started firing (local time).")});
}

void ExternalAlertsModel::setStatus(const QString &cluster,
                                    const services::ExternalAlertsStatus &status)
{
    const bool configured =
        status.channel.state != services::ChannelStatus::State::Unknown || !status.source.isEmpty();
    const bool wasConfigured = m_status.contains(cluster);
    const QString before = m_status.value(cluster).channel.error.toText();
    if (configured)
        m_status.insert(cluster, status);
    else
        m_status.remove(cluster);
    rebuild();
    if (configured != wasConfigured || status.channel.error.toText() != before)
        Q_EMIT statusChanged();
}

void ExternalAlertsModel::removeCluster(const QString &cluster)
{
    if (m_status.remove(cluster) > 0) {
        rebuild();
        Q_EMIT statusChanged();
    }
}

QStringList ExternalAlertsModel::problems() const
{
    QStringList out;
    for (auto it = m_status.cbegin(); it != m_status.cend(); ++it)
        if (it->channel.state == services::ChannelStatus::State::Unreachable)
            out << tr("%1: %2 could not be read (%3); its alerts shown are from %4.")
                       .arg(it.key(), it->source, it->channel.error.toText(),
                            it->channel.lastOk.isValid()
                                ? it->channel.lastOk.toLocalTime().toString(
                                      QStringLiteral("HH:mm:ss"))
                                : tr("no reading yet"));
    return out;
}

void ExternalAlertsModel::rebuild()
{
    QList<Row> rows;
    for (auto it = m_status.cbegin(); it != m_status.cend(); ++it) {
        for (const services::ExternalAlert &a : it->alerts) {
            Row row;
            row.key = it.key() + QLatin1Char('\n') + a.fingerprint + QLatin1Char('\n') + a.name;
            row.cells.resize(ColumnCount);
            const Health h = fromSeverity(externalSeverity(a.severity));
            Cell sev = text(a.severity.isEmpty() ? healthName(h) : a.severity, healthRank(h),
                            tr("From %1").arg(it->source));
            sev.insert(Qt::DecorationRole, healthColor(h));
            sev.insert(SeverityRole, healthRank(h));
            row.cells[Severity] = sev;
            row.cells[Cluster] = text(it.key());
            row.cells[Alert] = text(a.name, {}, a.generatorUrl);
            row.cells[Member] = text(a.member);
            row.cells[Summary] = text(a.summary, {}, a.summary);
            row.cells[Since] = text(a.startsAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                    a.startsAt, a.startsAt.toLocalTime().toString(Qt::ISODate));
            rows.append(std::move(row));
        }
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
