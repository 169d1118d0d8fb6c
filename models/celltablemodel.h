#pragma once

#include "models/keyedtablemodel.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace vigil::models {

// One row of a CellTableModel: its stable key and one cell per column, each cell a map
// role → value (missing cells are empty).
struct CellRow
{
    QString key;
    QList<QHash<int, QVariant>> cells;
};

// A KeyedTableModel whose rows are precomputed cells: the overview's small tables (members,
// replication, slots, findings, clusters, connection breakdown and test), which build every cell
// from a snapshot and define the columns by their headers. Refreshed by setRows() through
// KeyedTableModel's diff: never a model reset, so selection, current index and scroll position
// survive a refresh; a row whose cells changed gets a dataChanged.
class CellTableModel : public KeyedTableModel<CellRow, QString>
{
    Q_OBJECT
public:
    enum Roles
    {
        KeyRole = Qt::UserRole + 1, // the row's stable key (QString)
        SortRole,                   // the value to sort by; falls back to DisplayRole
        SeverityRole,               // int: 0 ok, 1 warning, 2 critical, -1 unknown (optional)
    };

    using Cell = QHash<int, QVariant>;
    using Row = CellRow;

    explicit CellTableModel(QStringList headers, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Row of `key`, or -1.
    int rowOf(const QString &key) const { return rowOfKey(key); }
    QString keyAt(int row) const;
    QStringList keys() const;

    // Tooltips for column headers (what the figure means, where it comes from).
    void setHeaderToolTips(QStringList toolTips) { m_headerToolTips = std::move(toolTips); }

protected:
    // The complete new list of rows (a later duplicate key is dropped).
    void setRows(QList<Row> rows);

    // Helpers for subclasses building cells.
    static Cell text(const QString &display, const QVariant &sort = {},
                     const QString &toolTip = {});

    QString keyOf(const Row &row) const override { return row.key; }
    bool sameData(const Row &a, const Row &b) const override { return a.cells == b.cells; }

private:
    QStringList m_headers;
    QStringList m_headerToolTips;
};

} // namespace vigil::models
