#include "services/backup/backupaudit.h"

#include <QJsonArray>

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

AuditEntry restoreTestAuditEntry(const QString &cluster, const QString &member,
                                 const QString &database, const RestoreTestResult &result)
{
    AuditEntry e;
    e.cluster = cluster;
    e.member = member;
    e.action = QStringLiteral("restore_test");
    QJsonArray failedTables;
    for (const RestoreTableCheck &t : result.tables)
        if (!t.matches())
            failedTables.append(t.qualifiedName());
    e.parameters = {{QStringLiteral("database"), database},
                    {QStringLiteral("dump"), result.dumpFile},
                    {QStringLiteral("source_host"), result.sourceHost},
                    {QStringLiteral("snapshot"), result.snapshot},
                    {QStringLiteral("target"), result.targetDescription},
                    {QStringLiteral("proven"), result.proven},
                    {QStringLiteral("tables"), int(result.tables.size())},
                    {QStringLiteral("failed_tables"), failedTables},
                    {QStringLiteral("dump_bytes"), double(result.dumpBytes)},
                    {QStringLiteral("restored_bytes"), double(result.restoredDatabaseBytes)},
                    {QStringLiteral("dump_ms"), double(result.dumpMs)},
                    {QStringLiteral("restore_ms"), double(result.restoreMs)},
                    {QStringLiteral("count_ms"), double(result.countMs)},
                    {QStringLiteral("total_ms"), double(result.totalMs)},
                    {QStringLiteral("scratch_removed"), result.scratchRemoved}};
    if (result.error.kind == ServiceError::Kind::Cancelled)
        e.result = QStringLiteral("cancelled");
    else if (result.passed())
        e.result = QStringLiteral("ok");
    else if (!result.error && !result.proven && result.restoreErrors.isEmpty())
        e.result = QStringLiteral("partial");
    else
        e.result = QStringLiteral("failed");
    QStringList answer;
    if (result.error)
        answer << result.error.toText();
    answer << result.restoreErrors;
    if (!result.cleanupError.isEmpty())
        answer << result.cleanupError;
    e.serverAnswer = answer.join(QLatin1Char('\n'));
    return e;
}

} // namespace vigil::services
