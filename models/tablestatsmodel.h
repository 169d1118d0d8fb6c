#pragma once

#include "models/keyedtablemodel.h"
#include "services/diagnostics/tablestatsservice.h"

#include <QStringList>
#include <QVariantList>

namespace vigil::models {

// One row of a statistics table: display texts, sort values, and a highlight reason.
struct StatsRow
{
    QString key;
    QVariantList display;
    QVariantList sort;
    QString highlight; // non-empty: the row is highlighted, this is why (tooltip)
    bool operator==(const StatsRow &o) const
    {
        return key == o.key && display == o.display && highlight == o.highlight;
    }
};

// Database and table statistics as tables: one model per kind (database sizes, per-table
// writes and scans, unused indexes). Keyed rows, refreshed in place. Tables with many
// sequential scans (TableStat::manySeqScans) are highlighted.
class TableStatsModel : public KeyedTableModel<StatsRow, QString>
{
    Q_OBJECT
public:
    enum class Kind
    {
        Databases,
        Tables,
        UnusedIndexes
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        HighlightRole
    };

    explicit TableStatsModel(Kind kind, QObject *parent = nullptr);
    Kind kind() const { return m_kind; }

    void setDatabases(const QList<services::DatabaseStat> &databases);
    void setTables(const QList<services::TableStat> &tables);
    void setUnusedIndexes(const QList<services::UnusedIndex> &indexes);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QString keyOf(const StatsRow &row) const override { return row.key; }
    bool sameData(const StatsRow &a, const StatsRow &b) const override { return a == b; }

private:
    Kind m_kind;
    QStringList m_headers;
};

} // namespace vigil::models
