#include "app/gui/stalllog.h"

#include "app/tr.h"

#include <QDateTime>
#include <cstdio>

namespace vigil::app {

namespace {
constexpr int kTickMs = 4;
} // namespace

StallLog::StallLog(const QString &logFile, int thresholdMs, int reportIntervalMs, QObject *parent)
    : QObject(parent)
    , m_file(logFile)
    , m_probe(kTickMs)
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        return;
    m_probe.setStallThreshold(thresholdMs, [this](double lateMs) {
        writeLine(QStringLiteral("stall %1 ms").arg(lateMs, 0, 'f', 1));
    });
    m_reportTimer.setInterval(reportIntervalMs);
    connect(&m_reportTimer, &QTimer::timeout, this, &StallLog::report);
    writeLine(QStringLiteral("start tick %1 ms threshold %2 ms").arg(kTickMs).arg(thresholdMs));
    m_probe.start();
    m_reportTimer.start();
}

StallLog *StallLog::fromEnvironment(QObject *parent)
{
    const QString path = qEnvironmentVariable("VIGIL_STALL_LOG");
    if (path.isEmpty())
        return nullptr;
    auto *log = new StallLog(path, 10, 10000, parent);
    if (log->isOpen())
        return log;
    std::fprintf(stderr, "%s\n",
                 qPrintable(Tr::tr("vigil: cannot write the stall log '%1' (VIGIL_STALL_LOG): "
                                   "%2. The window runs without the stall probe.")
                                .arg(path, log->m_file.errorString())));
    delete log;
    return nullptr;
}

void StallLog::report()
{
    writeLine(QStringLiteral("max %1 ms ticks %2 stalls %3")
                  .arg(m_probe.longestMs(), 0, 'f', 1)
                  .arg(m_probe.ticks())
                  .arg(m_probe.stalls()));
}

void StallLog::writeLine(const QString &text)
{
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    m_file.write((stamp + QLatin1Char(' ') + text + QLatin1Char('\n')).toUtf8());
    m_file.flush();
}

} // namespace vigil::app
