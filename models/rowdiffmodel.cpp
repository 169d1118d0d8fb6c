#include "models/rowdiffmodel.h"

#include <QSet>
#include <algorithm>

namespace vigil::models {

RowDiffModel::RowDiffModel(QStringList headers, QObject *parent)
    : QAbstractTableModel(parent)
    , m_headers(std::move(headers))
{
}

int RowDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RowDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant RowDiffModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == KeyRole)
        return row.key;
    if (index.column() >= row.cells.size())
        return {};
    const Cell &cell = row.cells.at(index.column());
    if (role == SortRole) {
        const QVariant sort = cell.value(SortRole);
        return sort.isValid() ? sort : cell.value(Qt::DisplayRole);
    }
    return cell.value(role);
}

QVariant RowDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_headers.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return m_headers.at(section);
    if (role == Qt::ToolTipRole && section < m_headerToolTips.size())
        return m_headerToolTips.at(section);
    return {};
}

int RowDiffModel::rowOf(const QString &key) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).key == key)
            return i;
    return -1;
}

QString RowDiffModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).key : QString();
}

QStringList RowDiffModel::keys() const
{
    QStringList out;
    out.reserve(m_rows.size());
    for (const Row &r : m_rows)
        out << r.key;
    return out;
}

void RowDiffModel::setRows(QList<Row> rows)
{
    // A key appears once; later duplicates are dropped (the first wins).
    QHash<QString, int> incoming;
    for (int i = 0; i < rows.size();) {
        if (incoming.contains(rows.at(i).key)) {
            rows.removeAt(i);
            continue;
        }
        incoming.insert(rows.at(i).key, i);
        ++i;
    }

    // 1. Removals, bottom up, in contiguous runs.
    int end = int(m_rows.size()) - 1;
    while (end >= 0) {
        if (incoming.contains(m_rows.at(end).key)) {
            --end;
            continue;
        }
        int begin = end;
        while (begin > 0 && !incoming.contains(m_rows.at(begin - 1).key))
            --begin;
        beginRemoveRows({}, begin, end);
        m_rows.erase(m_rows.begin() + begin, m_rows.begin() + end + 1);
        endRemoveRows();
        end = begin - 1;
    }

    // 2. Updates in place.
    QSet<QString> present;
    const int columns = int(m_headers.size());
    for (int r = 0; r < m_rows.size(); ++r) {
        Row &current = m_rows[r];
        present.insert(current.key);
        Row &next = rows[incoming.value(current.key)];
        next.cells.resize(columns);
        current.cells.resize(columns);
        int first = -1, last = -1;
        QSet<int> roles;
        for (int c = 0; c < columns; ++c) {
            const Cell &a = current.cells.at(c);
            const Cell &b = next.cells.at(c);
            if (a == b)
                continue;
            if (first < 0)
                first = c;
            last = c;
            for (auto it = a.begin(); it != a.end(); ++it)
                if (b.value(it.key()) != it.value())
                    roles.insert(it.key());
            for (auto it = b.begin(); it != b.end(); ++it)
                if (!a.contains(it.key()))
                    roles.insert(it.key());
        }
        if (first < 0)
            continue;
        current.cells = std::move(next.cells);
        if (roles.contains(SortRole) || roles.contains(Qt::DisplayRole))
            roles.insert(SortRole);
        QList<int> roleList(roles.begin(), roles.end());
        std::sort(roleList.begin(), roleList.end());
        Q_EMIT dataChanged(index(r, first), index(r, last), roleList);
    }

    // 3. Insertions, appended in the order given.
    QList<Row> added;
    for (Row &row : rows)
        if (!present.contains(row.key)) {
            row.cells.resize(columns);
            added.append(std::move(row));
        }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(std::move(added));
        endInsertRows();
    }
}

RowDiffModel::Cell RowDiffModel::text(const QString &display, const QVariant &sort,
                                      const QString &toolTip)
{
    Cell c;
    c.insert(Qt::DisplayRole, display);
    if (sort.isValid())
        c.insert(SortRole, sort);
    if (!toolTip.isEmpty())
        c.insert(Qt::ToolTipRole, toolTip);
    return c;
}

} // namespace vigil::models
