// The one no-reset diff of every table model (models/keyedtablemodel.h), on a minimal model.
#include "models/keyedtablemodel.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil::models;

namespace {

struct Item
{
    QString key;
    int value = 0;
};

class ItemModel : public KeyedTableModel<Item, QString>
{
public:
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : 2;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid() || role != Qt::DisplayRole)
            return {};
        const Item &item = rowAt(index.row());
        return index.column() == 0 ? QVariant(item.key) : QVariant(item.value);
    }
    void set(const QList<Item> &items) { replaceRows(items); }
    QStringList keys() const
    {
        QStringList out;
        for (const Item &i : rows())
            out << i.key;
        return out;
    }

protected:
    QString keyOf(const Item &item) const override { return item.key; }
    bool sameData(const Item &a, const Item &b) const override { return a.value == b.value; }
};

QList<Item> items(std::initializer_list<std::pair<const char *, int>> list)
{
    QList<Item> out;
    for (const auto &[key, value] : list)
        out.append({QLatin1String(key), value});
    return out;
}

} // namespace

TEST(KeyedTableModel, RemovesUpdatesAndAppendsWithoutReset)
{
    ItemModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.set(items({{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 5}}));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // b, c and e vanish (two removal runs); a and d change and, once the others are gone, sit
    // in rows 0 and 1 (one dataChanged); f is new and goes to the end whatever its place.
    model.set(items({{"f", 6}, {"d", 40}, {"a", 10}}));
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(removed.count(), 2);
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    EXPECT_EQ(changed.at(0).at(1).value<QModelIndex>().row(), 1);
    EXPECT_EQ(changed.at(0).at(1).value<QModelIndex>().column(), 1);
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_EQ(model.keys(),
              (QStringList{QStringLiteral("a"), QStringLiteral("d"), QStringLiteral("f")}));
    EXPECT_EQ(model.rowAt(1).value, 40);
    EXPECT_EQ(model.rowOfKey(QStringLiteral("f")), 2);
    EXPECT_EQ(model.rowOfKey(QStringLiteral("b")), -1);
}

TEST(KeyedTableModel, SameDataEmitsNothingAndRunsAreContiguous)
{
    ItemModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.set(items({{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}}));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.set(items({{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}}));
    EXPECT_EQ(changed.count(), 0);

    // a and c, d change: two runs, [0, 0] and [2, 3].
    model.set(items({{"a", 9}, {"b", 2}, {"c", 9}, {"d", 9}}));
    ASSERT_EQ(changed.count(), 2);
    EXPECT_EQ(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    EXPECT_EQ(changed.at(0).at(1).value<QModelIndex>().row(), 0);
    EXPECT_EQ(changed.at(1).at(0).value<QModelIndex>().row(), 2);
    EXPECT_EQ(changed.at(1).at(1).value<QModelIndex>().row(), 3);
}

TEST(KeyedTableModel, ADuplicateKeyIsDroppedTheFirstWins)
{
    ItemModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.set(items({{"a", 1}, {"b", 2}, {"a", 3}, {"b", 4}}));
    EXPECT_EQ(model.keys(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    EXPECT_EQ(model.rowAt(0).value, 1);
    EXPECT_EQ(model.rowAt(1).value, 2);

    // A duplicate of a key already shown does not replace the first occurrence either.
    model.set(items({{"b", 20}, {"a", 1}, {"b", 30}, {"c", 5}, {"c", 6}}));
    EXPECT_EQ(model.keys(),
              (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    EXPECT_EQ(model.rowAt(1).value, 20);
    EXPECT_EQ(model.rowAt(2).value, 5);

    model.set({});
    EXPECT_EQ(model.rowCount(), 0);
}
