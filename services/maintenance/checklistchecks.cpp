#include "services/maintenance/checklistchecks.h"

#include "services/core/error.h"
#include "services/core/formatting.h"

#include <functional>

namespace vigil::services {

namespace {

using Outcome = ChecklistRecord::Outcome;
using Severity = Finding::Severity;

QString utc(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

ChecklistRecord record(Outcome outcome, QString evidence, const QDateTime &doneAt = {})
{
    ChecklistRecord r;
    r.outcome = outcome;
    r.evidence = std::move(evidence);
    r.doneAt = doneAt;
    return r;
}

ChecklistRecord notRead()
{
    return record(Outcome::Unknown,
                  Tr::tr("The cluster has not been read yet: no snapshot to check."));
}

// The newest audit entry of the cluster whose action is one of `actions`.
const AuditEntry *lastEntry(const ChecklistCheckInput &in, const QStringList &actions)
{
    const AuditEntry *found = nullptr;
    for (const AuditEntry &e : in.audit)
        if (actions.contains(e.action) && in.clusterNames.contains(e.cluster) &&
            (!found || found->when <= e.when))
            found = &e;
    return found;
}

bool succeeded(const AuditEntry &e)
{
    return e.result == QLatin1String("ok") || e.result == QLatin1String("passed");
}

ChecklistRecord healthCheck(const ChecklistCheckInput &in)
{
    if (!in.snapshot)
        return notRead();
    const ClusterSnapshot &s = *in.snapshot;
    QStringList problems, unknown;
    for (const Finding &f : s.findings) {
        const QString line = QStringLiteral("%1 %2").arg(severityName(f.severity), f.message);
        if (f.severity == Severity::Critical || f.severity == Severity::Warning)
            problems << line;
        else if (f.severity == Severity::Unknown)
            unknown << line;
    }
    const QString when = utc(s.takenAt);
    if (!problems.isEmpty())
        return record(Outcome::Failed, Tr::tr("%n finding(s) in the snapshot of %1: %2", nullptr,
                                              int(problems.size()))
                                           .arg(when, problems.join(QStringLiteral("; "))));
    if (!unknown.isEmpty())
        return record(Outcome::Unknown, Tr::tr("Vigil could not see the cluster at %1: %2")
                                            .arg(when, unknown.join(QStringLiteral("; "))));
    const MemberSnapshot *leader = s.leader();
    return record(Outcome::Passed,
                  Tr::tr("No warning or critical finding in the snapshot of %1 (%n member(s), "
                         "leader %2).",
                         nullptr, int(s.members.size()))
                      .arg(when, leader ? leader->name : Tr::tr("unknown")),
                  s.takenAt);
}

// The leader's archiver in a sentence, and whether its last attempt failed.
QString archiverText(const ChecklistCheckInput &in, bool &failing)
{
    failing = false;
    const MemberSnapshot *leader = in.snapshot ? in.snapshot->leader() : nullptr;
    if (!leader || !leader->archiver)
        return Tr::tr("The WAL archiver was not read (no leader answered SQL).");
    const ArchiverStat &a = *leader->archiver;
    if (a.archiveMode == QLatin1String("off"))
        return Tr::tr("WAL archiving is off on %1 (archive_mode).").arg(leader->name);
    failing = a.lastAttemptFailed();
    if (failing)
        return Tr::tr("WAL archiving fails on %1: %2 failed at %3.")
            .arg(leader->name, a.lastFailedWal, utc(*a.lastFailedTime));
    if (!a.lastArchivedTime)
        return Tr::tr("WAL archiver on %1: nothing archived yet.").arg(leader->name);
    const qint64 age = qMax<qint64>(0, a.lastArchivedTime->secsTo(in.snapshot->takenAt));
    return Tr::tr("WAL archiver on %1: last success %2 at %3 (%4 s before the snapshot).")
        .arg(leader->name, a.lastArchivedWal, utc(*a.lastArchivedTime))
        .arg(age);
}

ChecklistRecord backupCheck(const ChecklistCheckInput &in)
{
    bool archiverFailing = false;
    const QString archiver = archiverText(in, archiverFailing);
    const AuditEntry *b = lastEntry(in, {QStringLiteral("backup")});
    if (!b)
        return record(Outcome::Failed,
                      Tr::tr("No backup of this cluster is in the audit log (vigil backup or "
                             "Operations → Full backup). %1")
                          .arg(archiver));
    const QString what = Tr::tr("%1 from %2 at %3")
                             .arg(b->parameters.value(QStringLiteral("database")).toString(),
                                  b->member, utc(b->when));
    if (!succeeded(*b))
        return record(Outcome::Failed, Tr::tr("The last backup (%1) %2: %3 %4")
                                           .arg(what, b->result, b->serverAnswer, archiver));
    const qint64 bytes = qint64(b->parameters.value(QStringLiteral("bytes")).toDouble());
    const QString done =
        Tr::tr("Last backup: %1, %2, %3.")
            .arg(what, formatBytes(bytes), b->parameters.value(QStringLiteral("file")).toString());
    if (nextDue(ChecklistItem::Period::Daily, b->when) <= in.now)
        return record(Outcome::Failed,
                      Tr::tr("%1 It is more than a day old. %2").arg(done, archiver));
    return record(archiverFailing ? Outcome::Failed : Outcome::Passed,
                  done + QLatin1Char(' ') + archiver, b->when);
}

ChecklistRecord metricsCheck(const ChecklistCheckInput &in)
{
    if (!in.snapshot)
        return notRead();
    const FindingThresholds &t = in.thresholds;
    QStringList over, unmeasured, seen;
    for (const MemberSnapshot &m : in.snapshot->members) {
        if (!m.sql.ok()) {
            unmeasured << m.name;
            continue;
        }
        if (m.connections) {
            const double used = m.connections->usedFraction();
            const QString text =
                Tr::tr("%1 connections %2 %").arg(m.name).arg(used * 100, 0, 'f', 0);
            (used > t.connectionsWarning ? over : seen) << text;
        }
        if (!m.isLeader() && m.replayLagSeconds) {
            const QString text =
                Tr::tr("%1 lag %2 s").arg(m.name).arg(*m.replayLagSeconds, 0, 'f', 1);
            (*m.replayLagSeconds > t.lagWarningSeconds ? over : seen) << text;
        }
    }
    const QString limits = Tr::tr("thresholds: lag %1 s, connections %2 %")
                               .arg(t.lagWarningSeconds)
                               .arg(t.connectionsWarning * 100, 0, 'f', 0);
    if (!over.isEmpty())
        return record(Outcome::Failed, Tr::tr("Over the warning level (%1): %2.")
                                           .arg(limits, over.join(QStringLiteral(", "))));
    if (!unmeasured.isEmpty() || seen.isEmpty())
        return record(Outcome::Unknown,
                      Tr::tr("Not measured: %1 did not answer SQL. Within %2: %3.")
                          .arg(unmeasured.join(QStringLiteral(", ")), limits,
                               seen.join(QStringLiteral(", "))));
    return record(Outcome::Passed,
                  Tr::tr("Within %1 at %2: %3.")
                      .arg(limits, utc(in.snapshot->takenAt), seen.join(QStringLiteral(", "))),
                  in.snapshot->takenAt);
}

// The last audited run of `actions` within `period`: Passed when it succeeded, else Failed.
ChecklistRecord auditedRun(const ChecklistCheckInput &in, const QStringList &actions,
                           ChecklistItem::Period period, const QString &none)
{
    const AuditEntry *e = lastEntry(in, actions);
    if (!e)
        return record(Outcome::Failed, none);
    QString text =
        Tr::tr("Last %1 at %2 by %3: %4.").arg(e->action, utc(e->when), e->osUser, e->result);
    if (!e->member.isEmpty())
        text += QLatin1Char(' ') + Tr::tr("Member: %1.").arg(e->member);
    if (!e->serverAnswer.isEmpty())
        text += QLatin1Char(' ') + e->serverAnswer.left(300);
    if (!succeeded(*e) && e->result != QLatin1String("partial"))
        return record(Outcome::Failed, text);
    if (nextDue(period, e->when) <= in.now)
        return record(Outcome::Failed, Tr::tr("%1 That is longer ago than the task's period (%2).")
                                           .arg(text, periodLabel(period).toLower()));
    return record(Outcome::Passed, text, e->when);
}

} // namespace

ChecklistRecord runChecklistCheck(const ChecklistItem &item, const ChecklistCheckInput &in)
{
    using Check = ChecklistItem::Check;
    ChecklistRecord r;
    switch (item.check) {
    case Check::Health:
        r = healthCheck(in);
        break;
    case Check::Backup:
        r = backupCheck(in);
        break;
    case Check::Metrics:
        r = metricsCheck(in);
        break;
    case Check::RestoreTest:
        r = auditedRun(in, {QStringLiteral("restore_test")}, item.period,
                       Tr::tr("No restore test of this cluster is in the audit log: none was "
                              "run, so nothing proves the backups restore."));
        break;
    case Check::FailoverTest:
        r = auditedRun(in,
                       {QStringLiteral("switchover"), QStringLiteral("schedule_switchover"),
                        QStringLiteral("switchover_dry_run"), QStringLiteral("failover")},
                       item.period,
                       Tr::tr("No switchover or failover of this cluster is in the audit log "
                              "(Operations → Planned switchover, or vigil switchover)."));
        break;
    case Check::Manual:
    case Check::ErrorLogs:
        r = record(Outcome::Unknown, Tr::tr("This task is ticked by hand."));
        break;
    }
    r.at = in.now;
    r.item = item.id;
    r.who = in.who;
    return r;
}

QList<ChecklistRecord> runAutomaticChecks(const ChecklistCheckInput &input)
{
    QList<ChecklistRecord> out;
    for (const ChecklistItem &item : maintenanceSchedule())
        if (item.automatic())
            out.append(runChecklistCheck(item, input));
    return out;
}

} // namespace vigil::services
