#include "app/gui/stallprobe.h"

#include "app/tr.h"

#include <QDateTime>
#include <algorithm>
#include <cstdio>

namespace vigil::app {

namespace {
constexpr int kTickMs = 4;
} // namespace

StallProbe::StallProbe(const QString &logFile, int thresholdMs, int reportIntervalMs,
                       QObject *parent)
    : QObject(parent)
    , m_file(logFile)
    , m_thresholdMs(thresholdMs)
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        return;
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
    m_reportTimer.setInterval(reportIntervalMs);
    connect(&m_reportTimer, &QTimer::timeout, this, &StallProbe::report);
    writeLine(QStringLiteral("start tick %1 ms threshold %2 ms").arg(kTickMs).arg(thresholdMs));
    m_clock.start();
    m_timer.start();
    m_reportTimer.start();
}

StallProbe *StallProbe::fromEnvironment(QObject *parent)
{
    const QString path = qEnvironmentVariable("VIGIL_STALL_LOG");
    if (path.isEmpty())
        return nullptr;
    auto *probe = new StallProbe(path, 10, 10000, parent);
    if (probe->isOpen())
        return probe;
    std::fprintf(stderr, "%s\n",
                 qPrintable(Tr::tr("vigil: cannot write the stall log '%1' (VIGIL_STALL_LOG): "
                                   "%2. The window runs without the stall probe.")
                                .arg(path, probe->m_file.errorString())));
    delete probe;
    return nullptr;
}

void StallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_dueNs > 0) {
        const double lateMs = double(std::max<qint64>(0, now - m_dueNs)) / 1e6;
        ++m_ticks;
        m_maxMs = std::max(m_maxMs, lateMs);
        if (lateMs > m_thresholdMs) {
            ++m_stalls;
            writeLine(QStringLiteral("stall %1 ms").arg(lateMs, 0, 'f', 1));
        }
    }
    m_dueNs = now + qint64(kTickMs) * 1'000'000;
}

void StallProbe::report()
{
    writeLine(QStringLiteral("max %1 ms ticks %2 stalls %3")
                  .arg(m_maxMs, 0, 'f', 1)
                  .arg(m_ticks)
                  .arg(m_stalls));
}

void StallProbe::writeLine(const QString &text)
{
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    m_file.write((stamp + QLatin1Char(' ') + text + QLatin1Char('\n')).toUtf8());
    m_file.flush();
}

} // namespace vigil::app
