#include "services/backup/backupaudit.h"

namespace vigil::services {

AuditEntry backupAuditEntry(const QString &cluster, const QString &member,
                            const PgDumpRequest &request, const BackupResult *result,
                            const ServiceError &error)
{
    AuditEntry e;
    e.cluster = cluster;
    e.member = member;
    e.action = QStringLiteral("backup");
    e.parameters = {{QStringLiteral("database"), request.database},
                    {QStringLiteral("file"), request.outputFile},
                    {QStringLiteral("format"), QStringLiteral("custom (pg_dump -Fc)")}};
    if (result) {
        e.parameters.insert(QStringLiteral("host"), result->host);
        e.parameters.insert(QStringLiteral("bytes"), double(result->bytes));
        e.parameters.insert(QStringLiteral("sha256"), QString::fromLatin1(result->sha256Hex));
        e.parameters.insert(QStringLiteral("elapsed_ms"), double(result->elapsedMs));
        e.result = QStringLiteral("ok");
        e.serverAnswer = result->pgDumpVersion;
    } else {
        e.parameters.insert(QStringLiteral("host"), error.host);
        e.result = error.kind == ServiceError::Kind::Cancelled ? QStringLiteral("cancelled")
                                                               : QStringLiteral("failed");
        e.serverAnswer = error.toText();
    }
    return e;
}

} // namespace vigil::services
