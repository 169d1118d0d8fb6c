#pragma once

#include "services/logs/serverlogentry.h"

#include <QList>
#include <QRegularExpression>
#include <QString>

namespace vigil::services {

// Reads PostgreSQL's stderr log format, as the logging collector writes it, for one
// log_line_prefix (read from the server with SHOW; the sandbox's is '%m [%p] %q%u@%d/%a ').
//
// The prefix is compiled once into a regular expression: %m/%t/%n give the time, %p the pid,
// %u/%d/%a the user, database and application; the other escapes are matched and skipped;
// everything after %q is optional (background processes write no session fields). After the
// prefix comes "LEVEL:  message". A line starting with a tab continues the previous entry (a
// multi-line statement); a DETAIL, HINT, CONTEXT, QUERY, STATEMENT or LOCATION line of the same
// process is attached to the entry before it. A line that does not match (another prefix, a
// message a library printed to stderr) becomes an entry of level Unknown holding the whole line:
// nothing read is ever dropped.
//
// Pure: parse() depends on its arguments only and may run on any thread (the fuzz target
// tests/fuzz/fuzz_server_log.cpp drives it with arbitrary input).
class ServerLogParser
{
public:
    explicit ServerLogParser(const QString &logLinePrefix);

    // The entries of `text`, complete lines (a last line without its newline is read as it is).
    // `file` is recorded in each entry.
    QList<ServerLogEntry> parse(const QString &text, const QString &file = {}) const;

    const QString &prefix() const { return m_prefix; }
    // The regular expression the prefix compiled to (for tests and messages).
    QString pattern() const { return m_line.pattern(); }

    // The time of a %m/%t timestamp ("2026-12-04 02:12:20.224 UTC"), or of a %n epoch
    // ("1764814340.224"). Invalid when unreadable.
    static QDateTime parseTime(const QString &text);

private:
    bool readLine(const QString &line, ServerLogEntry &entry, bool &continuation) const;

    QString m_prefix;
    QRegularExpression m_line;
};

} // namespace vigil::services
