#pragma once

#include <QString>
#include <optional>

namespace vigil::services {

// Byte counts as every layer shows them (a table cell, a chart tooltip, a pre-flight sentence,
// `vigil status`), so one figure reads the same everywhere.
//
// IEC units: 1 KiB = 1024 B, 1 MiB = 1024 KiB, up to TiB. PostgreSQL and Patroni count in
// powers of two (pg_size_pretty's "kB"/"MB" are 1024-based too), so the binary prefixes say
// exactly what the figure is. Below 1 KiB the exact count ("1023 B"); above, one decimal
// under 10 ("1.5 KiB", "9.9 MiB") and none from 10 on ("16 MiB", "1023 GiB"). A value that
// rounds to 1024 of a unit is shown in the next one ("1.0 MiB", not "1024 KiB"). Negative
// values keep their sign ("-2.0 KiB"). The decimal point is always '.'.
QString formatBytes(qint64 bytes);
// "—" when unknown.
QString formatBytes(const std::optional<qint64> &bytes);

} // namespace vigil::services
