#include "app/commands/lockscommand.h"

#include "app/tr.h"
#include "models/locktreemodel.h"
#include "services/diagnostics/lockservice.h"
#include "services/patroni/patroniclient.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>
#include <cstdio>

namespace vigil::app {

namespace {
void printErr(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}
} // namespace

bool conninfoHasPassword(const QString &conninfo)
{
    static const QRegularExpression keyword(QStringLiteral("(^|\\s)password\\s*="),
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression uri(QStringLiteral("^postgres(ql)?://[^@/]*:[^@/]*@"),
                                        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression uriParam(QStringLiteral("[?&]password="),
                                             QRegularExpression::CaseInsensitiveOption);
    return keyword.match(conninfo).hasMatch() || uri.match(conninfo).hasMatch() ||
           uriParam.match(conninfo).hasMatch();
}

bool connectTarget(
    const QCommandLineParser &parser, const TargetOptions &o, QObject *parent,
    std::function<void(services::PgSession *, const QString &, const services::ServiceError &)>
        done)
{
    const QString sql = parser.value(o.sql);
    const QString patroni = parser.value(o.patroni);
    if (sql.isEmpty() && patroni.isEmpty()) {
        printErr(Tr::tr(
            "vigil: give --patroni URL (the leader is found from /cluster) or --sql CONNINFO."));
        return false;
    }
    if (conninfoHasPassword(sql)) {
        printErr(
            Tr::tr("vigil: refusing a password in --sql: it would be visible to other users "
                   "(ps) and in the shell history. Use ~/.pgpass, PGPASSFILE or a service file."));
        return false;
    }
    const auto deadline =
        std::chrono::milliseconds(std::max(1000, parser.value(o.timeout).toInt()));
    auto open = [parent, done, deadline](services::PgConnectionSettings settings,
                                         const QString &label) {
        auto *session = new services::PgSession(parent);
        QObject::connect(session, &services::PgSession::opened, parent,
                         [session, label, done] { done(session, label, {}); });
        QObject::connect(
            session, &services::PgSession::failed, parent,
            [session, label, done](const services::ServiceError &e) { done(session, label, e); });
        session->open(settings, deadline);
    };
    if (patroni.isEmpty()) {
        services::PgConnectionSettings settings;
        settings.conninfo = sql;
        settings.overrides = {{QStringLiteral("application_name"), QStringLiteral("vigil")}};
        open(settings, settings.displayHost());
        return true;
    }
    const QUrl url = QUrl::fromUserInput(patroni);
    if (!url.isValid() || url.host().isEmpty()) {
        printErr(Tr::tr("vigil: '%1' is not a valid Patroni REST URL, e.g. http://127.0.0.1:8008")
                     .arg(patroni));
        return false;
    }
    auto *nam = new QNetworkAccessManager(parent);
    services::PatroniEndpoint endpoint;
    endpoint.baseUrl = url;
    auto *client = new services::PatroniClient(nam, endpoint, parent);
    client->setTimeout(deadline);
    const QString wanted = parser.value(o.member);
    const QString base = sql.isEmpty() ? QStringLiteral("dbname=postgres") : sql;
    client->getCluster([open, done, wanted,
                        base](const services::Result<services::PatroniCluster> &r) {
        if (!r.ok()) {
            done(nullptr, {}, r.error());
            return;
        }
        const services::PatroniMember *target = nullptr;
        for (const auto &m : r.value().members)
            if (wanted.isEmpty() ? (m.role == services::PatroniRole::Leader ||
                                    m.role == services::PatroniRole::StandbyLeader)
                                 : m.name == wanted)
                target = target ? target : &m;
        if (!target) {
            done(nullptr, {},
                 services::ServiceError::make(
                     services::ServiceError::Kind::Refused, QStringLiteral("GET /cluster"), {}, {},
                     wanted.isEmpty() ? Tr::tr("The cluster has no leader right now.")
                                      : Tr::tr("No member is called '%1'.").arg(wanted)));
            return;
        }
        services::PgConnectionSettings settings;
        settings.conninfo = base;
        settings.overrides = {{QStringLiteral("host"), target->host},
                              {QStringLiteral("port"), QString::number(target->port)},
                              {QStringLiteral("application_name"), QStringLiteral("vigil")}};
        open(settings,
             QStringLiteral("%1 (%2:%3)").arg(target->name, target->host).arg(target->port));
    });
    return true;
}

namespace {

QJsonObject nodeJson(const services::LockNode &n)
{
    QJsonObject o{{QStringLiteral("pid"), n.pid},
                  {QStringLiteral("backend_start"), n.backendStart},
                  {QStringLiteral("application"), n.application},
                  {QStringLiteral("user"), n.user},
                  {QStringLiteral("database"), n.database},
                  {QStringLiteral("client"), n.clientAddr},
                  {QStringLiteral("state"), n.state},
                  {QStringLiteral("direct"), n.direct},
                  {QStringLiteral("total"), n.total},
                  {QStringLiteral("in_cycle"), n.inCycle},
                  {QStringLiteral("query"), n.query}};
    if (n.isWaiting()) {
        o.insert(QStringLiteral("lock_mode"), n.lockMode);
        o.insert(QStringLiteral("lock_type"), n.lockType);
        o.insert(QStringLiteral("relation"), n.relation);
        o.insert(QStringLiteral("lock_target"), n.lockTarget);
        if (n.waitSeconds)
            o.insert(QStringLiteral("waiting_seconds"), *n.waitSeconds);
        QJsonArray by;
        for (int p : n.blockedBy)
            by.append(p);
        o.insert(QStringLiteral("blocked_by"), by);
    }
    if (n.xactAge)
        o.insert(QStringLiteral("transaction_seconds"), *n.xactAge);
    return o;
}

// Walks the model (fetching lazily loaded children), so the text and JSON are the GUI's tree.
void walk(models::LockTreeModel &model, const QModelIndex &parent, int depth, QStringList &lines,
          QJsonArray &out)
{
    while (model.canFetchMore(parent))
        model.fetchMore(parent);
    const int rows = model.rowCount(parent);
    for (int r = 0; r < rows; ++r) {
        const QModelIndex idx = model.index(r, 0, parent);
        const services::LockNode *n = model.nodeFor(idx);
        QStringList cells;
        for (int c = 0; c < models::LockTreeModel::ColumnCount; ++c) {
            if (c == models::LockTreeModel::Query)
                continue;
            const QString t = model.index(r, c, parent).data().toString();
            if (!t.isEmpty())
                cells.append(t);
        }
        lines.append(QString(depth * 4, QLatin1Char(' ')) +
                     (depth ? QStringLiteral("└─ ") : QString()) +
                     cells.join(QStringLiteral("  |  ")));
        lines.append(QString(depth * 4 + (depth ? 3 : 0), QLatin1Char(' ')) +
                     QStringLiteral("   ") + n->query.simplified().left(160));
        QJsonObject o = nodeJson(*n);
        QJsonArray children;
        walk(model, idx, depth + 1, lines, children);
        if (!children.isEmpty())
            o.insert(QStringLiteral("blocked"), children);
        out.append(o);
    }
}

} // namespace

int runLocksCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Print the lock blocker tree of a PostgreSQL server: root "
               "blockers first, the sessions they hold up below them."));
    parser.addHelpOption();
    TargetOptions o;
    o.addTo(parser);
    parser.process(arguments);
    const bool json = parser.isSet(o.json);

    int exitCode = 1;
    QObject scope;
    const bool started = connectTarget(
        parser, o, &scope,
        [&](services::PgSession *session, const QString &label,
            const services::ServiceError &error) {
            if (error) {
                printErr(Tr::tr("vigil locks: %1").arg(error.toText()));
                QCoreApplication::exit(1);
                return;
            }
            auto *service = new services::LockService(session, &scope);
            service->fetch(
                [&, label](const services::Result<services::LockTreeSnapshot> &r) {
                    if (!r.ok()) {
                        printErr(Tr::tr("vigil locks: %1").arg(r.error().toText()));
                        QCoreApplication::exit(1);
                        return;
                    }
                    models::LockTreeModel model;
                    model.setSnapshot(r.value());
                    QStringList lines;
                    QJsonArray roots;
                    walk(model, {}, 0, lines, roots);
                    if (json) {
                        const QJsonObject doc{
                            {QStringLiteral("server"), label},
                            {QStringLiteral("read_ms"), r.value().roundTripMs},
                            {QStringLiteral("root_blockers"), model.rootCount()},
                            {QStringLiteral("waiting_sessions"), model.waitingCount()},
                            {QStringLiteral("roots"), roots}};
                        std::printf("%s\n",
                                    QJsonDocument(doc).toJson(QJsonDocument::Indented).constData());
                    } else {
                        std::printf(
                            "%s\n",
                            qPrintable(
                                model.rootCount() == 0
                                    ? Tr::tr(
                                          "No session is waiting on a lock on %1 (read in %2 ms).")
                                          .arg(label)
                                          .arg(r.value().roundTripMs)
                                    : Tr::tr("Blocker tree on %1: %2 root blocker(s) holding up %3 "
                                             "waiting session(s) (read in %4 ms).")
                                          .arg(label)
                                          .arg(model.rootCount())
                                          .arg(model.waitingCount())
                                          .arg(r.value().roundTripMs)));
                        for (const QString &l : lines)
                            std::printf("%s\n", qPrintable(l));
                    }
                    std::fflush(stdout);
                    QCoreApplication::exit(0);
                },
                std::chrono::milliseconds(std::max(1000, parser.value(o.timeout).toInt())));
        });
    if (!started)
        return 2;
    exitCode = QCoreApplication::exec();
    return exitCode;
}

} // namespace vigil::app
