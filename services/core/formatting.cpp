#include "services/core/formatting.h"

#include "services/core/error.h"

#include <cmath>

namespace vigil::services {

QString formatBytes(qint64 bytes)
{
    double value = std::abs(double(bytes));
    if (value < 1024.0)
        return Tr::tr("%1 B").arg(bytes);
    constexpr int kLastUnit = 4; // TiB
    int unit = 0;
    while (unit < kLastUnit && value >= 1024.0) {
        value /= 1024.0;
        ++unit;
    }
    // 1048575 B is 1023.999 KiB: it reads "1.0 MiB", not "1024 KiB".
    if (unit < kLastUnit && std::round(value) >= 1024.0) {
        value /= 1024.0;
        ++unit;
    }
    const int decimals = value < 9.95 ? 1 : 0;
    const QString number =
        (bytes < 0 ? QStringLiteral("-") : QString()) + QString::number(value, 'f', decimals);
    switch (unit) {
    case 1:
        return Tr::tr("%1 KiB").arg(number);
    case 2:
        return Tr::tr("%1 MiB").arg(number);
    case 3:
        return Tr::tr("%1 GiB").arg(number);
    default:
        return Tr::tr("%1 TiB").arg(number);
    }
}

QString formatBytes(const std::optional<qint64> &bytes)
{
    return bytes ? formatBytes(*bytes) : QStringLiteral("\u2014");
}

} // namespace vigil::services
