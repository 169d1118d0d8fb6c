#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace vigil::models {

// Base of the troubleshooting table models: rows identified by a key, refreshed from a new list
// without a model reset, so selection and scroll position survive a refresh. replaceRows()
// removes rows whose key is gone (beginRemoveRows per contiguous run), updates the rows that
// stay in place (one dataChanged per contiguous run of rows whose data differ), and appends new
// keys at the end (one beginInsertRows). Row order is therefore "first seen"; views sort
// through a proxy. O(n) per refresh with a hash of the keys.
template <typename Row, typename Key> class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    const Row &rowAt(int row) const { return m_rows.at(row); }
    const QList<Row> &rows() const { return m_rows; }

protected:
    virtual Key keyOf(const Row &row) const = 0;
    virtual bool sameData(const Row &a, const Row &b) const = 0;

    void replaceRows(const QList<Row> &incoming)
    {
        QHash<Key, int> wanted;
        wanted.reserve(incoming.size());
        for (int i = 0; i < incoming.size(); ++i)
            wanted.insert(keyOf(incoming.at(i)), i);

        // 1. Remove vanished rows, from the end, in contiguous runs.
        for (int i = int(m_rows.size()) - 1; i >= 0;) {
            if (wanted.contains(keyOf(m_rows.at(i)))) {
                --i;
                continue;
            }
            int first = i;
            while (first > 0 && !wanted.contains(keyOf(m_rows.at(first - 1))))
                --first;
            beginRemoveRows({}, first, i);
            m_rows.erase(m_rows.begin() + first, m_rows.begin() + i + 1);
            endRemoveRows();
            i = first - 1;
        }

        // 2. Update the rows that stay.
        QHash<Key, bool> present;
        present.reserve(m_rows.size());
        int runStart = -1;
        const int lastColumn = columnCount() - 1;
        for (int i = 0; i < m_rows.size(); ++i) {
            const Key key = keyOf(m_rows.at(i));
            present.insert(key, true);
            const Row &fresh = incoming.at(wanted.value(key));
            const bool changed = !sameData(m_rows.at(i), fresh);
            if (changed) {
                m_rows[i] = fresh;
                if (runStart < 0)
                    runStart = i;
            }
            if ((!changed || i == m_rows.size() - 1) && runStart >= 0) {
                const int runEnd = changed ? i : i - 1;
                Q_EMIT dataChanged(index(runStart, 0), index(runEnd, lastColumn));
                runStart = -1;
            }
        }

        // 3. Append new rows.
        QList<Row> added;
        for (const Row &row : incoming)
            if (!present.contains(keyOf(row)))
                added.append(row);
        if (!added.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
            m_rows.append(added);
            endInsertRows();
        }
    }

    QList<Row> m_rows;
};

} // namespace vigil::models
