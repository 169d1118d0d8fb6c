#include "app/commands/terminatecommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/operationcommandoptions.h"
#include "app/commands/targetsession.h"
#include "app/commands/texttable.h"
#include "app/tr.h"
#include "models/formatting.h"
#include "services/core/confirmation.h"
#include "services/patroni/patroniclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>

namespace vigil::app {

using namespace vigil::services;

namespace {

const QString kName = QStringLiteral("terminate");

void fail(const QString &message, int code)
{
    failCommand(kName, message, code);
}

struct Request
{
    IdleCriteria criteria;
    QString member; // empty: the leader
    QSet<int> pids; // empty: every matching session
};

// --idle-longer-than / --idle-in-transaction-longer-than into `into`; false (the reason
// printed) when the text is no duration.
bool readDuration(const QCommandLineParser &p, const QCommandLineOption &o,
                  std::optional<double> &into)
{
    into.reset();
    if (!p.isSet(o))
        return true;
    into = models::parseDurationSeconds(p.value(o));
    if (!into)
        printErr(
            Tr::tr("vigil %1: '%2' is not a duration (e.g. 90s, 10m, 2h).").arg(kName, p.value(o)) +
            QLatin1Char('\n'));
    return into.has_value();
}

// Reads the command line. Returns the exit code when the command stops here.
std::optional<int> parseRequest(Request &r, OperationCommandOptions &common,
                                const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(Tr::tr("Terminates idle sessions on one member, exactly those "
                                       "previewed; without --confirm CLUSTER only previews."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption idle(QStringLiteral("idle-longer-than"),
                                  Tr::tr("Sessions idle for longer than this: 90s, 10m, 2h."),
                                  Tr::tr("duration"));
    const QCommandLineOption idleTx(
        QStringLiteral("idle-in-transaction-longer-than"),
        Tr::tr("Sessions idle in a transaction for longer than this (they hold locks)."),
        Tr::tr("duration"));
    const QCommandLineOption app(QStringLiteral("application"),
                                 Tr::tr("Only this application name, SQL LIKE pattern (hokm%)."),
                                 Tr::tr("pattern"));
    const QCommandLineOption user(QStringLiteral("user"), Tr::tr("Only this user."),
                                  Tr::tr("name"));
    const QCommandLineOption db(QStringLiteral("database"), Tr::tr("Only this database."),
                                Tr::tr("name"));
    const QCommandLineOption member(QStringLiteral("member"),
                                    Tr::tr("The member to act on (default: the leader)."),
                                    Tr::tr("name"));
    const QCommandLineOption pid(
        QStringLiteral("pid"),
        Tr::tr("Only these PIDs of the preview (repeat, or separate with commas)."), Tr::tr("pid"));
    p.addOptions({help, idle, idleTx, app, user, db, member, pid});
    if (const auto rc = common.parse(p, arguments, kName, help,
                                     Tr::tr("Usage: vigil terminate --idle-longer-than 10m "
                                            "[--confirm CLUSTER] [options]")))
        return rc;
    if (!readDuration(p, idle, r.criteria.idleSeconds) ||
        !readDuration(p, idleTx, r.criteria.idleInTransactionSeconds))
        return 3;
    if (!r.criteria.idleSeconds && !r.criteria.idleInTransactionSeconds) {
        printErr(Tr::tr("vigil %1: say which sessions, e.g. --idle-longer-than 10m.").arg(kName) +
                 QLatin1Char('\n'));
        return 3;
    }
    for (const QString &v : p.values(pid))
        for (const QString &part : v.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int n = part.trimmed().toInt(&ok);
            if (!ok || n <= 0) {
                printErr(Tr::tr("vigil %1: '%2' is not a PID.").arg(kName, part) +
                         QLatin1Char('\n'));
                return 3;
            }
            r.pids.insert(n);
        }
    r.criteria.applicationPattern = p.value(app);
    r.criteria.user = p.value(user);
    r.criteria.database = p.value(db);
    r.member = p.value(member);
    return std::nullopt;
}

// Terminates the plan's sessions through `service` and prints what happened to each.
void terminate(SessionsService *service, const IdlePlan &plan, const IdleCriteria &criteria)
{
    service->signal(
        SignalAction::Terminate, plan.entries,
        [](const Result<QList<SignalOutcome>> &r) {
            if (!r.ok())
                return fail(Tr::tr("nothing was terminated: %1").arg(r.error().toText()),
                            r.error().kind == ServiceError::Kind::Refused ? 2 : 1);
            printOut(TerminateCommand::report(r.value()));
            QCoreApplication::exit(TerminateCommand::exitCode(r.value()));
        },
        QStringLiteral("terminate_idle_sessions"), criteria.toJson());
}

// Previews on the member's session and, when confirmed, terminates.
void previewAndRun(PgSession *session, const QString &label, const QString &cluster,
                   const Request &request, const OperationCommandOptions &common, QObject *scope)
{
    const QString member = label.section(QLatin1Char(' '), 0, 0);
    const OperationContext &ctx = common.context();
    auto *service = new SessionsService(session, {cluster, member, ctx.guard, ctx.audit}, scope);
    service->fetch([=, &common](const Result<QList<SessionRow>> &r) {
        if (!r.ok())
            return fail(r.error().toText(), 3);
        const IdlePlan plan = TerminateCommand::narrowed(
            SessionsService::planIdleTermination(r.value(), request.criteria), request.pids);
        printOut(TerminateCommand::preview(plan, label, cluster));
        if (plan.entries.isEmpty())
            return QCoreApplication::exit(0);
        if (!common.confirmGiven()) {
            printOut(Tr::tr("Dry run: nothing was terminated. To terminate exactly these "
                            "sessions (those still idle with the same PID and start time), run "
                            "the same command with --confirm %1.")
                         .arg(cluster) +
                     QLatin1Char('\n'));
            return QCoreApplication::exit(0);
        }
        if (!confirmationMatches(common.confirm(), cluster))
            return fail(Tr::tr("--confirm names %1, but this is cluster %2; nothing was "
                               "terminated.")
                            .arg(common.confirm(), cluster),
                        2);
        terminate(service, plan, request.criteria);
    });
}

int execute(const Request &request, OperationCommandOptions &common)
{
    QNetworkAccessManager nam;
    QObject scope;
    const OperationContext &ctx = common.context();
    PatroniClient patroni(&nam, ctx.endpoint(ctx.profile.patroniUrl));
    // The options as given (the SQL conninfo, the REST TLS files): the member's session is
    // opened like `vigil sessions` opens it, on the first --patroni URL's view of the cluster.
    TargetOptions::Values target = common.target();
    target.patroniUrls = {ctx.profile.patroniUrl};
    target.member = request.member;
    target.timeoutMs = 10000;
    patroni.getPatroni([&](const Result<PatroniNodeStatus> &st) {
        if (!st.ok())
            return fail(st.error().toText(), 3);
        const QString cluster = st->scope;
        connectTarget(
            target, &scope,
            [&, cluster](PgSession *session, const QString &label, const ServiceError &e) {
                if (e)
                    return fail(e.toText(), 3);
                previewAndRun(session, label, cluster, request, common, &scope);
            });
    });
    return QCoreApplication::exec();
}

} // namespace

QString TerminateCommand::preview(const IdlePlan &plan, const QString &member,
                                  const QString &cluster)
{
    QString out = plan.entries.isEmpty()
                      ? Tr::tr("No session on %1 of cluster %2 matches; nothing to terminate.")
                            .arg(member, cluster)
                      : Tr::tr("%n session(s) on %1 of cluster %2 will be terminated (their "
                               "connections closed, open transactions rolled back):",
                               nullptr, int(plan.entries.size()))
                            .arg(member, cluster);
    out += QLatin1Char('\n');
    if (!plan.rows.isEmpty()) {
        TextTable table({Tr::tr("PID"), Tr::tr("Backend start"), Tr::tr("Application"),
                         Tr::tr("User"), Tr::tr("Database"), Tr::tr("Client"), Tr::tr("State"),
                         Tr::tr("For"), Tr::tr("Last query")});
        table.setMaxWidth(2, 30);
        table.setMaxWidth(8, 60);
        for (const SessionRow &row : plan.rows)
            table.addRow({QString::number(row.pid), row.backendStart, row.application, row.user,
                          row.database, row.clientAddr, row.state,
                          models::formatDuration(qint64(row.stateAge.value_or(0))),
                          row.query.simplified()});
        out += table.render(TextTable::Style::Plain);
    }
    for (const auto &e : plan.excluded)
        out += Tr::tr("Left alone: %1").arg(e.second) + QLatin1Char('\n');
    return out;
}

IdlePlan TerminateCommand::narrowed(const IdlePlan &plan, const QSet<int> &pids)
{
    if (pids.isEmpty())
        return plan;
    IdlePlan out;
    out.excluded = plan.excluded;
    for (int i = 0; i < plan.entries.size(); ++i)
        if (pids.contains(plan.entries[i].ref.pid)) {
            out.entries << plan.entries[i];
            out.rows << plan.rows.value(i);
        }
    return out;
}

QString TerminateCommand::report(const QList<SignalOutcome> &outcomes)
{
    QString out;
    int done = 0;
    for (const SignalOutcome &o : outcomes) {
        done += o.done() ? 1 : 0;
        out += QStringLiteral("  ") + o.describe(SignalAction::Terminate) + QLatin1Char('\n');
    }
    const int left = int(outcomes.size()) - done;
    out += left == 0 ? Tr::tr("%n session(s) terminated. The action is recorded in the audit log.",
                              nullptr, done)
                     : Tr::tr("%1 session(s) terminated, %2 left alone (see why above). The "
                              "action is recorded in the audit log.")
                           .arg(done)
                           .arg(left);
    return out + QLatin1Char('\n');
}

int TerminateCommand::exitCode(const QList<SignalOutcome> &outcomes)
{
    for (const SignalOutcome &o : outcomes)
        if (!o.done())
            return o.kind == SignalOutcome::Kind::Refused ? 2 : 1;
    return 0;
}

int TerminateCommand::run(const QStringList &arguments)
{
    Request request;
    OperationCommandOptions common;
    if (const auto rc = parseRequest(request, common, arguments))
        return *rc;
    return execute(request, common);
}

} // namespace vigil::app
