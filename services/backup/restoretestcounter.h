#pragma once

#include "services/backup/restoretesttypes.h"

#include <functional>

namespace vigil::services {

class PgSession;

// The restore test's connection options: both sides print every value the same way (TimeZone,
// DateStyle, IntervalStyle, extra_float_digits, bytea_output), so md5 of a row's text compares.
PgConnectionSettings withRestoreTestOptions(PgConnectionSettings settings);

// Reads restore_test_tables.sql's answer into the report's tables (no figures yet).
QList<RestoreTableCheck> restoreTestTables(const PgResult &result);

enum class CountSide
{
    Source,
    Restored
};

// Counts and checksums `tables` one after the other on `session` (restore_test_count.sql),
// writing each one's figures into the side's TableFigures. A table that cannot be counted (it
// is missing in the restored copy, say) gets the server's message as its error and the count
// goes on. `progress(index, table)` before each table; `done()` after the last. Both are
// called on the session's thread; nothing is called once the session is gone.
void countRestoreTestTables(PgSession *session, QList<RestoreTableCheck> *tables, CountSide side,
                            std::function<void(int index, const QString &table)> progress,
                            std::function<void()> done);

} // namespace vigil::services
