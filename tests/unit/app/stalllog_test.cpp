// The opt-in stall log of the UI thread (VIGIL_STALL_LOG): a blocked event loop is measured and
// logged with its time; an idle one is not; nothing is made when the variable is unset.
#include "app/gui/stalllog.h"
#include "support/eventloop.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
QString readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}
} // namespace

TEST(StallLog, LogsABlockedEventLoopWithItsLatenessAndTime)
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("stalls.log"));
    app::StallLog probe(log, 10, 200);
    ASSERT_TRUE(probe.isOpen());
    test::spin(300); // ticks on time first
    // The UI thread is busy for 80 ms: the next tick is at least ~70 ms late.
    QTimer::singleShot(0, [] { QThread::msleep(80); });
    test::spin(500);

    EXPECT_GT(probe.ticks(), 20);
    EXPECT_GE(probe.stalls(), 1);
    EXPECT_GE(probe.maxLatenessMs(), 60.0);
    EXPECT_LT(probe.maxLatenessMs(), 5000.0);
    const QString text = readAll(log);
    static const QRegularExpression stall(
        QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z stall (\d+\.\d) ms$)"),
        QRegularExpression::MultilineOption);
    // Every stall line is well-formed; the longest is the blocked 80 ms (on a loaded machine
    // shorter stalls over the threshold may come first).
    double longestLogged = 0;
    int lines = 0;
    for (auto it = stall.globalMatch(text); it.hasNext(); ++lines)
        longestLogged = std::max(longestLogged, it.next().captured(1).toDouble());
    ASSERT_GE(lines, 1) << text.toStdString();
    EXPECT_EQ(lines, probe.stalls()) << text.toStdString();
    EXPECT_GE(longestLogged, 60.0) << text.toStdString();
    // The periodic line carries the maximum so far.
    static const QRegularExpression max(
        QStringLiteral(R"(Z max (\d+\.\d) ms ticks \d+ stalls \d+$)"),
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch mm = max.match(text);
    ASSERT_TRUE(mm.hasMatch()) << text.toStdString();
}

TEST(StallLog, AnIdleLoopLogsNoStallAboveAGenerousThreshold)
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("stalls.log"));
    // A loaded test machine may be a few ms late now and then; 500 ms would be a real stall.
    app::StallLog probe(log, 500, 100);
    test::spin(400);
    EXPECT_GT(probe.ticks(), 20);
    EXPECT_EQ(probe.stalls(), 0);
    EXPECT_FALSE(readAll(log).contains(QStringLiteral(" stall ")));
    EXPECT_TRUE(readAll(log).contains(QStringLiteral(" max ")));
}

TEST(StallLog, IsOffUnlessTheEnvironmentAsksForIt)
{
    qunsetenv("VIGIL_STALL_LOG");
    EXPECT_EQ(app::StallLog::fromEnvironment(nullptr), nullptr);

    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("env.log"));
    qputenv("VIGIL_STALL_LOG", log.toUtf8());
    std::unique_ptr<app::StallLog> probe(app::StallLog::fromEnvironment(nullptr));
    qunsetenv("VIGIL_STALL_LOG");
    ASSERT_NE(probe, nullptr);
    EXPECT_TRUE(probe->isOpen());
    EXPECT_TRUE(readAll(log).contains(QStringLiteral(" start tick 4 ms threshold 10 ms")));
}

TEST(StallLog, AFileThatCannotBeWrittenMakesNoProbe)
{
    qputenv("VIGIL_STALL_LOG", "/nonexistent-dir/stalls.log");
    EXPECT_EQ(app::StallLog::fromEnvironment(nullptr), nullptr);
    qunsetenv("VIGIL_STALL_LOG");
}
