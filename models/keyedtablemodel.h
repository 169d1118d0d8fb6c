#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace vigil::models {

// The base of every Vigil table model: typed rows (value structs in), each with a stable key,
// refreshed from a complete new list without a model reset, so selection, current index and
// scroll position survive a refresh. replaceRows() diffs the new list against the current one:
//   1. rows whose key is gone: rowsRemoved, per contiguous run, from the bottom up;
//   2. rows that stay: updated in place, one dataChanged per contiguous run of rows whose data
//      differ (sameData), spanning every column;
//   3. new keys: rowsInserted, appended at the end in the order given (views sort through a
//      proxy), in one insertion.
// A key appears once: a later duplicate in the new list is dropped (the first wins). O(n) per
// refresh with a hash of the keys. data() is computed from the typed row when a view asks, so a
// refresh of thousands of sessions allocates nothing per cell; CellTableModel stores
// precomputed cells for the small overview tables.
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

    // Row of `key`, or -1.
    int rowOfKey(const Key &key) const
    {
        for (int i = 0; i < m_rows.size(); ++i)
            if (keyOf(m_rows.at(i)) == key)
                return i;
        return -1;
    }

protected:
    virtual Key keyOf(const Row &row) const = 0;
    virtual bool sameData(const Row &a, const Row &b) const = 0;

    void replaceRows(const QList<Row> &incoming)
    {
        // Index of each key's first occurrence.
        QHash<Key, int> wanted;
        wanted.reserve(incoming.size());
        for (int i = 0; i < incoming.size(); ++i) {
            const Key key = keyOf(incoming.at(i));
            if (!wanted.contains(key))
                wanted.insert(key, i);
        }

        removeVanished(wanted);
        const QSet<Key> present = updateInPlace(incoming, wanted);
        appendNew(incoming, wanted, present);
    }

    QList<Row> m_rows;

private:
    // 1. Remove vanished rows, from the end, in contiguous runs.
    void removeVanished(const QHash<Key, int> &wanted)
    {
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
    }

    // 2. Update the rows that stay; returns their keys.
    QSet<Key> updateInPlace(const QList<Row> &incoming, const QHash<Key, int> &wanted)
    {
        QSet<Key> present;
        present.reserve(m_rows.size());
        int runStart = -1;
        const int lastColumn = columnCount() - 1;
        for (int i = 0; i < m_rows.size(); ++i) {
            const Key key = keyOf(m_rows.at(i));
            present.insert(key);
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
        return present;
    }

    // 3. Append the new keys, in the order given, duplicates dropped.
    void appendNew(const QList<Row> &incoming, const QHash<Key, int> &wanted,
                   const QSet<Key> &present)
    {
        QList<Row> added;
        for (int i = 0; i < incoming.size(); ++i) {
            const Key key = keyOf(incoming.at(i));
            if (wanted.value(key) == i && !present.contains(key))
                added.append(incoming.at(i));
        }
        if (added.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }
};

} // namespace vigil::models
