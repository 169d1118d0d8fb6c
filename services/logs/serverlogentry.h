#pragma once

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <optional>

namespace vigil::services {

// The severity of a server log entry, in the order a "this level and above" filter reads them.
// LOG sits below WARNING here (PostgreSQL ranks it higher for log_min_messages, but a person
// filtering for problems wants warnings and errors, not every checkpoint). Unknown: a line the
// parser could not read (no recognised prefix); it is kept whole, never dropped.
enum class ServerLogLevel
{
    Unknown,
    Debug,
    Info,
    Notice,
    Log,
    Warning,
    Error,
    Fatal,
    Panic
};

// The level PostgreSQL wrote ("ERROR", "DEBUG2", ...); Unknown for anything else.
ServerLogLevel serverLogLevelFromText(const QString &text);
// "ERROR", "WARNING", ... ("?" for Unknown): not translated, it is PostgreSQL's own word.
QString serverLogLevelName(ServerLogLevel level);
// A level a person types (`--level error`, case-insensitive; "warn" and "all" too). nullopt when
// it names none.
std::optional<ServerLogLevel> serverLogLevelFromOption(const QString &text);

// One entry of a PostgreSQL server log (stderr format): the prefix's fields as far as
// log_line_prefix has them, the level, the message and the lines PostgreSQL attaches to it
// (DETAIL, HINT, CONTEXT, QUERY, STATEMENT, LOCATION), in order. A message that spans several
// lines (a multi-line statement) keeps its line breaks.
struct ServerLogEntry
{
    QDateTime time; // invalid when the line had no recognised timestamp
    qint64 pid = 0; // 0 when the prefix has none
    QString user, database, application;
    ServerLogLevel level = ServerLogLevel::Unknown;
    QString message;                        // for an Unknown entry: the whole line as read
    QList<QPair<QString, QString>> details; // ("DETAIL", text), ("STATEMENT", text), ...
    QString file;                           // the log file it was read from (may be empty)

    // "user@database/application" as far as known (empty when none).
    QString origin() const;
    // The message and its attached lines, one "LABEL:  text" per line after the message.
    QString fullText() const;
    // Whether `needle` occurs (case-insensitively) in the message, an attached line, the user,
    // database or application. An empty needle matches everything.
    bool contains(const QString &needle) const;
};

} // namespace vigil::services
