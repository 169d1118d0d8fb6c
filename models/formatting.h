#pragma once

#include <QString>
#include <optional>

// Display formatting shared by the GUI models and the headless commands, so a figure reads the
// same in a table, a chart tooltip and `vigil status`.
namespace vigil::models {

QString formatBytes(qint64 bytes);                       // "0 B", "12.3 kB", "4.0 MB", "1.2 GB"
QString formatBytes(const std::optional<qint64> &bytes); // "—" when unknown
QString formatSeconds(double seconds);                   // "0 ms", "850 ms", "3.2 s", "4 min 5 s"
QString formatSeconds(const std::optional<double> &seconds);
QString formatDuration(qint64 seconds); // "45 s", "12 min", "3 h 4 min", "2 d 3 h"

} // namespace vigil::models
