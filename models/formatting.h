#pragma once

#include "services/core/formatting.h"

#include <QString>
#include <optional>

// Display formatting shared by the GUI models and the headless commands, so a figure reads the
// same in a table, a chart tooltip and `vigil status`.
namespace vigil::models {

// Byte counts: the one formatter of every layer, IEC units ("0 B", "1.5 KiB", "16 MiB").
using services::formatBytes;

QString formatSeconds(double seconds); // "0 ms", "850 ms", "3.2 s", "4 min 5 s"
QString formatSeconds(const std::optional<double> &seconds);
QString formatDuration(qint64 seconds); // "45 s", "12 min", "3 h 4 min", "2 d 3 h"
// A duration as typed on the command line: "90", "90s", "5m", "5min", "2h", "1d" → seconds;
// nullopt when unreadable (`vigil sessions --min-duration`, `vigil terminate`).
std::optional<double> parseDurationSeconds(const QString &text);

} // namespace vigil::models
