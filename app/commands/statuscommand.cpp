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
//   pgbouncer   {configured, channel, waiting_clients, pools[]}
//   findings[]  {severity, code (stable: split_brain, no_leader, replica_down, ...), member,
//               message (translated sentence)}
// A member's data is the last known when its channel is not "ok" (see last_ok). Unknown values
// are null. With --watch, each snapshot is printed on one line (JSON Lines).
//
// Exit codes (Nagios): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad arguments, nothing of the
// cluster reachable, or Vigil's own login refused).
#include "app/commands/statuscommand.h"

#include "app/tr.h"
#include "models/formatting.h"
#include "services/monitor/snapshotjson.h"
#include "services/patroni/patronitypes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTimer>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::app {

using services::ChannelStatus;
using services::ClusterSnapshot;
using services::Finding;
using services::MemberSnapshot;

namespace {

constexpr int kDefaultTimeoutMs = 2000;
constexpr double kDefaultWatchSeconds = 2.0;

// ---- table rendering ------------------------------------------------------------------------

// A plain ASCII table in the style of patronictl (+---+ borders), widths from the content.
QString renderTable(const QStringList &header, const QList<QStringList> &rows,
                    const QList<bool> &rightAligned)
{
    QList<int> width;
    for (const auto &h : header)
        width << int(h.size());
    for (const auto &r : rows)
        for (int i = 0; i < r.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], int(r[i].size()));
    QString rule = QStringLiteral("+");
    for (int w : width)
        rule += QString(w + 2, QLatin1Char('-')) + QLatin1Char('+');
    rule += QLatin1Char('\n');
    auto line = [&](const QStringList &cells) {
        QString out = QStringLiteral("|");
        for (int i = 0; i < width.size(); ++i) {
            const QString c = i < cells.size() ? cells[i] : QString();
            out +=
                QLatin1Char(' ') +
                (rightAligned.value(i) ? c.rightJustified(width[i]) : c.leftJustified(width[i])) +
                QStringLiteral(" |");
        }
        return out + QLatin1Char('\n');
    };
    QString out = rule + line(header) + rule;
    for (const auto &r : rows)
        out += line(r);
    return out + rule;
}

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

// ---- SIGINT/SIGTERM for --watch: the self-pipe trick (a handler may only write(2)) -------------

int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[0], &c, 1);
}

bool isNumber(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]+(\\.[0-9]+)?$"));
    return re.match(s).hasMatch();
}

// libpq keyword syntax: a value in single quotes, with \ and ' escaped.
QString conninfoValue(const QString &v)
{
    QString e = v;
    e.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    e.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + e + QLatin1Char('\'');
}

bool isUri(const QString &conninfo)
{
    return conninfo.startsWith(QLatin1String("postgresql://")) ||
           conninfo.startsWith(QLatin1String("postgres://"));
}

} // namespace

// ---- parsing --------------------------------------------------------------------------------

bool StatusCommand::conninfoHasPassword(const QString &conninfo)
{
    if (isUri(conninfo)) {
        // postgresql://user:secret@host/db  or  ...?password=secret
        const QUrl u(conninfo);
        static const QRegularExpression query(QStringLiteral("[?&]password="));
        return !u.password().isEmpty() || query.match(conninfo).hasMatch();
    }
    static const QRegularExpression kw(QStringLiteral("(^|\\s)password\\s*="));
    return kw.match(conninfo).hasMatch();
}

StatusCommand::Parsed StatusCommand::parse(const QStringList &arguments,
                                           const QString &restPassword)
{
    // QCommandLineParser has no optional values: "--watch" alone or "--watch N" become
    // "--watch=N" before parsing.
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

    QCommandLineParser p;
    p.setApplicationDescription(
        Tr::tr("Show the state of a Patroni cluster once (or, with --watch, until Ctrl-C): "
               "members, roles, replication lag, reachability over REST and SQL, HAProxy "
               "routing, PgBouncer pools and what needs attention. Exit code as Nagios: 0 OK, 1 "
               "WARNING, 2 CRITICAL, 3 UNKNOWN.\n\nPasswords are never given on the command "
               "line: SQL uses libpq's sources (~/.pgpass, PGPASSFILE, PGSERVICEFILE, "
               "PGPASSWORD); the Patroni REST password, needed only for actions, is read from "
               "the environment variable VIGIL_REST_PASSWORD."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption patroni(QStringLiteral("patroni"),
                                     Tr::tr("Patroni REST API of any member, e.g. "
                                            "http://127.0.0.1:8008 (the others are discovered). "
                                            "Repeat it to name more members, tried in turn "
                                            "when the first does not answer."),
                                     Tr::tr("url"));
    const QCommandLineOption profile(
        QStringLiteral("profile"), Tr::tr("Use the saved cluster profile <name>."), Tr::tr("name"));
    const QCommandLineOption dbname(QStringLiteral("dbname"),
                                    Tr::tr("Database for the SQL probes (default postgres)."),
                                    Tr::tr("name"));
    const QCommandLineOption user(QStringLiteral("user"),
                                  Tr::tr("Database user for the SQL probes (needs pg_monitor)."),
                                  Tr::tr("name"));
    const QCommandLineOption sql(QStringLiteral("sql"),
                                 Tr::tr("libpq connection options for the SQL probes, without "
                                        "host/port (taken from each member), e.g. "
                                        "\"service=prod sslmode=require\"."),
                                 Tr::tr("conninfo"));
    const QCommandLineOption haproxy(QStringLiteral("haproxy-stats"),
                                     Tr::tr("HAProxy statistics CSV URL, e.g. "
                                            "http://127.0.0.1:7000/;csv"),
                                     Tr::tr("url"));
    const QCommandLineOption haproxyBackend(
        QStringLiteral("haproxy-backend"),
        Tr::tr("Name of HAProxy's read-write listen/backend section (default: primary, or a "
               "common name found in the statistics)."),
        Tr::tr("name"));
    const QCommandLineOption pgbouncer(QStringLiteral("pgbouncer"),
                                       Tr::tr("PgBouncer admin console conninfo, e.g. "
                                              "\"host=127.0.0.1 port=6432 dbname=pgbouncer "
                                              "user=stats\"."),
                                       Tr::tr("conninfo"));
    const QCommandLineOption restUser(QStringLiteral("rest-user"),
                                      Tr::tr("Patroni REST user (password from "
                                             "VIGIL_REST_PASSWORD)."),
                                      Tr::tr("name"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     Tr::tr("Deadline per member and channel in milliseconds "
                                            "(default %1).")
                                         .arg(kDefaultTimeoutMs),
                                     Tr::tr("ms"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  Tr::tr("Print the snapshot as JSON (schema vigil.status/1)."));
    const QCommandLineOption watch(
        QStringLiteral("watch"),
        Tr::tr("Refresh every <seconds> (default %1) until Ctrl-C.").arg(kDefaultWatchSeconds),
        Tr::tr("seconds"));
    p.addOptions({help, patroni, profile, dbname, user, sql, haproxy, haproxyBackend, pgbouncer,
                  restUser, timeout, json, watch});

    Parsed out;
    auto fail = [&out](const QString &message) {
        out.output = Tr::tr("vigil status: %1").arg(message) + QLatin1Char('\n');
        out.toStderr = true;
        out.exitCode = 3;
        return out;
    };

    if (!p.parse(args))
        return fail(p.errorText() + QLatin1Char('\n') +
                    Tr::tr("Run 'vigil status --help' for the options."));
    if (p.isSet(help)) {
        // Qt's first line names the binary's path; the command is what the user typed.
        const QString h = p.helpText();
        out.output = Tr::tr("Usage: vigil status [options]") + h.mid(h.indexOf(QLatin1Char('\n')));
        return out;
    }
    if (!p.positionalArguments().isEmpty())
        return fail(Tr::tr("unexpected argument '%1'.").arg(p.positionalArguments().first()));

    Options o;
    if (p.isSet(profile))
        return fail(Tr::tr("no saved cluster profile named '%1' exists (saved profiles are not "
                           "available in this version yet). Give the cluster with --patroni URL.")
                        .arg(p.value(profile)));
    if (!p.isSet(patroni))
        return fail(Tr::tr("give the cluster with --patroni URL (the Patroni REST API of any "
                           "member, e.g. http://127.0.0.1:8008)."));

    QList<QUrl> urls;
    for (const QString &value : p.values(patroni)) {
        const QUrl url = QUrl::fromUserInput(value);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return fail(Tr::tr("'%1' is not a valid Patroni REST URL, e.g. http://127.0.0.1:8008.")
                            .arg(value));
        if (!url.password().isEmpty())
            return fail(Tr::tr("the Patroni URL carries a password; give it in "
                               "VIGIL_REST_PASSWORD instead, never on the command line."));
        urls << url;
    }
    o.profile.name = urls.first().authority();
    o.profile.patroniUrl = urls.takeFirst();
    o.profile.patroniFallbackUrls = urls;

    QString conninfo = p.isSet(sql) ? p.value(sql) : QStringLiteral("dbname=postgres");
    if (conninfoHasPassword(conninfo))
        return fail(Tr::tr("--sql carries a password; use ~/.pgpass, PGPASSFILE, a service file "
                           "or PGPASSWORD instead, never the command line."));
    if ((p.isSet(dbname) || p.isSet(user)) && isUri(conninfo))
        return fail(Tr::tr("--dbname/--user cannot be combined with a URI in --sql; put them in "
                           "the URI."));
    if (p.isSet(dbname))
        conninfo += QStringLiteral(" dbname=") + conninfoValue(p.value(dbname));
    if (p.isSet(user))
        conninfo += QStringLiteral(" user=") + conninfoValue(p.value(user));
    o.profile.sqlConninfo = conninfo.trimmed();

    if (p.isSet(haproxy)) {
        const QUrl h = QUrl::fromUserInput(p.value(haproxy));
        if (!h.isValid() || h.host().isEmpty())
            return fail(Tr::tr("'%1' is not a valid HAProxy statistics URL, e.g. "
                               "http://127.0.0.1:7000/;csv.")
                            .arg(p.value(haproxy)));
        o.profile.haproxyStatsUrl = h;
    }
    if (p.isSet(haproxyBackend))
        o.profile.haproxyReadWriteBackend = p.value(haproxyBackend);
    if (p.isSet(pgbouncer)) {
        if (conninfoHasPassword(p.value(pgbouncer)))
            return fail(Tr::tr("--pgbouncer carries a password; use ~/.pgpass, PGPASSFILE or a "
                               "service file instead, never the command line."));
        o.profile.pgbouncerConninfo = p.value(pgbouncer);
    }
    o.profile.restUser = p.value(restUser);
    o.secrets.restPassword = restPassword;

    o.profile.memberDeadlineMs = kDefaultTimeoutMs;
    if (p.isSet(timeout)) {
        bool ok = false;
        const int ms = p.value(timeout).toInt(&ok);
        if (!ok || ms < 100 || ms > 600000)
            return fail(Tr::tr("--timeout needs milliseconds between 100 and 600000 (got '%1').")
                            .arg(p.value(timeout)));
        o.profile.memberDeadlineMs = ms;
    }
    o.json = p.isSet(json);
    if (p.isSet(watch)) {
        bool ok = false;
        const double s = p.value(watch).toDouble(&ok);
        if (!ok || s < 0.2 || s > 86400)
            return fail(
                Tr::tr("--watch needs a number of seconds between 0.2 and 86400 (got '%1').")
                    .arg(p.value(watch)));
        o.watchSeconds = s;
        o.profile.stateIntervalMs = int(s * 1000);
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
    const QStringList header{Tr::tr("Member"),
                             Tr::tr("Host"),
                             Tr::tr("Role"),
                             Tr::tr("State"),
                             Tr::tr("TL"),
                             Tr::tr("Lag in MB"),
                             Tr::tr("Pending restart"),
                             Tr::tr("Tags"),
                             Tr::tr("REST"),
                             Tr::tr("SQL"),
                             Tr::tr("Replay lag"),
                             Tr::tr("Replay lag s")};
    const QList<bool> right{false, false, false, false, true, true,
                            false, false, false, false, true, true};
    QList<QStringList> rows;
    for (const auto &m : s.members) {
        QString state = m.inDcs ? m.state : Tr::tr("not in DCS");
        if (!m.inDcs && !m.state.isEmpty())
            state = Tr::tr("%1 (not in DCS)").arg(m.state);
        const bool replica = !m.isLeader();
        rows << QStringList{
            m.name,
            m.port > 0 ? QStringLiteral("%1:%2").arg(m.host).arg(m.port) : m.host,
            m.role == services::PatroniRole::Unknown ? QString() : services::roleName(m.role),
            state,
            m.timeline ? QString::number(*m.timeline) : QString(),
            lagMbCell(m),
            m.pendingRestart || (m.patroni && m.patroni->pendingRestart) ? QStringLiteral("*")
                                                                         : QString(),
            tagsCell(m.tags),
            channelCell(m.rest),
            channelCell(m.sql),
            replica && m.replayLagBytes ? QString::number(*m.replayLagBytes) + QStringLiteral(" B")
                                        : QString(),
            replica && m.replayLagSeconds ? QString::number(*m.replayLagSeconds, 'f', 3)
                                          : QString()};
    }
    return renderTable(header, rows, right);
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

    QObject::connect(&monitor, &services::ClusterMonitor::snapshotReady, &monitor,
                     [&](const services::ClusterSnapshotPtr &snap) {
                         lastCode = exitCode(*snap);
                         QByteArray text;
                         if (o.json) {
                             text = formatJson(*snap, o.watchSeconds.has_value());
                             if (!text.endsWith('\n'))
                                 text += '\n';
                         } else {
                             if (o.watchSeconds)
                                 text = tty ? QByteArray("\033[H\033[2J")
                                            : (printedOnce ? QByteArray("\n") : QByteArray()) +
                                                  QByteArray(72, '-') + '\n';
                             text += formatReport(*snap).toLocal8Bit();
                         }
                         std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
                         std::fflush(stdout);
                         printedOnce = true;
                         if (!o.watchSeconds)
                             QCoreApplication::exit(lastCode);
                     });

    std::unique_ptr<QSocketNotifier> signalNotifier;
    struct sigaction oldInt = {}, oldTerm = {};
    if (o.watchSeconds) {
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) == 0) {
            struct sigaction sa = {};
            sa.sa_handler = onSignal;
            sigemptyset(&sa.sa_mask);
            sa.sa_flags = SA_RESTART;
            ::sigaction(SIGINT, &sa, &oldInt);
            ::sigaction(SIGTERM, &sa, &oldTerm);
            signalNotifier =
                std::make_unique<QSocketNotifier>(g_signalFds[1], QSocketNotifier::Read);
            QObject::connect(signalNotifier.get(), &QSocketNotifier::activated, [&] {
                char c;
                [[maybe_unused]] const auto n = ::read(g_signalFds[1], &c, 1);
                monitor.stop();
                QCoreApplication::exit(printedOnce ? lastCode : 3);
            });
        }
        monitor.start();
    } else {
        monitor.pollOnce();
        // Belt and braces: the monitor emits by its deadline; should it ever not, say so
        // rather than hang a script.
        QTimer::singleShot(o.profile.memberDeadlineMs + 2000, &monitor, [] {
            std::fputs(qPrintable(Tr::tr("vigil status: no answer within the deadline.\n")),
                       stderr);
            QCoreApplication::exit(3);
        });
    }

    const int rc = QCoreApplication::exec();
    if (signalNotifier) {
        ::sigaction(SIGINT, &oldInt, nullptr);
        ::sigaction(SIGTERM, &oldTerm, nullptr);
        signalNotifier.reset();
        ::close(g_signalFds[0]);
        ::close(g_signalFds[1]);
        g_signalFds[0] = g_signalFds[1] = -1;
        if (tty && !o.json)
            std::fputs("\n", stdout);
    }
    return rc;
}

} // namespace vigil::app
