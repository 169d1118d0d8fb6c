#include "models/health.h"
#include "models/membersmodel.h"
#include "models/swatchiconengine.h"
#include "support/snapshotbuilder.h"

#include <QIcon>
#include <QImage>
#include <QPainter>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::models;

namespace {

// The colour a QIcon paints in the middle of a 16 x 16 rectangle.
QColor paintedColor(const QIcon &icon, QIcon::Mode mode = QIcon::Normal)
{
    QImage image(16, 16, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter p(&image);
        icon.paint(&p, QRect(0, 0, 16, 16), Qt::AlignCenter, mode);
    }
    return image.pixelColor(8, 8);
}

} // namespace

TEST(SwatchIconEngine, OneSharedIconPerColour)
{
    const QColor ok = healthColor(Health::Ok);
    const QIcon a = SwatchIconEngine::icon(ok);
    const QIcon b = SwatchIconEngine::icon(ok);
    ASSERT_FALSE(a.isNull());
    // The same icon (same cacheKey) each time: a view painting it a million times adds nothing.
    EXPECT_EQ(a.cacheKey(), b.cacheKey());
    EXPECT_NE(a.cacheKey(), SwatchIconEngine::icon(healthColor(Health::Critical)).cacheKey());
    EXPECT_EQ(paintedColor(a), ok);
    EXPECT_EQ(paintedColor(SwatchIconEngine::icon(healthColor(Health::Critical))),
              healthColor(Health::Critical));
    // Selected keeps the health colour; disabled is faded (not the full colour).
    EXPECT_EQ(paintedColor(a, QIcon::Selected), ok);
    EXPECT_LT(paintedColor(a, QIcon::Disabled).alpha(), 255);
}

TEST(SwatchIconEngine, UnsharedPastTheCapStillPaints)
{
    // More distinct colours than the shared table holds: the table stops growing, the icon is
    // still a swatch of the asked colour.
    for (int i = 0; i < SwatchIconEngine::kMaxShared + 8; ++i)
        SwatchIconEngine::icon(QColor(i, 1, 2));
    const QColor late(SwatchIconEngine::kMaxShared + 4, 1, 2);
    EXPECT_EQ(paintedColor(SwatchIconEngine::icon(late)), late);
}

TEST(MembersModel, DecorationIsTheHealthsSharedIcon)
{
    // A colour decoration used to reach the view as a QColor, from which QStyledItemDelegate made
    // a new pixmap on every paint (each one kept in QPixmapCache under its new cacheKey): the
    // soak's heap growth. The model now hands out one icon per health colour.
    MembersModel model;
    test::SandboxShape shape;
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    const QModelIndex node1 =
        model.index(model.rowOf(QStringLiteral("node1")), MembersModel::Member);
    const QVariant first = model.data(node1, Qt::DecorationRole);
    ASSERT_EQ(first.typeId(), QMetaType::QIcon);
    const QIcon icon = first.value<QIcon>();
    EXPECT_EQ(paintedColor(icon), healthColor(Health::Ok));

    // The same state again, another cell of the same health, and after a refresh: one icon.
    EXPECT_EQ(model.data(node1, Qt::DecorationRole).value<QIcon>().cacheKey(), icon.cacheKey());
    const QModelIndex node2Rest =
        model.index(model.rowOf(QStringLiteral("node2")), MembersModel::Rest);
    EXPECT_EQ(model.data(node2Rest, Qt::DecorationRole).value<QIcon>().cacheKey(), icon.cacheKey());
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    EXPECT_EQ(model.data(node1, Qt::DecorationRole).value<QIcon>().cacheKey(), icon.cacheKey());

    // A crashed leader: its decoration is the critical colour's icon, a different one.
    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    const QIcon crashed =
        model
            .data(model.index(model.rowOf(QStringLiteral("node1")), MembersModel::Member),
                  Qt::DecorationRole)
            .value<QIcon>();
    EXPECT_NE(crashed.cacheKey(), icon.cacheKey());
    EXPECT_EQ(paintedColor(crashed), healthColor(Health::Critical));
}
