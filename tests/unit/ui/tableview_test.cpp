// The overview's table: columns fitted to the first contents, then grown when new contents would
// be cut off, except where the user set a width by hand; fitted again when the font changes.
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/widgets/tableview.h"

#include <QApplication>
#include <QHeaderView>
#include <QStandardItemModel>
#include <gtest/gtest.h>

using namespace vigil;

TEST(TableView, ColumnsGrowForLongerContentsUnlessSizedByHand)
{
    QStandardItemModel model(3, 3);
    ui::TableView view(&model);
    view.resize(900, 300);
    view.show();
    for (int i = 0; i < 4; ++i) // past the first fits
        for (int r = 0; r < 3; ++r) {
            model.setData(model.index(r, 0), QStringLiteral("node%1").arg(r + 1));
            model.setData(model.index(r, 1), QStringLiteral("OK"));
            model.setData(model.index(r, 2), QStringLiteral("tags"));
        }
    QApplication::processEvents();
    const int narrow = view.columnWidth(1);
    model.setData(model.index(0, 1),
                  QStringLiteral("Unreachable: Connection refused (127.0.0.1:55310)"));
    QApplication::processEvents(); // columns are measured once per event-loop turn
    EXPECT_GT(view.columnWidth(1), narrow);
    EXPECT_TRUE(view.allColumnsFit());

    view.horizontalHeader()->resizeSection(0, 40); // the user wants it narrow
    const int byHand = view.columnWidth(0);
    model.setData(model.index(1, 0), QStringLiteral("a-much-longer-member-name"));
    QApplication::processEvents();
    EXPECT_EQ(view.columnWidth(0), byHand) << "a width set by hand is left alone";

    QFont big = view.font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    view.setFont(big);
    ASSERT_TRUE(test::waitUntil([&] { return view.allColumnsFit(); }, 2000))
        << "the font change fits every column again";
}
