#include "models/connectiontestmodel.h"

#include "models/health.h"

namespace vigil::models {

namespace {
QString memberList(const services::ClusterSnapshot &s)
{
    QStringList names;
    for (const auto &m : s.members)
        names << m.name;
    return names.join(QStringLiteral(", "));
}
} // namespace

ConnectionTestModel::ConnectionTestModel(QObject *parent)
    : CellTableModel({tr("Check"), tr("Result"), tr("Detail")}, parent)
{
}

void ConnectionTestModel::clear()
{
    m_allOk = false;
    m_summary.clear();
    setRows({});
}

void ConnectionTestModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    QList<Row> rows;
    int checks = 0, failed = 0;
    auto add = [&](const QString &key, const QString &check, const services::ChannelStatus &c,
                   const QString &extra = {}) {
        if (c.state == services::ChannelStatus::State::Unknown && key != QLatin1String("discovery"))
            return; // not configured or not reached this cycle
        ++checks;
        const Health h = channelHealth(c);
        if (h != Health::Ok)
            ++failed;
        Row row;
        row.key = key;
        row.cells.resize(ColumnCount);
        Cell name = text(check);
        name.insert(Qt::DecorationRole, healthColor(h));
        row.cells[Check] = name;
        Cell result = text(h == Health::Ok ? tr("works") : tr("fails"), healthRank(h));
        result.insert(Qt::ForegroundRole, healthColor(h));
        row.cells[Result] = result;
        QString detail = channelText(c);
        if (!extra.isEmpty())
            detail += QStringLiteral(" — ") + extra;
        row.cells[Detail] = text(detail, {}, c.error.isError() ? c.error.toText() : QString());
        rows.append(std::move(row));
    };
    if (snapshot) {
        const auto &s = *snapshot;
        add(QStringLiteral("discovery"), tr("Cluster view (Patroni GET /cluster)"), s.discovery,
            s.discovery.ok() ? tr("scope %1, members: %2").arg(s.scope, memberList(s)) : QString());
        for (const auto &m : s.members) {
            add(QStringLiteral("rest/") + m.name, tr("%1 — REST API").arg(m.name), m.rest,
                m.rest.ok()
                    ? tr("%1, %2").arg(m.apiUrl.toString(QUrl::RemovePath | QUrl::RemovePassword),
                                       m.state)
                    : QString());
            add(QStringLiteral("sql/") + m.name, tr("%1 — SQL").arg(m.name), m.sql,
                m.sql.ok()
                    ? tr("%1:%2%3").arg(m.host).arg(m.port).arg(
                          m.inRecovery ? (*m.inRecovery ? tr(", in recovery") : tr(", primary"))
                                       : QString())
                    : QString());
        }
        add(QStringLiteral("haproxy"), tr("HAProxy stats"), s.haproxy.channel,
            s.haproxy.channel.ok()
                ? tr("read-write servers up: %1")
                      .arg(s.haproxy.readWriteServersUp.isEmpty()
                               ? tr("none")
                               : s.haproxy.readWriteServersUp.join(QStringLiteral(", ")))
                : QString());
        add(QStringLiteral("pgbouncer"), tr("PgBouncer admin console"), s.pgbouncer.channel,
            s.pgbouncer.channel.ok() ? tr("pools: %1").arg(s.pgbouncer.pools.size()) : QString());
    }
    m_allOk = snapshot && checks > 0 && failed == 0;
    m_summary = !snapshot     ? QString()
                : failed == 0 ? (checks == 1 ? tr("The check passed.")
                                             : tr("All %1 checks passed.").arg(checks))
                              : tr("%1 of %2 checks failed.").arg(failed).arg(checks);
    setRows(std::move(rows));
}

} // namespace vigil::models
