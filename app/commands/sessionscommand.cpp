#include "app/commands/sessionscommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/targetoptions.h"
#include "app/commands/targetsession.h"
#include "app/commands/texttable.h"
#include "app/tr.h"
#include "models/sessionsfiltermodel.h"
#include "models/sessionstablemodel.h"
#include "services/diagnostics/sessionsservice.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::app {

namespace {

// The command's own options (the filter); the target options are TargetOptions'.
struct SessionsOptions
{
    QCommandLineOption state{
        QStringLiteral("state"),
        Tr::tr("Only sessions in this state (active, idle, \"idle in transaction\", ...); "
               "repeat or separate with commas."),
        Tr::tr("state")};
    QCommandLineOption minDuration{
        QStringLiteral("min-duration"),
        Tr::tr("Only sessions whose running query (active) or current state "
               "(otherwise) lasts at least this long: 90, 90s, 5m, 2h."),
        Tr::tr("duration")};
    QCommandLineOption application{QStringLiteral("application"),
                                   Tr::tr("Application name, SQL LIKE pattern (e.g. hokm%)."),
                                   Tr::tr("pattern")};
    QCommandLineOption user{QStringLiteral("user"), Tr::tr("Only this user."), Tr::tr("name")};
    QCommandLineOption database{QStringLiteral("database"), Tr::tr("Only this database."),
                                Tr::tr("name")};
    QCommandLineOption all{QStringLiteral("all"),
                           Tr::tr("Include background processes and replication.")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({state, minDuration, application, user, database, all});
    }
    // The filter, or the reason the options make none.
    std::optional<models::SessionsFilterModel::Criteria> read(const QCommandLineParser &parser,
                                                              QString *error) const;
};

std::optional<models::SessionsFilterModel::Criteria>
SessionsOptions::read(const QCommandLineParser &parser, QString *error) const
{
    models::SessionsFilterModel::Criteria criteria;
    for (const QString &v : parser.values(state))
        for (const QString &s : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
            criteria.states.insert(s.trimmed());
    if (parser.isSet(minDuration)) {
        const auto seconds = parseDurationSeconds(parser.value(minDuration));
        if (!seconds) {
            *error = Tr::tr("vigil sessions: '%1' is not a duration (e.g. 90s, 5m, 2h).")
                         .arg(parser.value(minDuration));
            return std::nullopt;
        }
        criteria.minimumDurationSeconds = *seconds;
    }
    criteria.applicationPattern = parser.value(application);
    criteria.user = parser.value(user);
    criteria.database = parser.value(database);
    criteria.showBackgroundProcesses = parser.isSet(all);
    return criteria;
}

QJsonObject sessionJson(const services::SessionRow &a)
{
    QJsonObject o{{QStringLiteral("pid"), a.pid},
                  {QStringLiteral("backend_start"), a.backendStart},
                  {QStringLiteral("user"), a.user},
                  {QStringLiteral("database"), a.database},
                  {QStringLiteral("application"), a.application},
                  {QStringLiteral("client"), a.clientAddr},
                  {QStringLiteral("state"), a.state},
                  {QStringLiteral("backend_type"), a.backendType},
                  {QStringLiteral("wait_event_type"), a.waitEventType},
                  {QStringLiteral("wait_event"), a.waitEvent},
                  {QStringLiteral("query"), a.query}};
    if (a.stateAge)
        o.insert(QStringLiteral("state_seconds"), *a.stateAge);
    if (a.queryAge)
        o.insert(QStringLiteral("query_seconds"), *a.queryAge);
    if (a.xactAge)
        o.insert(QStringLiteral("transaction_seconds"), *a.xactAge);
    QJsonArray by;
    for (int p : a.blockedBy)
        by.append(p);
    if (!by.isEmpty())
        o.insert(QStringLiteral("blocked_by"), by);
    return o;
}

QString sessionsJson(const models::SessionsTableModel &model,
                     const models::SessionsFilterModel &filter, const QString &label)
{
    QJsonArray rows;
    for (int i = 0; i < filter.rowCount(); ++i)
        rows.append(sessionJson(model.rowAt(filter.mapToSource(filter.index(i, 0)).row())));
    const QJsonObject doc{{QStringLiteral("server"), label},
                          {QStringLiteral("total"), model.rowCount()},
                          {QStringLiteral("sessions"), rows}};
    return QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented)) +
           QLatin1Char('\n');
}

// A headline and the filtered rows in the view's columns (the query last, not padded).
QString sessionsText(const models::SessionsTableModel &model,
                     const models::SessionsFilterModel &filter, const QString &label)
{
    using M = models::SessionsTableModel;
    const QList<int> cols = {M::Pid,   M::User,     M::Database, M::Application, M::Client,
                             M::State, M::StateAge, M::QueryAge, M::Wait,        M::Query};
    QStringList header;
    for (int c : cols)
        header.append(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    TextTable table(header);
    for (int i = 0; i < cols.size(); ++i)
        table.setMaxWidth(i, cols[i] == M::Query ? 80 : 40);
    for (int i = 0; i < filter.rowCount(); ++i) {
        QStringList line;
        for (int c : cols)
            line.append(filter.index(i, c).data().toString());
        table.addRow(line);
    }
    return Tr::tr("Sessions on %1: %2 of %3 shown.")
               .arg(label)
               .arg(filter.rowCount())
               .arg(model.rowCount()) +
           QLatin1Char('\n') + table.render(TextTable::Style::Plain);
}

// Filters the rows like the sessions view (sorted by pid) and prints them, as text or JSON.
void printSessions(const QList<services::SessionRow> &rows,
                   const models::SessionsFilterModel::Criteria &criteria, const QString &label,
                   bool json)
{
    models::SessionsTableModel model;
    model.setSessions(rows);
    models::SessionsFilterModel filter;
    filter.setSourceModel(&model);
    filter.setStates(criteria.states);
    filter.setApplicationPattern(criteria.applicationPattern);
    filter.setUser(criteria.user);
    filter.setDatabase(criteria.database);
    filter.setMinimumDurationSeconds(criteria.minimumDurationSeconds);
    filter.setShowBackgroundProcesses(criteria.showBackgroundProcesses);
    filter.sort(models::SessionsTableModel::Pid, Qt::AscendingOrder);
    printOut(json ? sessionsJson(model, filter, label) : sessionsText(model, filter, label));
}

} // namespace

int runSessionsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("List the sessions of a PostgreSQL server (pg_stat_activity), "
               "filtered like the sessions view."));
    parser.addHelpOption();
    TargetOptions target(TargetOptions::Use::Diagnostics);
    target.addTo(parser);
    const SessionsOptions own;
    own.addTo(parser);
    parser.process(arguments);
    QString error;
    const auto criteria = own.read(parser, &error);
    if (!criteria) {
        printErr(error + QLatin1Char('\n'));
        return 2;
    }
    if (const QString e = target.read(parser); !e.isEmpty()) {
        printErr(Tr::tr("vigil sessions: %1").arg(e) + QLatin1Char('\n'));
        return 2;
    }
    const TargetOptions::Values &t = target.values();

    QObject scope;
    auto fail = [](const services::ServiceError &e) {
        printErr(Tr::tr("vigil sessions: %1").arg(e.toText()) + QLatin1Char('\n'));
        QCoreApplication::exit(1);
    };
    connectTarget(
        t, &scope,
        [&](services::PgSession *session, const QString &label, const services::ServiceError &e) {
            if (e)
                return fail(e);
            auto *service = new services::SessionsService(session, {}, &scope);
            service->fetch([&, label](const services::Result<QList<services::SessionRow>> &r) {
                if (!r.ok())
                    return fail(r.error());
                printSessions(r.value(), *criteria, label, t.json);
                QCoreApplication::exit(0);
            });
        });
    return QCoreApplication::exec();
}

} // namespace vigil::app
