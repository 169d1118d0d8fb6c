#pragma once

#include "services/backup/pgdumprunner.h"
#include "services/backup/restoretesttypes.h"
#include "services/core/auditlog.h"

namespace vigil::services {

// The audit log's entry for one backup (action "backup"): who (set by AuditLog::append), the
// cluster and member it was taken from, what (database, file, host) and the result: "ok" with
// size and SHA-256, "failed" or "cancelled" with the message. The window and `vigil backup`
// append the same entry.
AuditEntry backupAuditEntry(const QString &cluster, const QString &member,
                            const PgDumpRequest &request, const BackupResult *result,
                            const ServiceError &error);

// The audit log's entry for one restore test (action "restore_test"), so it reaches the
// timeline: the database or dump, the target, the verdict ("ok" passed; "failed" a table
// differs, pg_restore erred or the test could not finish; "partial" restored and counted
// without recorded source counts, so nothing is proven; "cancelled"), the tables that failed,
// times and sizes. The window and `vigil restore-test` append the same entry.
AuditEntry restoreTestAuditEntry(const QString &cluster, const QString &member,
                                 const QString &database, const RestoreTestResult &result);

} // namespace vigil::services
