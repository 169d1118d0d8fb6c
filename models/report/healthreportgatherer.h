#pragma once

#include "models/report/healthreport.h"
#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"

#include <QObject>
#include <QPointer>
#include <functional>

namespace vigil::services {
class PgSession;
}

namespace vigil::models {

// Gathers a health report's input once, from what Vigil already has: the snapshot and chart
// history it is given (the window's ClusterWatch, or the command's own monitor), one
// pg_stat_statements sample of the leader (StatementsService: its statements.sql, on a
// connection of its own that is closed at the end; the sample is kept, and one of about a day
// ago taken as the baseline, StatementsBaselineStore), and this machine's records: the alert
// history, the cluster's timeline store and the audit log (operator actions and backups).
//
// Lives on the UI thread; never waits: the connection and the queries are asynchronous, with the
// profile's member deadline for the connection and StatementsService's for the queries. `done`
// is called exactly once, from the event loop, also when the statements cannot be read (the
// input then says why in statementsNote).
class HealthReportGatherer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        services::ClusterSnapshotPtr snapshot;
        services::ClusterProfile profile;
        QString sqlPassword; // memory only; empty: libpq's own sources
        const ChartHistory *history = nullptr;
        QDateTime chartsFrom;
        QString chartsSource;
        QString generatedBy;
        // Where the statements samples are kept (StatementsBaselineStore); empty: the default.
        QString baselineDirectory;
    };
    using Done = std::function<void(const HealthReportInput &)>;

    explicit HealthReportGatherer(QObject *parent = nullptr);
    void gather(const Request &request, Done done);

    // The records this machine keeps about `cluster` for the 24 h before in.generatedAt:
    // alerts (AlertHistory), timeline (TimelineStore, with the audit log's operator actions
    // merged in as the timeline view does), the backups in the audit log and the maintenance
    // checklist's history (ChecklistStore). Paths default to
    // the application's data folder; tests pass their own.
    struct RecordPaths
    {
        QString alertHistory; // empty: AlertHistory::defaultPath()
        QString timelineDir;  // empty: TimelineStore::defaultDirectory()
        QString auditLog;     // empty: AuditLog::defaultPath()
        QString checklistDir; // empty: ChecklistStore::defaultDirectory()
    };
    static void readRecords(HealthReportInput &in, const QString &cluster,
                            const RecordPaths &paths = {});

private:
    void readStatements();
    void keepSample(const services::StatementsSample &sample);
    void finish(const QString &note = {});

    HealthReportInput m_input;
    services::ClusterProfile m_profile;
    QString m_password;
    QString m_baselineDirectory;
    QPointer<services::PgSession> m_session;
    Done m_done;
};

} // namespace vigil::models
