#include "models/clusterlistmodel.h"

#include "models/formatting.h"
#include "models/health.h"

#include <QUrl>

namespace vigil::models {

LagExtreme worstLag(const services::ClusterSnapshot &snapshot)
{
    LagExtreme w;
    for (const auto &m : snapshot.members) {
        if (m.isLeader())
            continue;
        const std::optional<qint64> bytes = m.replayLagBytes ? m.replayLagBytes : m.lagBytes;
        if (bytes && (!w.bytes || *bytes > *w.bytes)) {
            w.bytes = bytes;
            w.member = m.name;
        }
        if (m.replayLagSeconds && (!w.seconds || *m.replayLagSeconds > *w.seconds))
            w.seconds = m.replayLagSeconds;
    }
    return w;
}

ClusterListModel::ClusterListModel(QObject *parent)
    : CellTableModel({tr("Cluster"), tr("Health"), tr("Leader"), tr("Worst lag"), tr("Alerts"),
                      tr("Refreshed")},
                     parent)
{
}

void ClusterListModel::addCluster(const QString &profileName, const QString &target)
{
    m_entries[profileName].target = target;
    rebuild();
}

void ClusterListModel::removeCluster(const QString &profileName)
{
    m_entries.remove(profileName);
    rebuild();
}

void ClusterListModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_entries[snapshot->profileName].snapshot = snapshot;
    rebuild();
}

void ClusterListModel::setAlerts(const QString &profileName, const QList<services::Alert> &alerts)
{
    auto it = m_entries.find(profileName);
    if (it == m_entries.end())
        return;
    AlertCounts c;
    for (const services::Alert &a : alerts) {
        if (a.acknowledged())
            ++c.acknowledged;
        else if (a.severity == services::Finding::Severity::Critical)
            ++c.critical;
        else if (a.severity != services::Finding::Severity::Ok)
            ++c.warning;
    }
    it->alerts = c;
    rebuild();
}

ClusterListModel::Cell ClusterListModel::alertsCell(const AlertCounts &c)
{
    QStringList texts;
    QVariantList parts;
    auto add = [&](const QString &text, models::Health colour) {
        texts << text;
        parts << QVariantMap{{QStringLiteral("text"), text},
                             {QStringLiteral("color"), healthColor(colour)}};
    };
    if (c.critical > 0)
        add(tr("%1 crit").arg(c.critical), models::Health::Critical);
    if (c.warning > 0)
        add(tr("%1 warn").arg(c.warning), models::Health::Warning);
    if (c.acknowledged > 0)
        add(tr("%1 ack").arg(c.acknowledged), models::Health::Unknown);
    const bool none = texts.isEmpty();
    QString tip = tr("No active alert");
    if (!none)
        tip = tr("Active alerts: %1 critical and %2 warning not acknowledged, %3 acknowledged "
                 "(still active; someone is on them).")
                  .arg(c.critical)
                  .arg(c.warning)
                  .arg(c.acknowledged);
    // Sorted by what needs a look: unacknowledged critical first, then warnings, then the rest.
    const qint64 rank = qint64(c.critical) * 1000000 + qint64(c.warning) * 1000 + c.acknowledged;
    Cell cell = text(none ? QStringLiteral("0") : texts.join(QStringLiteral(" · ")), rank, tip);
    cell.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    if (!none) {
        cell.insert(AlertPartsRole, parts);
        cell.insert(Qt::ForegroundRole, parts.first().toMap().value(QStringLiteral("color")));
    }
    return cell;
}

void ClusterListModel::rebuild()
{
    QList<Row> rows;
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        Row row;
        row.key = it.key();
        row.cells.resize(ColumnCount);
        const services::ClusterSnapshotPtr &s = it->snapshot;
        QString title = it.key();
        QString tip = s ? QString() : tr("Connecting to %1…").arg(it->target);
        if (s && !s->scope.isEmpty() && s->scope != it.key()) {
            // A cluster opened by its URL has no name of its own: Patroni's scope is its name,
            // the address one hover away. A name the user chose stays, with the scope beside.
            const bool namedByUrl =
                it.key() == it->target || it.key() == QUrl(it->target).authority();
            title = namedByUrl ? s->scope : tr("%1 (%2)").arg(it.key(), s->scope);
            if (namedByUrl)
                tip = tr("%1, opened by its Patroni URL %2").arg(s->scope, it->target);
        }
        Cell name = text(title, it.key(), tip);

        models::Health h = models::Health::Unknown;
        if (s) {
            h = s->discovery.ok() ? fromSeverity(s->worstSeverity()) : models::Health::Critical;
            if (s->discovery.ok() && s->findings.isEmpty())
                h = models::Health::Ok;
        }
        name.insert(Qt::DecorationRole, healthColor(h));
        row.cells[Cluster] = name;
        Cell health = text(s ? healthName(h) : tr("connecting"), healthRank(h));
        health.insert(Qt::ForegroundRole, healthColor(h));
        health.insert(SeverityRole, healthRank(h));
        row.cells[Health] = health;

        if (s) {
            const services::MemberSnapshot *leader = s->leader();
            Cell leaderCell = text(leader ? leader->name : tr("none"));
            if (!leader)
                leaderCell.insert(Qt::ForegroundRole, healthColor(models::Health::Critical));
            row.cells[Leader] = leaderCell;
            const LagExtreme w = worstLag(*s);
            QString lag = w.bytes ? formatBytes(*w.bytes) : QString();
            if (w.seconds)
                lag +=
                    (lag.isEmpty() ? QString() : QStringLiteral(" · ")) + formatSeconds(*w.seconds);
            row.cells[WorstLag] =
                text(lag, QVariant(w.bytes.value_or(-1)),
                     w.member.isEmpty() ? QString() : tr("Most behind: %1").arg(w.member));
            row.cells[Alerts] = alertsCell(it->alerts);
            row.cells[LastRefresh] =
                text(s->takenAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")), s->takenAt);
        }
        rows.append(std::move(row));
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
