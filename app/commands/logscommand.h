#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil logs [MEMBER] [--follow] [--level error] [--since 10m] [--grep TEXT]` plus the target
// options (TargetOptions, Use::Diagnostics: --patroni/--member/--sql/--profile): one member's
// PostgreSQL server log, read through SQL (ServerLogReader: pg_ls_logdir, pg_read_binary_file),
// one line per entry, filtered as the window's log view filters (ServerLogFilterModel). MEMBER
// is the Patroni member (the leader when not given). Without --follow it prints the last 256 KiB
// (or everything since --since) and exits 0; with --follow it keeps printing until Ctrl-C.
// Exit 1 when the server cannot be read (the message names the missing grant or setting), 2 for
// unusable options.
int runLogsCommand(const QStringList &arguments);

} // namespace vigil::app
