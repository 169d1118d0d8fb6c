#include "app/commands/exportrulesyaml.h"

#include "app/tr.h"

#include <QList>
#include <QRegularExpression>
#include <yaml-cpp/yaml.h>

namespace vigil::app {

namespace {

struct Rule
{
    QString alert;
    QString severity; // critical | warning
    QString expr;
    QString summary;     // Prometheus template text ({{ $labels.member }}, {{ $value }})
    QString description; // what to do
};

// PgBouncer's exporter says how many clients wait, not for how long: that rule's `for:` is the
// profile's wait threshold. Every other rule holds for the command's --for.
const QString kPgbouncerWaitRule = QStringLiteral("VigilPgbouncerClientsWaiting");

QString num(double v)
{
    return QString::number(v, 'g', 12);
}

// Builds `metric{matchers, extra}` for the cluster's selector.
class Selector
{
public:
    explicit Selector(const QStringList &matchers)
        : m_matchers(matchers)
    {
    }
    QString operator()(const QString &metric, const QString &extra = {}) const
    {
        QStringList all = m_matchers;
        if (!extra.isEmpty())
            all << extra;
        return metric + QLatin1Char('{') + all.join(QLatin1Char(',')) + QLatin1Char('}');
    }

private:
    QStringList m_matchers;
};

// Pseudo and read-only image file systems node_exporter lists beside the real volumes.
const QString kPseudoFs =
    QStringLiteral(R"(fstype!~"tmpfs|devtmpfs|ramfs|squashfs|nsfs|autofs|proc|sysfs|fuse\\..*")");

QList<Rule> availabilityRules(const ExportRulesYaml::Options &o, const Selector &s)
{
    return {
        {QStringLiteral("VigilPrimaryDown"), QStringLiteral("critical"),
         QStringLiteral("%1 == 0 and on(member) max_over_time(%2[2m]) == 1")
             .arg(s(QStringLiteral("pg_up")), s(QStringLiteral("patroni_primary"))),
         Tr::tr("PostgreSQL on {{ $labels.member }}, the primary of the last 2 minutes, is down."),
         Tr::tr("The primary does not answer its exporter. Check that Patroni promoted a "
                "replica (vigil status), then bring {{ $labels.member }} back as a replica.")},
        {QStringLiteral("VigilNoPrimary"), QStringLiteral("critical"),
         QStringLiteral("absent(%1 == 1)").arg(s(QStringLiteral("patroni_primary"))),
         Tr::tr("No member of %1 reports itself as the primary.").arg(o.cluster),
         Tr::tr("Writes fail until a leader is elected. Check Patroni's logs and the DCS "
                "(etcd); vigil failover promotes a replica by hand.")},
        {QStringLiteral("VigilAllReplicasDown"), QStringLiteral("critical"),
         QStringLiteral("absent(%1 == 1 and on(member) %2 == 1)")
             .arg(s(QStringLiteral("patroni_replica")), s(QStringLiteral("pg_up"))),
         Tr::tr("No replica of %1 is running: a failure of the primary would lose the cluster.")
             .arg(o.cluster),
         Tr::tr("Start or reinitialize the replicas (vigil reinit MEMBER).")},
        {QStringLiteral("VigilHaproxyNoPrimary"), QStringLiteral("critical"),
         QStringLiteral("%1 < 1").arg(s(QStringLiteral("haproxy_backend_active_servers"),
                                        QStringLiteral("proxy=\"%1\"").arg(o.rwBackend))),
         Tr::tr("HAProxy's read-write backend %1 has no server up.").arg(o.rwBackend),
         Tr::tr("Clients cannot write through HAProxy. Check its health checks against the "
                "members' Patroni REST API (GET /primary).")},
        {QStringLiteral("VigilScrapeTargetDown"), QStringLiteral("warning"),
         QStringLiteral("%1 == 0").arg(s(QStringLiteral("up"))),
         Tr::tr("Prometheus cannot scrape {{ $labels.job }} at {{ $labels.instance }}."),
         Tr::tr("The exporter or the component is down; the other rules are blind to it.")},
    };
}

// Replay lag, approximated from Patroni's metrics: the time since the last transaction a
// replica replayed, counted only while it is behind the primary's WAL position (an idle primary
// is not lag). postgres_exporter 0.11.1 exports no lag in seconds.
QString lagExpr(const Selector &s, double seconds)
{
    return QStringLiteral("(time() - %1) > %2 and on(member) %3 == 1 and on(member) %4 < on() "
                          "group_left() max(%5)")
        .arg(s(QStringLiteral("patroni_xlog_replayed_timestamp")), num(seconds),
             s(QStringLiteral("patroni_replica")),
             s(QStringLiteral("patroni_xlog_replayed_location")),
             s(QStringLiteral("patroni_xlog_location")));
}

QString connectionsExpr(const Selector &s, double fraction)
{
    return QStringLiteral("sum by (member) (%1) / on(member) max by (member) (%2) > %3")
        .arg(s(QStringLiteral("pg_stat_database_numbackends")),
             s(QStringLiteral("pg_settings_max_connections")), num(fraction));
}

QString diskExpr(const Selector &s, double fraction)
{
    return QStringLiteral("%1 / %2 < %3")
        .arg(s(QStringLiteral("node_filesystem_avail_bytes"), kPseudoFs),
             s(QStringLiteral("node_filesystem_size_bytes"), kPseudoFs), num(fraction));
}

QList<Rule> levelRules(const ExportRulesYaml::Options &o, const Selector &s)
{
    const services::FindingThresholds &t = o.thresholds;
    QList<Rule> rules;
    const auto lag = Tr::tr("Replica {{ $labels.member }} replays %1 s or more behind the "
                            "primary.");
    const auto lagWhat = Tr::tr("Check the replica's I/O and network, and long queries on it "
                                "(hot_standby_feedback, conflicts).");
    rules << Rule{QStringLiteral("VigilReplicationLagCritical"), QStringLiteral("critical"),
                  lagExpr(s, t.lagCriticalSeconds), lag.arg(num(t.lagCriticalSeconds)), lagWhat};
    rules << Rule{QStringLiteral("VigilReplicationLagWarning"), QStringLiteral("warning"),
                  lagExpr(s, t.lagWarningSeconds), lag.arg(num(t.lagWarningSeconds)), lagWhat};
    const auto conn = Tr::tr("{{ $labels.member }} uses more than %1 % of max_connections.");
    const auto connWhat = Tr::tr("Look for idle sessions and pool sizes (vigil sessions, "
                                 "PgBouncer's pools) before raising max_connections.");
    rules << Rule{QStringLiteral("VigilConnectionsCritical"), QStringLiteral("critical"),
                  connectionsExpr(s, t.connectionsCritical),
                  conn.arg(num(t.connectionsCritical * 100)), connWhat};
    rules << Rule{QStringLiteral("VigilConnectionsWarning"), QStringLiteral("warning"),
                  connectionsExpr(s, t.connectionsWarning),
                  conn.arg(num(t.connectionsWarning * 100)), connWhat};
    const auto disk = Tr::tr("{{ $labels.mountpoint }} on {{ $labels.instance }} has less than "
                             "%1 % free.");
    const auto diskWhat = Tr::tr("Free space before PostgreSQL stops: old WAL held by slots, "
                                 "logs, bloat; or grow the volume.");
    rules << Rule{QStringLiteral("VigilDiskFreeCritical"), QStringLiteral("critical"),
                  diskExpr(s, t.diskFreeCritical), disk.arg(num(t.diskFreeCritical * 100)),
                  diskWhat};
    rules << Rule{QStringLiteral("VigilDiskFreeWarning"), QStringLiteral("warning"),
                  diskExpr(s, t.diskFreeWarning), disk.arg(num(t.diskFreeWarning * 100)), diskWhat};
    return rules;
}

QList<Rule> workloadRules(const ExportRulesYaml::Options &o, const Selector &s)
{
    const services::FindingThresholds &t = o.thresholds;
    const QString txMax = QStringLiteral("pg_stat_activity_max_tx_duration");
    return {
        {QStringLiteral("VigilSlowQueries"), QStringLiteral("warning"),
         QStringLiteral("max by (member, datname) (%1) > %2")
             .arg(s(txMax, QStringLiteral("state=\"active\"")), num(t.slowQueryWarningMs / 1000)),
         Tr::tr("An active transaction on {{ $labels.member }} ({{ $labels.datname }}) has run "
                "longer than %1 s.")
             .arg(num(t.slowQueryWarningMs / 1000)),
         Tr::tr("Find it in vigil sessions; EXPLAIN it, or end it with vigil terminate.")},
        {QStringLiteral("VigilIdleInTransaction"), QStringLiteral("warning"),
         QStringLiteral("max by (member, datname) (%1) > %2")
             .arg(s(txMax, QStringLiteral("state=\"idle in transaction\"")),
                  num(t.idleInTransactionWarningSeconds)),
         Tr::tr("A session on {{ $labels.member }} has been idle in transaction longer than "
                "%1 s.")
             .arg(num(t.idleInTransactionWarningSeconds)),
         Tr::tr("It holds locks and blocks vacuum: fix the application, or end it.")},
        {QStringLiteral("VigilRollbackRate"), QStringLiteral("warning"),
         QStringLiteral("sum by (member) (rate(%1[1m])) > %2")
             .arg(s(QStringLiteral("pg_stat_database_xact_rollback")),
                  num(t.rollbacksWarningPerSecond)),
         Tr::tr("{{ $labels.member }} rolls back more than %1 transactions per second.")
             .arg(num(t.rollbacksWarningPerSecond)),
         Tr::tr("Errors in the application: look at the server log for the failing statements.")},
        {QStringLiteral("VigilInactiveSlotHoldsWal"), QStringLiteral("warning"),
         QStringLiteral("%1 > %2 and %3 == 0")
             .arg(s(QStringLiteral("pg_replication_slots_pg_wal_lsn_diff")),
                  QString::number(t.inactiveSlotWarningBytes),
                  s(QStringLiteral("pg_replication_slots_active"))),
         Tr::tr("Inactive replication slot {{ $labels.slot_name }} holds back more than %1 "
                "bytes of WAL.")
             .arg(t.inactiveSlotWarningBytes),
         Tr::tr("Its consumer is gone: drop the slot or bring the consumer back before the disk "
                "fills.")},
        {kPgbouncerWaitRule, QStringLiteral("critical"),
         QStringLiteral("max by (database) (%1) > 0")
             .arg(s(QStringLiteral("pgbouncer_waiting_clients"))),
         Tr::tr("Clients of PgBouncer's {{ $labels.database }} pool have waited for a server "
                "connection for %1 s.")
             .arg(num(t.pgbouncerWaitCriticalSeconds)),
         Tr::tr("The pool is exhausted: long transactions hold its servers, or the pool is too "
                "small.")},
    };
}

void emitRule(YAML::Emitter &out, const Rule &r, const ExportRulesYaml::Options &o)
{
    const auto str = [](const QString &s) {
        return s.toStdString();
    };
    out << YAML::BeginMap;
    out << YAML::Key << "alert" << YAML::Value << str(r.alert);
    out << YAML::Key << "expr" << YAML::Value << str(r.expr);
    const QString forDuration =
        r.alert == kPgbouncerWaitRule
            ? QString::number(qint64(o.thresholds.pgbouncerWaitCriticalSeconds)) + QLatin1Char('s')
            : o.forDuration;
    out << YAML::Key << "for" << YAML::Value << str(forDuration);
    out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "severity" << YAML::Value << str(r.severity);
    out << YAML::Key << "cluster" << YAML::Value << str(o.cluster);
    out << YAML::EndMap;
    out << YAML::Key << "annotations" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "summary" << YAML::Value << str(r.summary);
    out << YAML::Key << "description" << YAML::Value << str(r.description);
    out << YAML::EndMap;
    out << YAML::EndMap;
}

} // namespace

QByteArray ExportRulesYaml::render(const Options &o)
{
    const Selector s(o.matchers);
    QList<Rule> rules = availabilityRules(o, s);
    rules << levelRules(o, s) << workloadRules(o, s);

    YAML::Emitter out;
    out << YAML::Comment(
        Tr::tr("Prometheus alerting rules of Vigil's profile '%1' (vigil export-rules). Not "
               "expressible with the exporters' metrics: %2")
            .arg(o.cluster, notExpressible().join(QStringLiteral(" ")))
            .toStdString());
    out << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value
        << (QStringLiteral("vigil-") + o.cluster).toStdString();
    out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
    for (const Rule &r : rules)
        emitRule(out, r, o);
    out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
    return QByteArray(out.c_str()) + '\n';
}

bool ExportRulesYaml::isMatcher(const QString &matcher)
{
    static const QRegularExpression re(
        QStringLiteral(R"re(^[A-Za-z_][A-Za-z0-9_]*(=|!=|=~|!~)"([^"\\]|\\.)*"$)re"));
    return re.match(matcher).hasMatch();
}

bool ExportRulesYaml::isDuration(const QString &duration)
{
    static const QRegularExpression re(QStringLiteral(R"(^([0-9]+(ms|s|m|h|d|w|y))+$)"));
    return re.match(duration).hasMatch();
}

QStringList ExportRulesYaml::notExpressible()
{
    return {
        Tr::tr("(1) slow statements by mean time: postgres_exporter 0.11.1 has no "
               "pg_stat_statements collector, so the rule watches the longest active "
               "transaction instead;"),
        Tr::tr("(2) replay lag as the primary measures it (pg_stat_replication.replay_lag): not "
               "exported, approximated from Patroni's replayed timestamp and WAL positions;"),
        Tr::tr("(3) PgBouncer's longest client wait: pgbouncer_exporter 1.7 exports how many "
               "clients wait, not for how long, so the rule fires when clients wait for the "
               "threshold's duration;"),
        Tr::tr("(4) DCS contact and lock blockers: no exporter says when Patroni last reached "
               "the DCS relative to loop_wait, nor who blocks whom."),
    };
}

} // namespace vigil::app
