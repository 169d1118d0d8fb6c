// The topology with PgBouncer's proven routes, painted offscreen to PNG (VIGIL_ARTIFACTS_DIR)
// for the two sandbox shapes and a misrouted database: each route is its own labelled edge, and
// the edges of one pair of boxes do not sit on top of each other.
#include "models/topologymodel.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"
#include "ui/overview/topologywidget.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <gtest/gtest.h>

using namespace vigil;

namespace {

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

// Paints `snap` at a typical overview size and saves it; returns the image.
QImage render(const services::ClusterSnapshot &snap, const QString &file)
{
    models::TopologyModel model;
    model.setSnapshot(test::share(snap));
    ui::TopologyWidget widget;
    widget.setModel(&model);
    widget.resize(1280, 760);
    const QImage image = widget.grab().toImage();
    EXPECT_TRUE(image.save(artifact(file))) << file.toStdString();
    EXPECT_FALSE(widget.nodeRect(QStringLiteral("node1")).isEmpty());
    return image;
}

// How many pixels of `image` are (close to) `color`.
int pixelsOf(const QImage &image, const QColor &color)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) < 12 && std::abs(c.green() - color.green()) < 12 &&
                std::abs(c.blue() - color.blue()) < 12)
                ++n;
        }
    return n;
}

services::ClusterSnapshot withRoutes(bool production)
{
    test::SandboxShape shape;
    shape.takenAt = QDateTime::currentDateTimeUtc();
    services::ClusterSnapshot s = test::healthySnapshot(shape);
    test::addProvenRoutes(s, production);
    return s;
}

} // namespace

TEST(TopologyRoutes, RendersBothSandboxShapesAndAMisroute)
{
    const QColor critical = models::healthColor(models::Health::Critical);
    const QImage fast = render(withRoutes(false), QStringLiteral("topology-routes-fast.png"));
    const QImage production =
        render(withRoutes(true), QStringLiteral("topology-routes-production.png"));

    services::ClusterSnapshot misrouted = withRoutes(true);
    for (services::ClientRoute &r : misrouted.pgbouncer.routes)
        if (r.name == QLatin1String("postgres")) {
            r.port += 1; // the field report: a read-write database on the read-only port
            test::landOn(r, misrouted, QStringLiteral("node3"));
        }
    services::matchRouteMembers(misrouted.pgbouncer.routes, misrouted.members);
    const QImage bad = render(misrouted, QStringLiteral("topology-routes-misrouted.png"));

    // Healthy: nothing in the critical colour; misrouted: the edge and PgBouncer's band are.
    EXPECT_LT(pixelsOf(production, critical), 20);
    EXPECT_LT(pixelsOf(fast, critical), 20);
    EXPECT_GT(pixelsOf(bad, critical), 200);
}
