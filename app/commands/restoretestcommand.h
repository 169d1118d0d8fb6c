#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil restore-test --database DB [--member M] [--target local|cluster] [--keep-dump FILE]`
// or `vigil restore-test --dump FILE [--target ...]`, plus the target options (TargetOptions,
// Use::Diagnostics): the restore test (services::RestoreTest) run headless. Progress goes to
// stderr, one line per phase and table; stdout gets the per-table report (TextTable: source vs
// restored rows and checksum, pass/fail), times and sizes, and the verdict. The result is
// appended to the audit log (and so reaches the timeline). Ctrl-C cancels: pg_dump/pg_restore
// are ended and the scratch database or instance is removed before the command exits.
// Exit 0: passed (proven); 1: a table differs, pg_restore erred, the test failed or was
// cancelled; 3: a dump without recorded counts was restored and counted (nothing proven);
// 2: unusable options.
int runRestoreTestCommand(const QStringList &arguments);

} // namespace vigil::app
