#include "app/commands/logscommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/targetoptions.h"
#include "app/commands/targetsession.h"
#include "app/tr.h"
#include "models/formatting.h"
#include "models/serverlogfiltermodel.h"
#include "models/serverlogmodel.h"
#include "services/logs/serverlogreader.h"

#include <QCoreApplication>
#include <optional>

namespace vigil::app {

namespace {

const QString kCommand = QStringLiteral("logs");

struct LogsOptions
{
    QCommandLineOption follow{QStringLiteral("follow"),
                              Tr::tr("Keep reading as the log grows (and rotates) until Ctrl-C.")};
    QCommandLineOption level{
        QStringLiteral("level"),
        Tr::tr("Only entries of this level and above: panic, fatal, error, warning, notice, "
               "log, info, debug, all (default all)."),
        Tr::tr("level")};
    QCommandLineOption since{
        QStringLiteral("since"),
        Tr::tr("Start at this time instead of the last 256 KiB: a duration back from now (90s, "
               "10m, 2h) or an ISO 8601 time (2026-12-04T02:00:00Z)."),
        Tr::tr("time")};
    QCommandLineOption grep{QStringLiteral("grep"),
                            Tr::tr("Only entries containing this text (case-insensitive; the "
                                   "message, its DETAIL/HINT/STATEMENT lines, user, database, "
                                   "application)."),
                            Tr::tr("text")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({follow, level, since, grep});
    }
};

std::optional<QDateTime> parseSince(const QString &text)
{
    if (const auto seconds = models::parseDurationSeconds(text))
        return QDateTime::currentDateTimeUtc().addMSecs(-qint64(*seconds * 1000.0));
    const QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    if (t.isValid())
        return t;
    return std::nullopt;
}

// The filter and the tail's options, or the reason the options make none.
QString readLogsOptions(const LogsOptions &o, const QCommandLineParser &parser,
                        models::ServerLogFilterModel::Criteria &criteria,
                        services::ServerLogTailOptions &tail)
{
    if (parser.isSet(o.level)) {
        const auto level = services::serverLogLevelFromOption(parser.value(o.level));
        if (!level)
            return Tr::tr("'%1' is not a level (panic, fatal, error, warning, notice, log, info, "
                          "debug, all).")
                .arg(parser.value(o.level));
        criteria.minimumLevel = *level;
    }
    criteria.text = parser.value(o.grep);
    if (parser.isSet(o.since)) {
        const auto since = parseSince(parser.value(o.since));
        if (!since)
            return Tr::tr("'%1' is neither a duration (90s, 10m, 2h) nor an ISO 8601 time.")
                .arg(parser.value(o.since));
        tail.since = *since;
    }
    tail.follow = parser.isSet(o.follow);
    return {};
}

void printEntries(const QList<services::ServerLogEntry> &entries,
                  const models::ServerLogFilterModel::Criteria &criteria)
{
    QString out;
    for (const services::ServerLogEntry &e : entries) {
        if (!models::ServerLogFilterModel::matches(e, criteria))
            continue;
        QStringList cells;
        if (e.time.isValid())
            cells << models::ServerLogModel::timeText(e.time);
        if (e.level != services::ServerLogLevel::Unknown)
            cells << services::serverLogLevelName(e.level);
        if (e.pid)
            cells << QStringLiteral("[%1]").arg(e.pid);
        if (!e.origin().isEmpty())
            cells << e.origin();
        cells << models::ServerLogModel::oneLine(e);
        out += cells.join(QLatin1Char(' ')) + QLatin1Char('\n');
    }
    if (!out.isEmpty())
        printOut(out);
}

} // namespace

int runLogsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Print a member's PostgreSQL server log (read through SQL: pg_ls_logdir and "
               "pg_read_binary_file), one line per entry."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("member"),
                                 Tr::tr("The Patroni member (default: the leader)."),
                                 Tr::tr("[MEMBER]"));
    const LogsOptions logs;
    logs.addTo(parser);
    TargetOptions target(TargetOptions::Use::Diagnostics);
    target.addTo(parser);
    if (!target.process(parser, arguments, kCommand))
        return 2;
    models::ServerLogFilterModel::Criteria criteria;
    services::ServerLogTailOptions tail;
    if (const QString e = readLogsOptions(logs, parser, criteria, tail); !e.isEmpty()) {
        printCommandError(kCommand, e);
        return 2;
    }
    TargetOptions::Values t = target.values();
    if (parser.positionalArguments().size() > 1) {
        printCommandError(
            kCommand, Tr::tr("Name one member, not %1.").arg(parser.positionalArguments().size()));
        return 2;
    }
    if (!parser.positionalArguments().isEmpty())
        t.member = parser.positionalArguments().constFirst();
    tail.deadline = std::chrono::milliseconds(t.timeoutMs > 0 ? t.timeoutMs : 5000);

    QObject scope;
    connectTarget(
        t, &scope,
        [&](services::PgSession *session, const QString &label,
            const services::ServiceError &error) {
            if (error)
                return failCommand(kCommand, error.toText(), 1);
            auto *reader = new services::ServerLogReader(session, &scope);
            QObject::connect(reader, &services::ServerLogReader::entriesRead, &scope,
                             [&criteria](const auto &entries) { printEntries(entries, criteria); });
            QObject::connect(reader, &services::ServerLogReader::failed, &scope,
                             [label](const services::ServiceError &e) {
                                 failCommand(kCommand, Tr::tr("%1: %2").arg(label, e.toText()), 1);
                             });
            QObject::connect(reader, &services::ServerLogReader::finished, &scope,
                             [] { QCoreApplication::exit(0); });
            reader->start(tail);
        });
    return QCoreApplication::exec();
}

} // namespace vigil::app
