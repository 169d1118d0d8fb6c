// CellRoles, the cells of every CellTableModel: role → value with QHash's behaviour (a second
// insert replaces, a missing role gives the fallback, equality ignores the order of insertion),
// at a fraction of a QHash's memory per cell.
#include "models/celltablemodel.h"

#include <QColor>
#include <gtest/gtest.h>

using vigil::models::CellRoles;
using vigil::models::CellTableModel;

TEST(CellRoles, BehavesLikeTheHashItReplaces)
{
    CellRoles c;
    EXPECT_TRUE(c.isEmpty());
    EXPECT_FALSE(c.value(Qt::DisplayRole).isValid());
    EXPECT_EQ(c.value(Qt::DisplayRole, 7).toInt(), 7);

    c.insert(Qt::DisplayRole, QStringLiteral("node1"));
    c.insert(CellTableModel::SortRole, 3);
    c.insert(Qt::DisplayRole, QStringLiteral("node2")); // replaces
    EXPECT_EQ(c.size(), 2);
    EXPECT_EQ(c.value(Qt::DisplayRole).toString(), QStringLiteral("node2"));
    EXPECT_EQ(c.value(CellTableModel::SortRole).toInt(), 3);
    EXPECT_TRUE(c.contains(CellTableModel::SortRole));
    EXPECT_FALSE(c.contains(Qt::ToolTipRole));

    CellRoles d; // the same roles, inserted the other way round
    d.insert(CellTableModel::SortRole, 3);
    d.insert(Qt::DisplayRole, QStringLiteral("node2"));
    EXPECT_EQ(c, d);
    d.insert(Qt::DecorationRole, QColor(Qt::red));
    EXPECT_NE(c, d) << "a role more";
    d.remove(Qt::DecorationRole);
    EXPECT_EQ(c, d);
    d.insert(CellTableModel::SortRole, 4);
    EXPECT_NE(c, d) << "a value differs";
}
