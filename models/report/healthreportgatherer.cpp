#include "models/report/healthreportgatherer.h"

#include "models/report/statementsbaseline.h"
#include "models/tr.h"
#include "services/core/auditlog.h"
#include "services/diagnostics/statementsservice.h"
#include "services/maintenance/checkliststore.h"
#include "services/monitor/alerthistory.h"
#include "services/postgres/pgsession.h"
#include "services/timeline/timelinerecorder.h"
#include "services/timeline/timelinestore.h"

#include <QTimer>
#include <chrono>

namespace vigil::models {

HealthReportGatherer::HealthReportGatherer(QObject *parent)
    : QObject(parent)
{
}

void HealthReportGatherer::readRecords(HealthReportInput &in, const QString &cluster,
                                       const RecordPaths &paths)
{
    const QDateTime since = in.generatedAt.addSecs(-in.timelineWindowSeconds);
    const services::AlertHistory alerts(
        paths.alertHistory.isEmpty() ? services::AlertHistory::defaultPath() : paths.alertHistory);
    for (const services::AlertEvent &e : alerts.readAll())
        if (e.cluster == cluster && e.at >= since && e.at <= in.generatedAt)
            in.alerts << e;

    const services::AuditLog audit(paths.auditLog.isEmpty() ? services::AuditLog::defaultPath()
                                                            : paths.auditLog);
    const QList<services::AuditEntry> entries = audit.readAll();
    for (const services::AuditEntry &e : entries)
        if (e.cluster == cluster && e.action == QStringLiteral("backup"))
            in.backups << e;

    const services::TimelineStore store(cluster, paths.timelineDir.isEmpty()
                                                     ? services::TimelineStore::defaultDirectory()
                                                     : paths.timelineDir);
    services::TimelineRecorder recorder(cluster);
    recorder.setMemoryLimit(0); // the report's whole period
    recorder.setKnownEvents(store.readSince(since));
    recorder.importAudit(entries);
    for (const services::TimelineEvent &e : recorder.events())
        if (e.at >= since && e.at <= in.generatedAt)
            in.timeline << e;

    in.checklist =
        services::ChecklistStore(cluster, paths.checklistDir.isEmpty()
                                              ? services::ChecklistStore::defaultDirectory()
                                              : paths.checklistDir)
            .readAll();
}

void HealthReportGatherer::gather(const Request &request, Done done)
{
    m_done = std::move(done);
    m_profile = request.profile;
    m_password = request.sqlPassword;
    m_baselineDirectory = request.baselineDirectory;
    m_input = {};
    m_input.snapshot = request.snapshot;
    m_input.generatedAt = QDateTime::currentDateTimeUtc();
    m_input.generatedBy = request.generatedBy;
    m_input.history = request.history;
    m_input.chartsFrom = request.chartsFrom;
    m_input.chartsSource = request.chartsSource;
    readRecords(m_input, request.snapshot->profileName);
    readStatements();
}

void HealthReportGatherer::readStatements()
{
    const services::MemberSnapshot *leader = m_input.snapshot->leader();
    if (!leader || leader->host.isEmpty()) {
        // Never before gather() returns: done is called from the event loop.
        QTimer::singleShot(0, this, [this] {
            finish(Tr::tr("pg_stat_statements was not read: the cluster has no leader."));
        });
        return;
    }
    const auto settings = services::PgConnectionSettings::forApplication(
                              m_profile.sqlConninfo, QStringLiteral("vigil report"), m_password)
                              .atMember(leader->host, leader->port);
    m_session = new services::PgSession(this);
    auto *statements = new services::StatementsService(m_session, m_session);
    const QString member = leader->name;
    connect(m_session, &services::PgSession::failed, this,
            [this, member](const services::ServiceError &e) {
                finish(Tr::tr("pg_stat_statements was not read: the leader %1 refused or did not "
                              "answer (%2).")
                           .arg(member, e.toText()));
            });
    connect(m_session, &services::PgSession::opened, this, [this, statements, member] {
        statements->fetchStatus(
            [this, statements, member](const services::Result<services::StatementsStatus> &s) {
                if (!s.ok())
                    return finish(Tr::tr("pg_stat_statements was not read on %1: %2")
                                      .arg(member, s.error().toText()));
                if (!s.value().usable())
                    return finish(s.value().advice(m_profile.name));
                statements->fetchSample(
                    s.value(), [this](const services::Result<services::StatementsSample> &sample) {
                        if (!sample.ok())
                            return finish(Tr::tr("pg_stat_statements was not read: %1")
                                              .arg(sample.error().toText()));
                        m_input.statements = sample.value();
                        finish();
                    });
            });
    });
    m_session->open(settings, std::chrono::milliseconds(m_profile.memberDeadlineMs));
}

void HealthReportGatherer::keepSample(const services::StatementsSample &sample)
{
    // The stored sample of about a day ago gives the last day's delta; this one is kept for the
    // report of tomorrow. A store that cannot be written costs only tomorrow's delta.
    const StatementsBaselineStore store(m_input.snapshot->profileName,
                                        m_baselineDirectory.isEmpty()
                                            ? StatementsBaselineStore::defaultDirectory()
                                            : m_baselineDirectory);
    m_input.statements = sample;
    m_input.statementsBaseline = store.baselineFor(sample);
    store.append(sample);
}

void HealthReportGatherer::finish(const QString &note)
{
    if (!m_done)
        return; // a late failure after the answer
    m_input.statementsNote = note;
    if (m_session) {
        m_session->close();
        m_session->deleteLater();
    }
    Done done = std::move(m_done);
    m_done = nullptr;
    done(m_input);
}

} // namespace vigil::models
