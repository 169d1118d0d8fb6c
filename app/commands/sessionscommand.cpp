#include "app/commands/sessionscommand.h"

#include "app/commands/lockscommand.h"
#include "app/tr.h"
#include "models/sessionsfiltermodel.h"
#include "models/sessionstablemodel.h"
#include "services/diagnostics/sessionsservice.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <cstdio>

namespace vigil::app {

namespace {
} // namespace

std::optional<double> parseDurationSeconds(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*(s|sec|m|min|h|d)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    if (unit.isEmpty() || unit.startsWith(QLatin1Char('s')))
        return value;
    if (unit.startsWith(QLatin1Char('m')))
        return value * 60;
    if (unit == QLatin1String("h"))
        return value * 3600;
    return value * 86400;
}

int runSessionsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("List the sessions of a PostgreSQL server (pg_stat_activity), "
               "filtered like the sessions view."));
    parser.addHelpOption();
    TargetOptions o;
    o.addTo(parser);
    const QCommandLineOption state(
        QStringLiteral("state"),
        Tr::tr("Only sessions in this state (active, idle, \"idle in transaction\", ...); "
               "repeat or separate with commas."),
        Tr::tr("state"));
    const QCommandLineOption minDuration(
        QStringLiteral("min-duration"),
        Tr::tr("Only sessions whose running query (active) or current state "
               "(otherwise) lasts at least this long: 90, 90s, 5m, 2h."),
        Tr::tr("duration"));
    const QCommandLineOption application(QStringLiteral("application"),
                                         Tr::tr("Application name, SQL LIKE pattern (e.g. hokm%)."),
                                         Tr::tr("pattern"));
    const QCommandLineOption user(QStringLiteral("user"), Tr::tr("Only this user."),
                                  Tr::tr("name"));
    const QCommandLineOption database(QStringLiteral("database"), Tr::tr("Only this database."),
                                      Tr::tr("name"));
    const QCommandLineOption all(QStringLiteral("all"),
                                 Tr::tr("Include background processes and replication."));
    parser.addOptions({state, minDuration, application, user, database, all});
    parser.process(arguments);

    models::SessionsFilterModel::Criteria criteria;
    for (const QString &v : parser.values(state))
        for (const QString &s : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
            criteria.states.insert(s.trimmed());
    if (parser.isSet(minDuration)) {
        const auto seconds = parseDurationSeconds(parser.value(minDuration));
        if (!seconds) {
            std::fprintf(
                stderr, "%s\n",
                qPrintable(Tr::tr("vigil sessions: '%1' is not a duration (e.g. 90s, 5m, 2h).")
                               .arg(parser.value(minDuration))));
            return 2;
        }
        criteria.minimumDurationSeconds = *seconds;
    }
    criteria.applicationPattern = parser.value(application);
    criteria.user = parser.value(user);
    criteria.database = parser.value(database);
    criteria.showBackgroundProcesses = parser.isSet(all);
    const bool json = parser.isSet(o.json);

    QObject scope;
    const bool started = connectTarget(
        parser, o, &scope,
        [&](services::PgSession *session, const QString &label,
            const services::ServiceError &error) {
            if (error) {
                std::fprintf(stderr, "%s\n",
                             qPrintable(Tr::tr("vigil sessions: %1").arg(error.toText())));
                QCoreApplication::exit(1);
                return;
            }
            auto *service = new services::SessionsService(session, {}, &scope);
            service->fetch([&, label](const services::Result<QList<services::SessionRow>> &r) {
                if (!r.ok()) {
                    std::fprintf(stderr, "%s\n",
                                 qPrintable(Tr::tr("vigil sessions: %1").arg(r.error().toText())));
                    QCoreApplication::exit(1);
                    return;
                }
                models::SessionsTableModel model;
                model.setSessions(r.value());
                models::SessionsFilterModel filter;
                filter.setSourceModel(&model);
                filter.setStates(criteria.states);
                filter.setApplicationPattern(criteria.applicationPattern);
                filter.setUser(criteria.user);
                filter.setDatabase(criteria.database);
                filter.setMinimumDurationSeconds(criteria.minimumDurationSeconds);
                filter.setShowBackgroundProcesses(criteria.showBackgroundProcesses);
                filter.sort(models::SessionsTableModel::Pid, Qt::AscendingOrder);
                if (json) {
                    QJsonArray rows;
                    for (int i = 0; i < filter.rowCount(); ++i) {
                        const auto &a = model.rowAt(filter.mapToSource(filter.index(i, 0)).row());
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
                        rows.append(o);
                    }
                    const QJsonObject doc{{QStringLiteral("server"), label},
                                          {QStringLiteral("total"), model.rowCount()},
                                          {QStringLiteral("sessions"), rows}};
                    std::printf("%s\n",
                                QJsonDocument(doc).toJson(QJsonDocument::Indented).constData());
                } else {
                    using M = models::SessionsTableModel;
                    const int cols[] = {M::Pid,    M::User,  M::Database, M::Application,
                                        M::Client, M::State, M::StateAge, M::QueryAge,
                                        M::Wait,   M::Query};
                    QVector<QStringList> table;
                    QStringList header;
                    for (int c : cols)
                        header.append(
                            model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
                    table.append(header);
                    for (int i = 0; i < filter.rowCount(); ++i) {
                        QStringList line;
                        for (int c : cols)
                            line.append(
                                filter.index(i, c).data().toString().left(c == M::Query ? 80 : 40));
                        table.append(line);
                    }
                    QVector<int> widths(int(std::size(cols)), 0);
                    for (const auto &line : table)
                        for (int c = 0; c < line.size() - 1; ++c)
                            widths[c] = std::max(widths[c], int(line.at(c).size()));
                    std::printf("%s\n", qPrintable(Tr::tr("Sessions on %1: %2 of %3 shown.")
                                                       .arg(label)
                                                       .arg(filter.rowCount())
                                                       .arg(model.rowCount())));
                    for (const auto &line : table) {
                        QString out;
                        for (int c = 0; c < line.size(); ++c)
                            out += c == line.size() - 1
                                       ? line.at(c)
                                       : line.at(c).leftJustified(widths[c]) + QStringLiteral("  ");
                        std::printf("%s\n", qPrintable(out.trimmed()));
                    }
                }
                std::fflush(stdout);
                QCoreApplication::exit(0);
            });
        });
    if (!started)
        return 2;
    return QCoreApplication::exec();
}

} // namespace vigil::app
