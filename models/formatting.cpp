#include "models/formatting.h"

#include "models/tr.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <cmath>

namespace vigil::models {

namespace {
const QString kUnknown = QStringLiteral("\u2014");
} // namespace

QString formatSeconds(double seconds)
{
    if (std::isnan(seconds))
        return kUnknown;
    if (seconds < 1.0)
        return Tr::tr("%1 ms").arg(qint64(std::llround(seconds * 1000.0)));
    if (seconds < 60.0)
        return Tr::tr("%1 s").arg(QString::number(seconds, 'f', seconds < 10 ? 1 : 0));
    return formatDuration(qint64(std::llround(seconds)));
}

QString formatSeconds(const std::optional<double> &seconds)
{
    return seconds ? formatSeconds(*seconds) : kUnknown;
}

QString formatDuration(qint64 s)
{
    if (s < 0)
        return kUnknown;
    if (s < 60)
        return Tr::tr("%1 s").arg(s);
    if (s < 3600)
        return s % 60 ? Tr::tr("%1 min %2 s").arg(s / 60).arg(s % 60)
                      : Tr::tr("%1 min").arg(s / 60);
    if (s < 86400)
        return Tr::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return Tr::tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

std::optional<double> parseDurationSeconds(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*(s|sec|m|min|h|d)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    if (unit.isEmpty() || unit.startsWith(QLatin1Char('s')))
        return value;
    if (unit.startsWith(QLatin1Char('m')))
        return value * 60;
    if (unit == QLatin1String("h"))
        return value * 3600;
    return value * 86400;
}

} // namespace vigil::models
