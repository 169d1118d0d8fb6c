#pragma once

#include "models/keyedtablemodel.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <algorithm>
#include <utility>

namespace vigil::models {

// One cell of a CellTableModel: role → value for the few roles a cell sets (display, sort,
// tooltip, a colour, alignment), kept as a short list searched in order. A QHash per cell cost
// ~2 KB (Qt 6 allocates a span of 48 entries on the first insert): heaptrack on a soak of one
// cluster with a switchover every 5 minutes found the alert history and the timeline holding
// 1.33 MB more after 11 minutes, ~1.9 KB for each new cell (2026-12-05). A list of two or
// three pairs costs ~100 bytes. The interface is QHash's, as far as the models use it.
class CellRoles
{
public:
    void insert(int role, const QVariant &value)
    {
        for (auto &entry : m_entries) {
            if (entry.first == role) {
                entry.second = value;
                return;
            }
        }
        m_entries.append({role, value});
    }
    QVariant value(int role, const QVariant &fallback = {}) const
    {
        for (const auto &entry : m_entries) {
            if (entry.first == role)
                return entry.second;
        }
        return fallback;
    }
    bool contains(int role) const
    {
        return std::any_of(m_entries.cbegin(), m_entries.cend(),
                           [role](const auto &entry) { return entry.first == role; });
    }
    void remove(int role)
    {
        m_entries.removeIf([role](const auto &entry) { return entry.first == role; });
    }
    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }
    // Equal when they hold the same roles with the same values, in whatever order.
    bool operator==(const CellRoles &o) const
    {
        return m_entries.size() == o.m_entries.size() &&
               std::all_of(m_entries.cbegin(), m_entries.cend(), [&o](const auto &entry) {
                   return o.contains(entry.first) && o.value(entry.first) == entry.second;
               });
    }
    bool operator!=(const CellRoles &o) const { return !(*this == o); }

private:
    QList<std::pair<int, QVariant>> m_entries;
};

// One row of a CellTableModel: its stable key and one cell per column (missing cells are
// empty).
struct CellRow
{
    QString key;
    QList<CellRoles> cells;
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

    using Cell = CellRoles;
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
