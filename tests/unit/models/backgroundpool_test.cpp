// services::backgroundPool(), where Vigil's own work off the UI thread runs (a dump's hash, a
// blocker tree, freeing a large lock snapshot): painting must never wait for that work. Qt 6.4's
// raster engine splits a fill of 96 rows or more across QThreadPool::globalInstance() and waits
// for the pieces, so the work must not occupy that pool. Here on a QGuiApplication (the models
// tests' own), with the raster engine painting a QImage as it paints every widget.
#include "services/core/backgroundpool.h"

#include <QColor>
#include <QImage>
#include <QMutex>
#include <QPainter>
#include <QSemaphore>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <gtest/gtest.h>
#include <thread>

TEST(BackgroundPool, PaintingGoesOnWhileEveryThreadOfThePoolIsBusy)
{
    QThreadPool *pool = vigil::services::backgroundPool();
    const int threads = pool->maxThreadCount();
    ASSERT_GE(threads, 2);
    QSemaphore started, release, painted;
    QStringList threadNames;
    QMutex namesLock;
    for (int i = 0; i < threads; ++i)
        pool->start([&] {
            {
                const QMutexLocker lock(&namesLock);
                threadNames << QThread::currentThread()->objectName();
            }
            started.release();
            release.acquire();
        });
    ASSERT_TRUE(started.tryAcquire(threads, 30000)) << "the pool's threads did not start";

    // Were the work on the pool the painting uses, the fill below would wait for it: the
    // watchdog then ends the work, so the test fails instead of hanging.
    std::atomic<bool> watchdogEndedTheWork{false};
    std::thread watchdog([&] {
        if (!painted.tryAcquire(1, 30000)) {
            watchdogEndedTheWork = true;
            release.release(threads);
        }
    });
    QImage image(400, 400, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        // Translucent: blended span by span, 400 spans, the parallel path of the raster engine.
        painter.fillRect(image.rect(), QColor(0, 0, 255, 128));
    }
    painted.release();
    watchdog.join();
    if (!watchdogEndedTheWork)
        release.release(threads);
    pool->waitForDone();

    EXPECT_FALSE(watchdogEndedTheWork) << "painting waited for the background pool's work";
    const QColor blended = image.pixelColor(399, 399);
    EXPECT_NEAR(blended.red(), 127, 2);
    EXPECT_NEAR(blended.blue(), 255, 1);
    EXPECT_NE(pool, QThreadPool::globalInstance());
    // StallProbe counts the wait for a CPU of threads so named (the pool has no object name).
    EXPECT_EQ(threadNames, QStringList(threads, QStringLiteral("Thread (pooled)")));
}
