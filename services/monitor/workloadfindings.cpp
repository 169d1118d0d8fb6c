#include "services/monitor/workloadfindings.h"

#include "services/core/error.h"
#include "services/core/formatting.h"
#include "services/monitor/findinglist.h"

#include <algorithm>

namespace vigil::services {

namespace {

using Severity = Finding::Severity;
using Code = Finding::Code;

// Fresh SQL says this member accepts writes.
bool freshPrimary(const MemberSnapshot &m)
{
    return m.sql.ok() && m.inRecovery.has_value() && !*m.inRecovery;
}

// "pid 4242 (user app, application billing)"
QString sessionText(const SessionBrief &b)
{
    return Tr::tr("pid %1 (user %2, application %3)")
        .arg(b.pid)
        .arg(b.user.isEmpty() ? Tr::tr("unknown") : b.user,
             b.application.isEmpty() ? Tr::tr("none") : b.application);
}

// Lock contention on a primary (on a replica, a startup process holds up queries that touch
// what it replays: that is replication conflict, not a session anyone can end). Judged on the
// last measurement (at most breakdownIntervalMs old, see LockContention).
// WARNING, not CRITICAL: a blocker stalls the sessions that touch what it locked, not the
// cluster's writes or its failover (what the manual's CRITICAL list is about), and it needs a
// person's judgement (commit, or end the session); should its waiters pile up, the connection
// rule turns CRITICAL on its own at 95 %.
void lockFindings(const MemberSnapshot &m, const FindingThresholds &t, QList<Finding> &out)
{
    if (!m.sql.ok() || !freshPrimary(m) || !m.locks)
        return;
    if (const auto &b = m.locks->rootBlocker; b && b->seconds > t.blockerWarningSeconds)
        appendFinding(
            out, Severity::Warning, Code::LockBlocker, m.name,
            Tr::tr("Session %1 on %2 (%3) holds a lock that %4 session(s) have waited for "
                   "up to %5 s (warning above %6 s). Ask its owner to commit or roll back, "
                   "or end it from the lock tree.")
                .arg(sessionText(*b), m.name,
                     b->state.isEmpty() ? Tr::tr("state unknown") : b->state)
                .arg(b->waiting)
                .arg(findingSeconds(b->seconds), findingSeconds(t.blockerWarningSeconds)));
    if (const auto &i = m.locks->oldestIdleInTransaction;
        i && i->seconds > t.idleInTransactionWarningSeconds)
        appendFinding(
            out, Severity::Warning, Code::IdleInTransaction, m.name,
            Tr::tr("Session %1 on %2 has been idle in transaction for %3 s (warning above "
                   "%4 s): it keeps its locks and holds back vacuum. Find out why its "
                   "application does not commit, or end the session.")
                .arg(sessionText(*i), m.name, findingSeconds(i->seconds),
                     findingSeconds(t.idleInTransactionWarningSeconds)));
}

// Rates over the last probe interval (MemberRates): slow statements and rollbacks.
void rateFindings(const MemberSnapshot &m, const FindingThresholds &t, QList<Finding> &out)
{
    if (!m.sql.ok())
        return;
    const MemberRates &r = m.rates;
    if (r.statementMeanMs && *r.statementMeanMs > t.slowQueryWarningMs)
        appendFinding(out, Severity::Warning, Code::SlowQueries, m.name,
                      Tr::tr("Statements on %1 took %2 ms on average over the last %3 s (%4 calls; "
                             "warning above %5 ms, from pg_stat_statements). See Slow queries.")
                          .arg(m.name, QString::number(*r.statementMeanMs, 'f', 0),
                               findingSeconds(r.statementIntervalSeconds))
                          .arg(r.statementCalls)
                          .arg(QString::number(t.slowQueryWarningMs, 'f', 0)));
    if (r.rollbacksPerSecond && *r.rollbacksPerSecond > t.rollbacksWarningPerSecond)
        appendFinding(out, Severity::Warning, Code::ErrorRate, m.name,
                      Tr::tr("%1 rolls back %2 transactions per second over the last %3 s (warning "
                             "above %4/s, from pg_stat_database): an application is failing. Check "
                             "the server log of %1 for the errors. \"No space left on device\" "
                             "there means a volume is full: free space on the volume of the "
                             "file the error names (data directory, WAL or a tablespace).")
                          .arg(m.name, findingSeconds(*r.rollbacksPerSecond),
                               findingSeconds(r.intervalSeconds),
                               findingSeconds(t.rollbacksWarningPerSecond)));
}

// Disk from node_exporter: the free space of the file system holding the member's data
// directory, on every member (a replica's volume fills too: WAL kept for a slot, a base backup).
bool hostDiskFindings(const MemberSnapshot &m, const FindingThresholds &t, QList<Finding> &out)
{
    const std::optional<double> free =
        m.hostFigures ? m.hostFigures->dataFreeFraction() : std::nullopt;
    if (!free)
        return false;
    if (*free >= t.diskFreeWarning)
        return true;
    const bool critical = *free < t.diskFreeCritical;
    appendFinding(
        out, critical ? Severity::Critical : Severity::Warning, Code::DiskSpace, m.name,
        Tr::tr("%1's data volume (%2 on %3) has %4 free of %5: %6 % (%7 below %8 %). "
               "Source: node_exporter's node_filesystem_avail_bytes. Free space or grow "
               "the volume before PostgreSQL stops with \"No space left on device\".")
            .arg(m.name, m.hostFigures->mountPoint, m.hostFigures->instance,
                 formatBytes(*m.hostFigures->dataFreeBytes),
                 formatBytes(*m.hostFigures->dataSizeBytes), QString::number(*free * 100, 'f', 1),
                 critical ? Tr::tr("critical") : Tr::tr("warning"),
                 QString::number((critical ? t.diskFreeCritical : t.diskFreeWarning) * 100, 'f',
                                 0)));
    return true;
}

// Disk: what the server can tell through SQL (the databases' sizes and the WAL directory)
// against the capacity set in the profile, when node_exporter gives no free space for the
// member. Judged on the primary, where the data grows.
void diskFindings(const MemberSnapshot &m, const FindingThresholds &t, QList<Finding> &out)
{
    if (hostDiskFindings(m, t, out))
        return;
    if (t.diskCapacityBytes <= 0 || !m.sql.ok() || !freshPrimary(m) || m.databaseSizes.isEmpty())
        return;
    qint64 used = m.walDirBytes.value_or(0);
    for (const DatabaseSize &d : m.databaseSizes)
        used += d.bytes;
    const double free = 1.0 - double(used) / double(t.diskCapacityBytes);
    if (free >= t.diskFreeWarning)
        return;
    appendFinding(out, free < t.diskFreeCritical ? Severity::Critical : Severity::Warning,
                  Code::DiskSpace, m.name,
                  Tr::tr("%1 uses %2 of the %3 set as its volume's capacity in the profile: %4 % "
                         "free (source: pg_database_size() of every database plus pg_ls_waldir(); "
                         "files outside them are not counted).")
                      .arg(m.name, formatBytes(used), formatBytes(t.diskCapacityBytes),
                           QString::number(std::max(0.0, free) * 100, 'f', 0)));
}

} // namespace

QString findingSeconds(double s)
{
    return QString::number(s, 'f', s < 10 ? 1 : 0);
}

QList<Finding> hostMetricsFindings(const ClusterSnapshot &s)
{
    QList<Finding> out;
    const ChannelStatus &c = s.hosts.channel;
    // One failed reading is no finding: figures are read every few seconds, a blip passes.
    const bool failing =
        c.state == ChannelStatus::State::Unreachable &&
        (!c.lastOk.isValid() || c.lastOk.secsTo(s.takenAt) > kHostMetricsGraceSeconds);
    if (failing)
        appendFinding(out, Severity::Warning, Code::HostMetrics, {},
                      Tr::tr("Host figures (free disk space, CPU, memory) cannot be read from %1: "
                             "%2. The disk rule goes by SQL's sizes against the capacity set in "
                             "the profile, if one is set; everything else is unaffected.")
                          .arg(s.hosts.source, c.error.toText()));
    else if (c.ok())
        for (const QString &sentence : s.hosts.unmatched)
            appendFinding(out, Severity::Ok, Code::HostMetrics, {},
                          Tr::tr("No host figures for %1").arg(sentence));
    return out;
}

QList<Finding> workloadFindings(const MemberSnapshot &m, const FindingThresholds &t)
{
    QList<Finding> out;
    lockFindings(m, t, out);
    rateFindings(m, t, out);
    diskFindings(m, t, out);
    return out;
}

} // namespace vigil::services
