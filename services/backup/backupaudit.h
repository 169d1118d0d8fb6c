#pragma once

#include "services/backup/pgdumprunner.h"
#include "services/core/auditlog.h"

namespace vigil::services {

// The audit log's entry for one backup (action "backup"): who (set by AuditLog::append), the
// cluster and member it was taken from, what (database, file, host) and the result: "ok" with
// size and SHA-256, "failed" or "cancelled" with the message. The window and `vigil backup`
// append the same entry.
AuditEntry backupAuditEntry(const QString &cluster, const QString &member,
                            const PgDumpRequest &request, const BackupResult *result,
                            const ServiceError &error);

} // namespace vigil::services
