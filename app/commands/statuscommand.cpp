// `vigil status` — one look at a cluster, for people (a table) and for scripts (JSON, exit code).
//
// JSON output (`--json`): one object per snapshot, described by the JSON Schema in
// resources/status-schema.json (schema id "vigil.status/1", written by
// services::snapshotToJson). In short:
//   schema, sequence, profile, scope, taken_at (ISO 8601 UTC), cycle_ms, severity (the worst
//   finding: OK | WARNING | CRITICAL | UNKNOWN), leader (member name or null), paused,
//   scheduled_switchover {at, from, to} | null, dynamic_config {ttl, loop_wait, ...} | null,
//   discovery   channel of GET /cluster: {state: ok|unreachable|unresponsive|unknown,
//               latency_ms, last_ok, error {kind, what, host, code, message, text} | null}
//   members[]   name, host, port, api_url, in_dcs, role, state, timeline, lag_bytes (Patroni's),
//               pending_restart, tags, rest (channel), patroni {...} | null, sql (channel),
//               in_recovery, server_version, replay_lag_bytes, replay_lag_seconds,
//               replication[], wal_receiver, connections {total, max_connections, used_fraction,
//               by_state, by_application, by_database (paced by its server cost: every
//               cycle on a small server, up to 10 s apart; carried forward in between),
//               breakdown_at, breakdown_age_ms},
//               replication_slots[], archiver,
//               database_sizes[], database_counters[]
//   haproxy     {configured, channel, read_write_backend, read_write_servers_up[], servers[]}
//   pgbouncer   {configured, channel, waiting_clients, pools[], routes[] (where clients land,
//               probed through each database, the '*' fallback and HAProxy's ports)}
//   findings[]  {severity, code (stable: split_brain, no_leader, replica_down, ...), member,
//               message (translated sentence)}
// A member's data is the last known when its channel is not "ok" (see last_ok). Unknown values
// are null. With --watch, each snapshot is printed on one line (JSON Lines).
//
// Exit codes (Nagios): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad arguments, nothing of the
// cluster reachable, or Vigil's own login refused).
#include "app/commands/statuscommand.h"

#include "app/commands/stopsignals.h"
#include "app/commands/targetoptions.h"
#include "app/commands/texttable.h"
#include "app/tr.h"
#include "models/formatting.h"
#include "services/monitor/snapshotjson.h"
#include "services/patroni/patronitypes.h"
#include "services/postgres/conninfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTimer>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::app {

using services::ChannelStatus;
using services::ClientRoute;
using services::ClusterSnapshot;
using services::Finding;
using services::MemberSnapshot;

namespace {

constexpr double kDefaultWatchSeconds = 2.0;

QString channelCell(const ChannelStatus &c)
{
    switch (c.state) {
    case ChannelStatus::State::Ok:
        return Tr::tr("ok %1 ms").arg(c.latencyMs);
    case ChannelStatus::State::Unreachable:
        return c.error.kind == services::ServiceError::Kind::Auth ? Tr::tr("login refused")
                                                                  : Tr::tr("unreachable");
    case ChannelStatus::State::Unresponsive:
        return Tr::tr("no answer");
    case ChannelStatus::State::Unknown:
        return QStringLiteral("-");
    }
    return {};
}

QString tagsCell(const QVariantMap &tags)
{
    // Like `patronictl list -e`, but only the tags that change something (a false flag does not).
    QStringList out;
    for (auto it = tags.begin(); it != tags.end(); ++it) {
        const QVariant &v = it.value();
        if (v.typeId() == QMetaType::Bool) {
            if (v.toBool())
                out << it.key();
        } else if (!v.toString().isEmpty()) {
            out << QStringLiteral("%1: %2").arg(it.key(), v.toString());
        }
    }
    return out.join(QStringLiteral(", "));
}

QString lagMbCell(const MemberSnapshot &m)
{
    if (m.isLeader() || !m.lagBytes)
        return {};
    // patronictl prints round(lag / 1 MiB).
    return QString::number(qRound64(double(*m.lagBytes) / (1024.0 * 1024.0)));
}

QString haproxyLine(const ClusterSnapshot &s)
{
    const auto &h = s.haproxy;
    if (h.channel.state == ChannelStatus::State::Unknown)
        return Tr::tr("HAProxy: not configured (--haproxy-stats URL)");
    if (!h.channel.ok())
        return Tr::tr("HAProxy: statistics not readable: %1").arg(h.channel.error.toText());
    if (h.readWriteBackend.isEmpty())
        return Tr::tr(
            "HAProxy: no read-write backend found in the statistics (--haproxy-backend NAME)");
    return Tr::tr("HAProxy: read-write backend %1 routes to %2 (stats %3 ms)")
        .arg(h.readWriteBackend, h.readWriteServersUp.isEmpty()
                                     ? Tr::tr("no server")
                                     : h.readWriteServersUp.join(QStringLiteral(", ")))
        .arg(h.channel.latencyMs);
}

// Where PgBouncer's clients land, one line per database (and the fallback): what the probe
// through it reached, or why it was not proven. Empty when nothing was probed.
QString routeLines(const ClusterSnapshot &s)
{
    QString out;
    for (const ClientRoute &r : s.pgbouncer.routes) {
        if (r.kind == ClientRoute::Kind::Address)
            continue;
        const QString via = r.address().isEmpty() ? Tr::tr("address unknown") : r.address();
        QString landing;
        if (r.answered())
            landing = Tr::tr("%1 on %2 (port %3)")
                          .arg(r.landingText(),
                               r.member.isEmpty() ? Tr::tr("an unidentified server") : r.member)
                          .arg(r.serverPort);
        else if (r.error)
            landing = Tr::tr("not proven: %1").arg(r.error.toText());
        else
            landing = r.note.isEmpty() ? Tr::tr("not probed yet") : r.note;
        out +=
            Tr::tr("  %1 (%2, via %3): %4")
                .arg(r.name,
                     r.intent == ClientRoute::Intent::ReadOnly ? Tr::tr("read-only by its name")
                                                               : Tr::tr("read-write by its name"),
                     via, landing) +
            QLatin1Char('\n');
    }
    return out.isEmpty() ? out
                         : Tr::tr("Where PgBouncer's clients land:") + QLatin1Char('\n') + out;
}

QString pgbouncerLine(const ClusterSnapshot &s)
{
    const auto &b = s.pgbouncer;
    if (b.channel.state == ChannelStatus::State::Unknown)
        return Tr::tr("PgBouncer: not configured (--pgbouncer CONNINFO)");
    if (!b.channel.ok())
        return Tr::tr("PgBouncer: admin console not readable: %1").arg(b.channel.error.toText());
    qint64 active = 0, servers = 0;
    for (const auto &p : b.pools) {
        active += p.clientsActive;
        servers += p.serversActive + p.serversIdle + p.serversUsed;
    }
    return Tr::tr("PgBouncer: %1 pool(s), %2 active client(s), %3 waiting, %4 server "
                  "connection(s) (console %5 ms)")
        .arg(b.pools.size())
        .arg(active)
        .arg(b.waitingClients())
        .arg(servers)
        .arg(b.channel.latencyMs);
}

// What one snapshot prints: JSON (one line with --watch), or the report, with --watch after a
// screen clear (a terminal) or a separator line (a pipe).
QByteArray snapshotOutput(const ClusterSnapshot &snap, const StatusCommand::Options &o, bool tty,
                          bool printedOnce)
{
    QByteArray text;
    if (o.json) {
        text = StatusCommand::formatJson(snap, o.watchSeconds.has_value());
        if (!text.endsWith('\n'))
            text += '\n';
        return text;
    }
    if (o.watchSeconds)
        text = tty ? QByteArray("\033[H\033[2J")
                   : (printedOnce ? QByteArray("\n") : QByteArray()) + QByteArray(72, '-') + '\n';
    return text + StatusCommand::formatReport(snap).toLocal8Bit();
}

bool isNumber(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]+(\\.[0-9]+)?$"));
    return re.match(s).hasMatch();
}

// QCommandLineParser has no optional values: "--watch" alone or "--watch N" become
// "--watch=N" before parsing.
QStringList withWatchValues(const QStringList &arguments)
{
    QStringList args;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        if (i > 0 && a == QLatin1String("--watch")) {
            if (i + 1 < arguments.size() && isNumber(arguments[i + 1]))
                args << QStringLiteral("--watch=") + arguments[++i];
            else
                args << QStringLiteral("--watch=%1").arg(kDefaultWatchSeconds);
        } else {
            args << a;
        }
    }
    return args;
}

// The command's parser: --help, the target options (TargetOptions, Use::Status), --watch.
struct StatusParser
{
    QCommandLineParser parser;
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")},
                            Tr::tr("Show this help.")};
    QCommandLineOption watch{
        QStringLiteral("watch"),
        Tr::tr("Refresh every <seconds> (default %1) until Ctrl-C.").arg(kDefaultWatchSeconds),
        Tr::tr("seconds")};
    TargetOptions target{TargetOptions::Use::Status};

    StatusParser()
    {
        parser.setApplicationDescription(
            Tr::tr("Show the state of a Patroni cluster once (or, with --watch, until Ctrl-C): "
                   "members, roles, replication lag, reachability over REST and SQL, HAProxy "
                   "routing, PgBouncer pools and what needs attention. Exit code as Nagios: 0 "
                   "OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n\nPasswords are never given on the "
                   "command line: SQL uses libpq's sources (~/.pgpass, PGPASSFILE, "
                   "PGSERVICEFILE, PGPASSWORD); the Patroni REST password, needed only for "
                   "actions, is read from the environment variable VIGIL_REST_PASSWORD. With "
                   "--profile, the passwords saved for that profile come from the system "
                   "keychain (VIGIL_REST_PASSWORD still wins for REST)."));
        parser.addOption(help);
        target.addTo(parser);
        parser.addOption(watch);
    }
};

StatusCommand::Parsed failed(const QString &message)
{
    StatusCommand::Parsed out;
    out.output = Tr::tr("vigil status: %1").arg(message) + QLatin1Char('\n');
    out.toStderr = true;
    out.exitCode = 3;
    return out;
}

} // namespace

// ---- parsing --------------------------------------------------------------------------------

bool StatusCommand::conninfoHasPassword(const QString &conninfo)
{
    return services::conninfoCarriesPassword(conninfo);
}

StatusCommand::Parsed StatusCommand::parse(const QStringList &arguments,
                                           const QString &restPassword)
{
    StatusParser s;
    QCommandLineParser &p = s.parser;
    if (!p.parse(withWatchValues(arguments)))
        return failed(p.errorText() + QLatin1Char('\n') +
                      Tr::tr("Run 'vigil status --help' for the options."));
    Parsed out;
    if (p.isSet(s.help)) {
        // Qt's first line names the binary's path; the command is what the user typed.
        const QString h = p.helpText();
        out.output = Tr::tr("Usage: vigil status [options]") + h.mid(h.indexOf(QLatin1Char('\n')));
        return out;
    }
    if (!p.positionalArguments().isEmpty())
        return failed(Tr::tr("unexpected argument '%1'.").arg(p.positionalArguments().first()));
    s.target.setRestPassword(restPassword);
    if (const QString e = s.target.read(p); !e.isEmpty())
        return failed(e);

    Options o;
    s.target.values().applyTo(o.profile);
    o.secrets = s.target.values().secrets;
    o.json = s.target.values().json;
    if (p.isSet(s.watch)) {
        bool ok = false;
        const double seconds = p.value(s.watch).toDouble(&ok);
        if (!ok || seconds < 0.2 || seconds > 86400)
            return failed(
                Tr::tr("--watch needs a number of seconds between 0.2 and 86400 (got '%1').")
                    .arg(p.value(s.watch)));
        o.watchSeconds = seconds;
        o.profile.stateIntervalMs = int(seconds * 1000);
    }
    out.options = o;
    return out;
}

// ---- output ---------------------------------------------------------------------------------

int StatusCommand::exitCode(const ClusterSnapshot &s)
{
    const bool anything = s.discovery.ok() || std::any_of(s.members.begin(), s.members.end(),
                                                          [](const MemberSnapshot &m) {
                                                              return m.rest.ok() || m.sql.ok();
                                                          });
    if (!anything)
        return 3;
    switch (s.worstSeverity()) {
    case Finding::Severity::Ok:
        return 0;
    case Finding::Severity::Warning:
        return 1;
    case Finding::Severity::Critical:
        return 2;
    case Finding::Severity::Unknown:
        return 3;
    }
    return 3;
}

QString StatusCommand::formatTable(const ClusterSnapshot &s)
{
    TextTable table({Tr::tr("Member"), Tr::tr("Host"), Tr::tr("Role"), Tr::tr("State"),
                     Tr::tr("TL"), Tr::tr("Lag in MB"), Tr::tr("Pending restart"), Tr::tr("Tags"),
                     Tr::tr("REST"), Tr::tr("SQL"), Tr::tr("Replay lag"), Tr::tr("Replay lag s")});
    for (int column : {4, 5, 10, 11})
        table.setRightAligned(column);
    for (const auto &m : s.members) {
        QString state = m.inDcs ? m.state : Tr::tr("not in DCS");
        if (!m.inDcs && !m.state.isEmpty())
            state = Tr::tr("%1 (not in DCS)").arg(m.state);
        if (m.fromUrlOnly)
            state = m.rest.ok() && m.patroni ? Tr::tr("%1 (own REST)").arg(m.patroni->state)
                                             : Tr::tr("no DCS view");
        const bool replica = !m.isLeader();
        table.addRow(
            {m.name, m.port > 0 ? QStringLiteral("%1:%2").arg(m.host).arg(m.port) : m.host,
             m.role != services::PatroniRole::Unknown ? services::roleName(m.role)
             : m.rest.ok() && m.patroni               ? services::roleName(m.patroni->role)
                                                      : QString(),
             state, m.timeline ? QString::number(*m.timeline) : QString(), lagMbCell(m),
             m.pendingRestart || (m.patroni && m.patroni->pendingRestart) ? QStringLiteral("*")
                                                                          : QString(),
             tagsCell(m.tags), channelCell(m.rest), channelCell(m.sql),
             replica && m.replayLagBytes ? QString::number(*m.replayLagBytes) + QStringLiteral(" B")
                                         : QString(),
             replica && m.replayLagSeconds ? QString::number(*m.replayLagSeconds, 'f', 3)
                                           : QString()});
    }
    return table.render(TextTable::Style::Boxed);
}

QString StatusCommand::formatReport(const ClusterSnapshot &s)
{
    QString out;
    const MemberSnapshot *leader = s.leader();
    QString sysid;
    for (const auto &m : s.members)
        if (m.patroni && !m.patroni->systemIdentifier.isEmpty()) {
            sysid = m.patroni->systemIdentifier;
            break;
        }
    const QString scope = s.scope.isEmpty() ? Tr::tr("(unknown scope)") : s.scope;
    out += (sysid.isEmpty() ? Tr::tr("Cluster: %1").arg(scope)
                            : Tr::tr("Cluster: %1 (%2)").arg(scope, sysid)) +
           QStringLiteral("  ") +
           (leader ? Tr::tr("leader %1").arg(leader->name) : Tr::tr("no leader")) +
           QStringLiteral("  ") +
           Tr::tr("at %1, cycle %2 ms")
               .arg(s.takenAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")))
               .arg(s.cycleMs) +
           QLatin1Char('\n');
    if (!s.discovery.ok() && s.discovery.state != ChannelStatus::State::Unknown)
        out += Tr::tr("Cluster view (GET /cluster): %1").arg(s.discovery.error.toText()) +
               QLatin1Char('\n');
    if (s.paused)
        out += Tr::tr("Maintenance mode: on (paused)") + QLatin1Char('\n');
    if (!s.members.isEmpty())
        out += formatTable(s);
    out += haproxyLine(s) + QLatin1Char('\n');
    out += pgbouncerLine(s) + QLatin1Char('\n');
    if (s.pgbouncer.channel.ok())
        out += routeLines(s);

    if (s.findings.isEmpty()) {
        out += Tr::tr("Findings: none.") + QLatin1Char('\n');
    } else {
        out += Tr::tr("Findings:") + QLatin1Char('\n');
        for (const auto &f : s.findings)
            out += QStringLiteral("  %1 %2 %3\n")
                       .arg(services::severityName(f.severity).leftJustified(8),
                            services::findingCodeName(f.code).leftJustified(22), f.message);
    }
    const int code = exitCode(s);
    static const char *names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    out += Tr::tr("Status: %1").arg(QLatin1String(names[code])) + QLatin1Char('\n');
    return out;
}

QByteArray StatusCommand::formatJson(const ClusterSnapshot &s, bool compact)
{
    return QJsonDocument(services::snapshotToJson(s))
        .toJson(compact ? QJsonDocument::Compact : QJsonDocument::Indented);
}

// ---- the command ----------------------------------------------------------------------------

int StatusCommand::run(const QStringList &arguments)
{
    const Parsed parsed = parse(arguments, qEnvironmentVariable("VIGIL_REST_PASSWORD"));
    if (!parsed.options) {
        std::fputs(parsed.output.toLocal8Bit().constData(), parsed.toStderr ? stderr : stdout);
        return parsed.exitCode;
    }
    const Options &o = *parsed.options;
    const bool tty = ::isatty(STDOUT_FILENO) == 1;

    // The same composition as the GUI: one network manager, one monitor on this thread.
    QNetworkAccessManager nam;
    services::ClusterMonitor monitor(&nam, o.profile, o.secrets);
    int lastCode = 3;
    bool printedOnce = false;
    bool askedAgain = false;
    QObject::connect(&monitor, &services::ClusterMonitor::snapshotReady, &monitor,
                     [&](const services::ClusterSnapshotPtr &snap) {
                         // GET /cluster hung the whole cycle and no member is known yet: one
                         // more cycle asks the members' own REST APIs (ClusterPoller probes
                         // them by URL only then, see finishCycle).
                         if (!o.watchSeconds && !askedAgain && snap->members.isEmpty() &&
                             snap->discovery.state ==
                                 services::ChannelStatus::State::Unresponsive) {
                             askedAgain = true;
                             monitor.pollOnce();
                             return;
                         }
                         lastCode = exitCode(*snap);
                         const QByteArray text = snapshotOutput(*snap, o, tty, printedOnce);
                         std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
                         std::fflush(stdout);
                         printedOnce = true;
                         if (!o.watchSeconds)
                             QCoreApplication::exit(lastCode);
                     });

    if (!o.watchSeconds) {
        monitor.pollOnce();
        // Belt and braces: the monitor emits by its deadline; should it ever not, say so
        // rather than hang a script.
        QTimer::singleShot(2 * o.profile.memberDeadlineMs + 2000, &monitor, [] {
            std::fputs(qPrintable(Tr::tr("vigil status: no answer within the deadline.\n")),
                       stderr);
            QCoreApplication::exit(3);
        });
        return QCoreApplication::exec();
    }
    const StopSignals watchSignals([&] {
        monitor.stop();
        QCoreApplication::exit(printedOnce ? lastCode : 3);
    });
    monitor.start();
    const int rc = QCoreApplication::exec();
    if (watchSignals.active() && tty && !o.json)
        std::fputs("\n", stdout);
    return rc;
}

} // namespace vigil::app
