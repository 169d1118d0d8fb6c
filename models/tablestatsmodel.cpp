#include "models/tablestatsmodel.h"

#include "models/formatting.h"
#include "models/health.h"

#include <QLocale>

namespace vigil::models {

TableStatsModel::TableStatsModel(Kind kind, QObject *parent)
    : KeyedTableModel(parent)
    , m_kind(kind)
{
    switch (kind) {
    case Kind::Databases:
        m_headers = {tr("Database"),  tr("Size"),      tr("Connections"), tr("Commits"),
                     tr("Rollbacks"), tr("Inserted"),  tr("Updated"),     tr("Deleted"),
                     tr("Cache hit"), tr("Deadlocks"), tr("Temp files")};
        break;
    case Kind::Tables:
        m_headers = {tr("Table"),       tr("Size"),           tr("Live rows"),
                     tr("Dead rows"),   tr("Inserted"),       tr("Updated"),
                     tr("Deleted"),     tr("Seq scans"),      tr("Rows read by seq scans"),
                     tr("Index scans"), tr("Last autovacuum")};
        break;
    case Kind::UnusedIndexes:
        m_headers = {tr("Index"), tr("Table"), tr("Size"), tr("Scans")};
        break;
    }
}

namespace {
QString n(qint64 v)
{
    return QLocale().toString(v);
}
} // namespace

void TableStatsModel::setDatabases(const QList<services::DatabaseStat> &databases)
{
    QList<StatsRow> rows;
    for (const auto &d : databases) {
        const qint64 reads = d.blksHit + d.blksRead;
        const double hit = reads > 0 ? 100.0 * double(d.blksHit) / double(reads) : -1;
        StatsRow r;
        r.key = d.name;
        r.display = {d.name,
                     formatBytes(d.bytes),
                     d.backends,
                     n(d.xactCommit),
                     n(d.xactRollback),
                     n(d.tupInserted),
                     n(d.tupUpdated),
                     n(d.tupDeleted),
                     hit < 0 ? QStringLiteral("\u2014")
                             : QStringLiteral("%1 %").arg(hit, 0, 'f', 1),
                     n(d.deadlocks),
                     formatBytes(d.tempBytes)};
        r.sort = {d.name,        d.bytes,      d.backends,   d.xactCommit, d.xactRollback,
                  d.tupInserted, d.tupUpdated, d.tupDeleted, hit,          d.deadlocks,
                  d.tempBytes};
        if (d.deadlocks > 0)
            r.highlight =
                tr("%n deadlock(s) since the statistics were reset.", nullptr, int(d.deadlocks));
        rows.append(r);
    }
    replaceRows(rows);
}

void TableStatsModel::setTables(const QList<services::TableStat> &tables)
{
    QList<StatsRow> rows;
    for (const auto &t : tables) {
        StatsRow r;
        const QString name =
            t.schema == QLatin1String("public") ? t.name : t.schema + QLatin1Char('.') + t.name;
        r.key = t.schema + QLatin1Char('.') + t.name;
        r.display = {name,
                     formatBytes(t.totalBytes),
                     n(t.liveTuples),
                     n(t.deadTuples),
                     n(t.inserted),
                     n(t.updated),
                     n(t.deleted),
                     n(t.seqScan),
                     n(t.seqTupRead),
                     n(t.idxScan),
                     t.lastAutovacuum};
        r.sort = {name,      t.totalBytes, t.liveTuples, t.deadTuples, t.inserted,      t.updated,
                  t.deleted, t.seqScan,    t.seqTupRead, t.idxScan,    t.lastAutovacuum};
        if (t.manySeqScans())
            r.highlight =
                tr("Many sequential scans (%1, reading %2 rows) and fewer index scans (%3): "
                   "a missing index?")
                    .arg(n(t.seqScan), n(t.seqTupRead), n(t.idxScan));
        rows.append(r);
    }
    replaceRows(rows);
}

void TableStatsModel::setUnusedIndexes(const QList<services::UnusedIndex> &indexes)
{
    QList<StatsRow> rows;
    for (const auto &i : indexes) {
        StatsRow r;
        r.key = i.schema + QLatin1Char('.') + i.name;
        r.display = {i.name, i.schema + QLatin1Char('.') + i.table, formatBytes(i.bytes),
                     n(i.scans)};
        r.sort = {i.name, i.table, i.bytes, i.scans};
        r.highlight = tr("Never used since the statistics were reset; it still costs every write.");
        rows.append(r);
    }
    replaceRows(rows);
}

int TableStatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant TableStatsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const StatsRow &r = m_rows.at(index.row());
    const int col = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return col < r.display.size() ? r.display.at(col) : QVariant();
    case SortRole:
        return col < r.sort.size() ? r.sort.at(col) : QVariant();
    case Qt::ToolTipRole:
        return r.highlight.isEmpty() ? QVariant() : QVariant(r.highlight);
    case HighlightRole:
        return !r.highlight.isEmpty();
    case Qt::BackgroundRole:
        if (!r.highlight.isEmpty() && m_kind != Kind::UnusedIndexes)
            return highlightBackground(1);
        break;
    case Qt::TextAlignmentRole:
        if (col > 0 && !(m_kind == Kind::UnusedIndexes && col == 1) &&
            !(m_kind == Kind::Tables && col == 10))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant TableStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_headers.size())
        return m_headers.at(section);
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace vigil::models
