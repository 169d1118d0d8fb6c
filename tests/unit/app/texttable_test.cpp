// The one text-table renderer of the commands: widths, padding, alignment, cuts, both styles.
#include "app/commands/texttable.h"

#include <gtest/gtest.h>

using vigil::app::TextTable;

TEST(TextTable, BoxedLikePatronictl)
{
    TextTable t({QStringLiteral("Member"), QStringLiteral("TL"), QStringLiteral("Tags")});
    t.setRightAligned(1);
    t.addRow({QStringLiteral("node1"), QStringLiteral("12"), QString()});
    t.addRow({QStringLiteral("node20"), QStringLiteral("3"), QStringLiteral("nofailover")});
    EXPECT_EQ(t.rowCount(), 2);
    EXPECT_EQ(t.render(TextTable::Style::Boxed).toStdString(), "+--------+----+------------+\n"
                                                               "| Member | TL | Tags       |\n"
                                                               "+--------+----+------------+\n"
                                                               "| node1  | 12 |            |\n"
                                                               "| node20 |  3 | nofailover |\n"
                                                               "+--------+----+------------+\n");
}

TEST(TextTable, MissingCellsAreEmptyAndExtraCellsIgnored)
{
    TextTable t({QStringLiteral("A"), QStringLiteral("B")});
    t.addRow({QStringLiteral("x")});
    t.addRow({QStringLiteral("y"), QStringLiteral("z"), QStringLiteral("ignored")});
    EXPECT_EQ(t.render(TextTable::Style::Boxed).toStdString(), "+---+---+\n"
                                                               "| A | B |\n"
                                                               "+---+---+\n"
                                                               "| x |   |\n"
                                                               "| y | z |\n"
                                                               "+---+---+\n");
}

TEST(TextTable, HeaderOnly)
{
    const TextTable t({QStringLiteral("Pid"), QStringLiteral("Query")});
    EXPECT_EQ(t.render(TextTable::Style::Boxed).toStdString(),
              "+-----+-------+\n| Pid | Query |\n+-----+-------+\n+-----+-------+\n");
    EXPECT_EQ(t.render(TextTable::Style::Plain).toStdString(), "Pid  Query\n");
}

TEST(TextTable, PlainLastColumnUnpaddedAndLinesTrimmed)
{
    TextTable t({QStringLiteral("Pid"), QStringLiteral("User"), QStringLiteral("Query")});
    t.addRow({QStringLiteral("7"), QStringLiteral("postgres"), QStringLiteral("SELECT 1")});
    t.addRow({QStringLiteral("12345"), QStringLiteral("u"), QString()});
    EXPECT_EQ(t.render(TextTable::Style::Plain).toStdString(), "Pid    User      Query\n"
                                                               "7      postgres  SELECT 1\n"
                                                               "12345  u\n");
}

TEST(TextTable, MaxWidthCutsBodyCellsNotTheHeader)
{
    TextTable t({QStringLiteral("Application"), QStringLiteral("Query")});
    t.setMaxWidth(0, 4);
    t.setMaxWidth(1, 6);
    t.addRow({QStringLiteral("hokm-admin-batch"), QStringLiteral("SELECT * FROM t")});
    t.addRow({QStringLiteral("ab"), QStringLiteral("VACUUM")});
    EXPECT_EQ(t.render(TextTable::Style::Plain).toStdString(), "Application  Query\n"
                                                               "hokm         SELECT\n"
                                                               "ab           VACUUM\n");
    EXPECT_EQ(t.render(TextTable::Style::Boxed).toStdString(), "+-------------+--------+\n"
                                                               "| Application | Query  |\n"
                                                               "+-------------+--------+\n"
                                                               "| hokm        | SELECT |\n"
                                                               "| ab          | VACUUM |\n"
                                                               "+-------------+--------+\n");
}
