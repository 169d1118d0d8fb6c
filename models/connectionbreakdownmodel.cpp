#include "models/connectionbreakdownmodel.h"

namespace vigil::models {

namespace {
QString header(ConnectionBreakdownModel::Dimension d)
{
    switch (d) {
    case ConnectionBreakdownModel::Dimension::State:
        return ConnectionBreakdownModel::tr("State");
    case ConnectionBreakdownModel::Dimension::Application:
        return ConnectionBreakdownModel::tr("Application");
    case ConnectionBreakdownModel::Dimension::Database:
        return ConnectionBreakdownModel::tr("Database");
    }
    return {};
}
} // namespace

ConnectionBreakdownModel::ConnectionBreakdownModel(Dimension dimension, QObject *parent)
    : CellTableModel({header(dimension), tr("Connections"), tr("Share")}, parent)
    , m_dimension(dimension)
{
}

void ConnectionBreakdownModel::setStats(const std::optional<services::ConnectionStats> &stats)
{
    QList<Row> rows;
    if (stats) {
        const QMap<QString, int> &counts = m_dimension == Dimension::State ? stats->byState
                                           : m_dimension == Dimension::Application
                                               ? stats->byApplication
                                               : stats->byDatabase;
        int sum = 0;
        for (int n : counts)
            sum += n;
        for (auto it = counts.begin(); it != counts.end(); ++it) {
            Row row;
            row.key = it.key();
            row.cells.resize(ColumnCount);
            row.cells[Name] = text(it.key().isEmpty() ? tr("(none)") : it.key());
            Cell count = text(QString::number(it.value()), it.value());
            count.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
            row.cells[Count] = count;
            const double share = sum > 0 ? 100.0 * it.value() / sum : 0.0;
            Cell shareCell =
                text(QStringLiteral("%1 %").arg(share, 0, 'f', share < 10 ? 1 : 0), share);
            shareCell.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
            row.cells[Share] = shareCell;
            rows.append(std::move(row));
        }
    }
    setRows(std::move(rows));
}

std::optional<services::ConnectionStats>
connectionStatsOf(const services::ClusterSnapshot &snapshot, const QString &member)
{
    if (!member.isEmpty()) {
        const services::MemberSnapshot *m = snapshot.member(member);
        return m ? m->connections : std::nullopt;
    }
    std::optional<services::ConnectionStats> sum;
    for (const auto &m : snapshot.members) {
        if (!m.connections)
            continue;
        if (!sum)
            sum.emplace();
        sum->total += m.connections->total;
        sum->maxConnections += m.connections->maxConnections;
        for (auto it = m.connections->byState.begin(); it != m.connections->byState.end(); ++it)
            sum->byState[it.key()] += it.value();
        for (auto it = m.connections->byApplication.begin();
             it != m.connections->byApplication.end(); ++it)
            sum->byApplication[it.key()] += it.value();
        for (auto it = m.connections->byDatabase.begin(); it != m.connections->byDatabase.end();
             ++it)
            sum->byDatabase[it.key()] += it.value();
    }
    return sum;
}

} // namespace vigil::models
