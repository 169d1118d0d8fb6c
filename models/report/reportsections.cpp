#include "models/report/reportsections.h"

#include "models/alertshistorymodel.h"
#include "models/checklistmodel.h"
#include "models/formatting.h"
#include "models/health.h"
#include "models/replicationmodel.h"
#include "models/report/reporthtml.h"
#include "models/timelinemarkdown.h"
#include "models/timelinemodel.h"
#include "models/tr.h"

#include <QJsonValue>
#include <algorithm>

namespace vigil::models {

using services::ClusterSnapshot;
using services::MemberSnapshot;

namespace {

constexpr int kTopStatements = 10;
constexpr int kMaxQueryChars = 160;
constexpr int kMaxEventRows = 60;

QString utcCell(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString healthHtml(Health h, const QString &text)
{
    return coloredHtml(esc(text), healthColor(h).name(), h != Health::Ok);
}

QString leaderFact(const ClusterSnapshot &s)
{
    const MemberSnapshot *leader = s.leader();
    if (!leader)
        return healthHtml(Health::Critical, Tr::tr("none"));
    return esc(leader->timeline
                   ? Tr::tr("%1 (timeline %2)").arg(leader->name).arg(*leader->timeline)
                   : leader->name);
}

QString membersFact(const ClusterSnapshot &s)
{
    int answering = 0;
    QStringList silent;
    for (const MemberSnapshot &m : s.members) {
        if (m.rest.ok() || m.sql.ok())
            ++answering;
        else
            silent << m.name;
    }
    const QString text = Tr::tr("%1 of %2 answering").arg(answering).arg(s.members.size());
    if (silent.isEmpty())
        return esc(text);
    return healthHtml(Health::Critical,
                      Tr::tr("%1; not answering: %2").arg(text, silent.join(QStringLiteral(", "))));
}

QString lagFact(const ClusterSnapshot &s)
{
    const MemberSnapshot *worst = nullptr;
    for (const MemberSnapshot &m : s.members)
        if (!m.isLeader() && m.lagBytes && (!worst || *m.lagBytes > *worst->lagBytes))
            worst = &m;
    if (!worst)
        return esc(Tr::tr("no replica reports lag"));
    const Health h = lagHealth(worst->lagBytes, worst->replayLagSeconds);
    QString text = Tr::tr("%1 on %2").arg(formatBytes(*worst->lagBytes), worst->name);
    if (worst->replayLagSeconds)
        text += Tr::tr(", replay %1").arg(formatSeconds(*worst->replayLagSeconds));
    return healthHtml(h, text);
}

QString connectionsFact(const ClusterSnapshot &s)
{
    const MemberSnapshot *fullest = nullptr;
    for (const MemberSnapshot &m : s.members)
        if (m.connections &&
            (!fullest || m.connections->usedFraction() > fullest->connections->usedFraction()))
            fullest = &m;
    if (!fullest)
        return esc(Tr::tr("not known"));
    const auto &c = *fullest->connections;
    return healthHtml(connectionsHealth(c.usedFraction()),
                      Tr::tr("%1 of %2 (%3 %) on %4, the fullest member")
                          .arg(c.total)
                          .arg(c.maxConnections)
                          .arg(c.usedFraction() * 100, 0, 'f', 1)
                          .arg(fullest->name));
}

QString proxiesFact(const services::HaproxySnapshot &h)
{
    if (h.channel.state == services::ChannelStatus::State::Unknown)
        return esc(Tr::tr("not configured"));
    if (!h.channel.ok())
        return healthHtml(Health::Critical,
                          Tr::tr("statistics not readable: %1").arg(h.channel.error.toText()));
    return esc(Tr::tr("backend %1 routes to %2")
                   .arg(h.readWriteBackend, h.readWriteServersUp.isEmpty()
                                                ? Tr::tr("no server")
                                                : h.readWriteServersUp.join(QStringLiteral(", "))));
}

QString pgbouncerFact(const services::PgBouncerSnapshot &p)
{
    if (p.channel.state == services::ChannelStatus::State::Unknown)
        return esc(Tr::tr("not configured"));
    if (!p.channel.ok())
        return healthHtml(Health::Critical,
                          Tr::tr("console not reachable: %1").arg(p.channel.error.toText()));
    const qint64 waiting = p.waitingClients();
    return healthHtml(
        waiting > 0 ? Health::Warning : Health::Ok,
        Tr::tr("%n pool(s), %1 client(s) waiting", nullptr, int(p.pools.size())).arg(waiting));
}

QString statementCell(const QString &query)
{
    QString q = query.simplified();
    if (q.size() > kMaxQueryChars)
        q = q.left(kMaxQueryChars - 1) + QChar(0x2026);
    return QStringLiteral("<span class=\"mono\">%1</span>").arg(esc(q));
}

} // namespace

QString summaryFactsHtml(const HealthReportInput &in)
{
    const ClusterSnapshot &s = *in.snapshot;
    QList<QPair<QString, QString>> facts = {
        {Tr::tr("Leader"), leaderFact(s)},
        {Tr::tr("Members"), membersFact(s)},
        {Tr::tr("Worst replica lag"), lagFact(s)},
        {Tr::tr("Connections"), connectionsFact(s)},
        {Tr::tr("HAProxy"), proxiesFact(s.haproxy)},
        {Tr::tr("PgBouncer"), pgbouncerFact(s.pgbouncer)},
        {Tr::tr("Maintenance mode"),
         s.paused ? healthHtml(Health::Warning, Tr::tr("on (paused): no automatic failover"))
                  : esc(Tr::tr("off"))}};
    return sectionHeading(QStringLiteral("summary"), Tr::tr("Summary")) + factsTableHtml(facts);
}

QString findingsSectionHtml(const ClusterSnapshot &s)
{
    QString html = sectionHeading(QStringLiteral("findings"), Tr::tr("Findings"));
    if (s.findings.isEmpty())
        return html + QStringLiteral("<p>%1</p>\n")
                          .arg(healthHtml(Health::Ok, Tr::tr("No findings: every check passed.")));
    QList<QStringList> rows = {
        {esc(Tr::tr("Severity")), esc(Tr::tr("Member")), esc(Tr::tr("Finding"))}};
    for (const services::Finding &f : s.findings) {
        const Health h = fromSeverity(f.severity);
        rows << QStringList{healthHtml(h, healthName(h)),
                            esc(f.member.isEmpty() ? Tr::tr("cluster") : f.member), esc(f.message)};
    }
    return html + rowsTableHtml(rows);
}

QString replicationTableHtml(const services::ClusterSnapshotPtr &snapshot)
{
    ReplicationModel replication;
    replication.setSnapshot(snapshot);
    if (replication.rowCount() == 0)
        return noteHtml(Tr::tr("The leader reports no replica streaming from it."));
    using C = ReplicationModel::Column;
    return QStringLiteral("<h3>%1</h3>\n").arg(esc(Tr::tr("Replication, as the leader sees it"))) +
           modelTableHtml(replication,
                          {C::Replica, C::State, C::Sync, C::ReplayLsn, C::LagBytes, C::ReplayLag},
                          {4, 5});
}

QString statementsSectionHtml(const HealthReportInput &in)
{
    QString html = sectionHeading(QStringLiteral("statements"), Tr::tr("Top statements"));
    if (!in.statements) {
        return html + noteHtml(in.statementsNote.isEmpty()
                                   ? Tr::tr("pg_stat_statements was not read.")
                                   : in.statementsNote);
    }
    QList<services::StatementRow> rows;
    QString scope;
    if (in.statementsBaseline) {
        rows = services::diffStatementSamples(*in.statementsBaseline, *in.statements);
        scope =
            Tr::tr("Delta between %1 and %2 UTC (%3), by total execution time.")
                .arg(utcCell(in.statementsBaseline->takenAt), utcCell(in.statements->takenAt),
                     formatDuration(in.statementsBaseline->takenAt.secsTo(in.statements->takenAt)));
    } else {
        rows = in.statements->rows;
        scope = Tr::tr("Cumulative since the statistics were reset (%1), by total execution time: "
                       "Vigil has no sample from 24 h ago to take the last day's delta from.")
                    .arg(in.statements->statsReset.isEmpty() ? Tr::tr("reset time not known")
                                                             : in.statements->statsReset);
    }
    std::sort(rows.begin(), rows.end(),
              [](const auto &a, const auto &b) { return a.counters.totalMs > b.counters.totalMs; });
    QList<QStringList> table = {{esc(Tr::tr("Statement")), esc(Tr::tr("Database")),
                                 esc(Tr::tr("Calls")), esc(Tr::tr("Total")), esc(Tr::tr("Mean")),
                                 esc(Tr::tr("Rows"))}};
    for (const services::StatementRow &r : rows.mid(0, kTopStatements))
        table << QStringList{statementCell(r.query),
                             esc(r.database),
                             QString::number(r.counters.calls),
                             esc(formatSeconds(r.counters.totalMs / 1000.0)),
                             esc(formatSeconds(r.counters.meanMs() / 1000.0)),
                             QString::number(r.counters.rows)};
    if (rows.isEmpty())
        html += noteHtml(Tr::tr("No statement was recorded."));
    else
        html += rowsTableHtml(table, {2, 3, 4, 5});
    return html + noteHtml(scope);
}

QString backupsSectionHtml(const HealthReportInput &in)
{
    QString html = sectionHeading(QStringLiteral("backups"), Tr::tr("Backups"));
    if (in.backups.isEmpty())
        return html + noteHtml(Tr::tr("No backup of this cluster is in this machine's audit log "
                                      "(vigil backup, or Operations → Full backup…)."));
    const services::AuditEntry *lastOk = nullptr;
    for (const services::AuditEntry &e : in.backups)
        if (e.result == QStringLiteral("ok"))
            lastOk = &e;
    const services::AuditEntry &last = in.backups.last();
    QList<QStringList> rows = {{esc(Tr::tr("Backup")), esc(Tr::tr("When (UTC)")),
                                esc(Tr::tr("Result")), esc(Tr::tr("Database")),
                                esc(Tr::tr("Member")), esc(Tr::tr("Size")), esc(Tr::tr("File"))}};
    const auto row = [](const QString &label, const services::AuditEntry &e) {
        const bool ok = e.result == QStringLiteral("ok");
        const double bytes = e.parameters.value(QStringLiteral("bytes")).toDouble(-1);
        return QStringList{esc(label),
                           esc(utcCell(e.when)),
                           healthHtml(ok ? Health::Ok : Health::Critical, e.result),
                           esc(e.parameters.value(QStringLiteral("database")).toString()),
                           esc(e.member),
                           bytes >= 0 ? esc(formatBytes(qint64(bytes))) : QString(),
                           esc(e.parameters.value(QStringLiteral("file")).toString())};
    };
    rows << row(Tr::tr("Last attempt"), last);
    if (lastOk && lastOk != &last)
        rows << row(Tr::tr("Last successful"), *lastOk);
    html += rowsTableHtml(rows, {5});
    if (!lastOk)
        html += noteHtml(Tr::tr("No backup of this cluster succeeded."));
    else
        html += noteHtml(Tr::tr("The last successful backup is %1 old.")
                             .arg(formatDuration(lastOk->when.secsTo(in.generatedAt))));
    return html;
}

QString alertsSectionHtml(const HealthReportInput &in)
{
    using K = services::AlertEvent::Kind;
    QString html = sectionHeading(QStringLiteral("alerts"), Tr::tr("Alerts, last 24 hours"));
    if (in.alerts.isEmpty())
        return html +
               noteHtml(Tr::tr("No alert was raised, changed or cleared in the last 24 hours "
                               "(this machine's alert history)."));
    QList<QStringList> rows = {{esc(Tr::tr("Time (UTC)")), esc(Tr::tr("Event")),
                                esc(Tr::tr("Severity")), esc(Tr::tr("Member")),
                                esc(Tr::tr("Alert")), esc(Tr::tr("Detail"))}};
    int raised = 0;
    for (qsizetype i = in.alerts.size() - 1; i >= 0 && rows.size() <= kMaxEventRows; --i) {
        const services::AlertEvent &e = in.alerts.at(i);
        raised += e.kind == K::Raised ? 1 : 0;
        const Health h = fromSeverity(e.kind == K::Cleared ? e.previousSeverity : e.severity);
        QString detail;
        if (e.kind == K::Acknowledged)
            detail = Tr::tr("by %1").arg(e.by);
        else if (e.kind == K::Cleared && e.lastedSeconds >= 0)
            detail = Tr::tr("lasted %1").arg(formatDuration(e.lastedSeconds));
        rows << QStringList{esc(utcCell(e.at)),
                            esc(AlertsHistoryModel::eventText(e.kind)),
                            healthHtml(h, healthName(h)),
                            esc(e.member.isEmpty() ? Tr::tr("cluster") : e.member),
                            esc(e.message),
                            esc(detail)};
    }
    html += rowsTableHtml(rows);
    if (in.alerts.size() > kMaxEventRows)
        html += noteHtml(Tr::tr("The newest %1 of %2 events; alerts.jsonl has them all.")
                             .arg(kMaxEventRows)
                             .arg(in.alerts.size()));
    return html;
}

QString timelineSectionHtml(const HealthReportInput &in)
{
    QString html = sectionHeading(QStringLiteral("timeline"), Tr::tr("Timeline, last 24 hours"));
    TimelineModel timeline;
    const QDateTime now = in.generatedAt;
    timeline.setClock([now] { return now; });
    timeline.setWindowSeconds(in.timelineWindowSeconds);
    timeline.setCluster(in.snapshot->profileName, in.timeline);
    if (timeline.rowCount() == 0)
        return html + noteHtml(Tr::tr("No event was recorded in the last 24 hours. The timeline "
                                      "is recorded while a Vigil window or wall watches the "
                                      "cluster, plus every operator action in the audit log."));
    using C = TimelineModel::Column;
    html += modelTableHtml(timeline, {C::TimeUtc, C::Event, C::Member, C::Who, C::What}, {},
                           kMaxEventRows);
    return html;
}

QString checklistSectionHtml(const HealthReportInput &in)
{
    QString html = sectionHeading(QStringLiteral("checklist"), Tr::tr("Maintenance checklist"));
    ChecklistModel checklist;
    checklist.setStatus(services::checklistStatus(in.checklist, in.generatedAt), in.generatedAt);
    if (in.checklist.isEmpty())
        html += noteHtml(
            Tr::tr("No task of the maintenance schedule was checked or ticked on "
                   "this machine (Operations → Maintenance checklists…, or vigil checklist "
                   "--run)."));
    else if (checklist.overdue() > 0)
        html += noteHtml(Tr::tr("%n task(s) of %1 overdue.", nullptr, checklist.overdue())
                             .arg(checklist.rowCount()));
    else
        html += noteHtml(Tr::tr("No task is overdue."));
    using C = ChecklistModel::Column;
    html += modelTableHtml(checklist, {C::Task, C::Every, C::Due, C::LastResult, C::When, C::Who});
    return html;
}

} // namespace vigil::models
