#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil backup --database DB --out FILE [--member NAME] [--pg-dump PATH]` plus the target
// options (TargetOptions, Use::Diagnostics: --patroni/--member/--sql/--profile and the TLS
// files): a full backup with `pg_dump -Fc` (PgDumpRunner) of one database, from a replica unless
// --member names another member (with --sql alone: that server). The password comes from
// --profile's keychain entry, PGPASSWORD or libpq's own files, and reaches pg_dump only through a
// temporary 0600 pgpass file. Progress goes to stderr, one line per table; at the end stdout
// gets the file, its size and SHA-256 (also written to FILE.sha256). Ctrl-C cancels (pg_dump
// ended, the partial file and the password file removed). The backup is appended to the audit
// log. Exit 0 when the dump is complete, 1 when it failed or was cancelled, 2 for unusable
// options.
int runBackupCommand(const QStringList &arguments);

} // namespace vigil::app
