#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace vigil::models {

// Base of Vigil's table models: a list of rows, each with a stable key, each cell a map
// role → value. A refresh hands in the complete new list of rows; setRows() diffs it against the
// current one and emits only what changed:
//   * rows whose key disappeared: rowsRemoved (contiguous runs, from the bottom up);
//   * rows whose cells changed: one dataChanged per row, spanning the changed columns, with the
//     changed roles;
//   * new keys: rowsInserted, appended at the end (views sort through a proxy).
// Never a model reset, so selection, current index and scroll position survive a refresh.
//
// Subclasses build the rows from a snapshot (value structs in) and define the columns.
class RowDiffModel : public QAbstractTableModel
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
    struct Row
    {
        QString key;
        QList<Cell> cells; // one per column; missing ones are empty
    };

    explicit RowDiffModel(QStringList headers, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Row of `key`, or -1.
    int rowOf(const QString &key) const;
    QString keyAt(int row) const;
    QStringList keys() const;

    // Tooltips for column headers (what the figure means, where it comes from).
    void setHeaderToolTips(QStringList toolTips) { m_headerToolTips = std::move(toolTips); }

protected:
    void setRows(QList<Row> rows);

    // Helpers for subclasses building cells.
    static Cell text(const QString &display, const QVariant &sort = {},
                     const QString &toolTip = {});

private:
    QStringList m_headers;
    QStringList m_headerToolTips;
    QList<Row> m_rows;
};

} // namespace vigil::models
