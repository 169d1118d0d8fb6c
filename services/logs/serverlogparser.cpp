#include "services/logs/serverlogparser.h"

#include <QStringView>
#include <QTimeZone>

namespace vigil::services {

namespace {

// What each escape of log_line_prefix matches (PostgreSQL's documentation, "log_line_prefix"),
// and the named group it fills (the first occurrence only: a name may appear once).
struct Escape
{
    char letter;
    const char *group; // nullptr: matched, not kept
    const char *pattern;
};
constexpr Escape kEscapes[] = {
    {'a', "app", ".*?"},
    {'u', "user", ".*?"},
    {'d', "db", ".*?"},
    {'r', nullptr, "\\S*"},
    {'h', nullptr, "\\S*"},
    {'b', nullptr, ".*?"},
    {'p', "pid", "\\d+"},
    {'P', nullptr, "\\d*"},
    {'t', "time", "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+"},
    {'m', "time", "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\S+"},
    {'n', "time", "\\d+\\.\\d+"},
    {'i', nullptr, ".*?"},
    {'e', nullptr, "[0-9A-Z]{5}"},
    {'c', nullptr, "[0-9a-f]+\\.[0-9a-f]+"},
    {'l', nullptr, "\\d+"},
    {'s', nullptr, "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+"},
    {'v', nullptr, "\\S*"},
    {'x', nullptr, "\\d+"},
    {'Q', nullptr, "-?\\d+"},
};

const Escape *escapeFor(QChar c)
{
    for (const Escape &e : kEscapes) {
        if (c == QLatin1Char(e.letter))
            return &e;
    }
    return nullptr;
}

// The regular expression of one prefix; "%-10u" style padding is allowed around any field.
QString prefixPattern(const QString &prefix)
{
    QString out;
    QStringList used;
    bool optional = false;
    for (qsizetype i = 0; i < prefix.size(); ++i) {
        const QChar c = prefix.at(i);
        if (c != u'%' || i + 1 >= prefix.size()) {
            out += QRegularExpression::escape(QString(c));
            continue;
        }
        ++i;
        bool padded = false;
        while (i < prefix.size() && (prefix.at(i) == u'-' || prefix.at(i).isDigit())) {
            padded = true;
            ++i;
        }
        if (i >= prefix.size())
            break;
        const QChar letter = prefix.at(i);
        if (letter == u'%') {
            out += QStringLiteral("%");
        } else if (letter == u'q') {
            out += QStringLiteral("(?:");
            optional = true;
        } else {
            const Escape *e = escapeFor(letter);
            QString inner = e ? QLatin1String(e->pattern) : QStringLiteral(".*?");
            // A free-text field followed by a literal (the '@' after %u): anything but that
            // literal, so a line that does not match fails in linear time. Not for %a, whose
            // values may hold the next literal (a blank), and which comes last in most prefixes.
            const QChar next = i + 1 < prefix.size() ? prefix.at(i + 1) : QChar();
            if (inner == QLatin1String(".*?") && letter != u'a' && !next.isNull() && next != u'%')
                inner = QStringLiteral("[^\\x{%1}]*").arg(next.unicode(), 0, 16);
            const QString space = padded ? QStringLiteral(" *") : QString();
            if (e && e->group && !used.contains(QLatin1String(e->group))) {
                used.append(QLatin1String(e->group));
                out +=
                    space + QStringLiteral("(?<%1>%2)").arg(QLatin1String(e->group), inner) + space;
            } else {
                out += space + QStringLiteral("(?:%1)").arg(inner) + space;
            }
        }
    }
    if (optional)
        out += QStringLiteral(")?");
    return out;
}

bool isAttachment(const QString &label)
{
    static const QStringList labels{QStringLiteral("DETAIL"),    QStringLiteral("HINT"),
                                    QStringLiteral("CONTEXT"),   QStringLiteral("QUERY"),
                                    QStringLiteral("STATEMENT"), QStringLiteral("LOCATION")};
    return labels.contains(label);
}

QTimeZone zoneFor(const QString &name)
{
    if (name == QLatin1String("UTC") || name == QLatin1String("GMT") || name == QLatin1String("Z"))
        return QTimeZone::utc();
    // Numeric zones as PostgreSQL prints them for a fixed-offset log_timezone: "+02", "-0330".
    static const QRegularExpression offset(QStringLiteral("^([+-])(\\d\\d):?(\\d\\d)?$"));
    if (const auto m = offset.match(name); m.hasMatch()) {
        const int seconds = m.captured(2).toInt() * 3600 + m.captured(3).toInt() * 60;
        return QTimeZone(m.captured(1) == u'-' ? -seconds : seconds);
    }
    const QTimeZone zone(name.toLatin1());
    return zone.isValid() ? zone : QTimeZone::systemTimeZone();
}

} // namespace

ServerLogParser::ServerLogParser(const QString &logLinePrefix)
    : m_prefix(logLinePrefix)
{
    static const QString levels = QStringLiteral(
        "(?<level>DEBUG[1-5]|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|HINT|QUERY|"
        "CONTEXT|LOCATION|STATEMENT):  (?<msg>.*)");
    m_line.setPattern(QStringLiteral("^") + prefixPattern(logLinePrefix) + levels +
                      QStringLiteral("$"));
    m_line.optimize();
}

QDateTime ServerLogParser::parseTime(const QString &text)
{
    const qsizetype space = text.lastIndexOf(QLatin1Char(' '));
    if (space < 0) { // %n: seconds since the epoch, with milliseconds
        bool ok = false;
        const double seconds = text.toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 1e11)
            return {};
        return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000.0), Qt::UTC);
    }
    const QString stamp = text.left(space);
    const QString format = stamp.contains(QLatin1Char('.'))
                               ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                               : QStringLiteral("yyyy-MM-dd HH:mm:ss");
    QDateTime t = QDateTime::fromString(stamp, format);
    if (!t.isValid())
        return {};
    t.setTimeZone(zoneFor(text.mid(space + 1)));
    return t;
}

// Reads one line that starts with the prefix into `entry`; `continuation` tells whether it is an
// attachment (DETAIL, ...) of the entry before. False when the line does not match.
bool ServerLogParser::readLine(const QString &line, ServerLogEntry &entry, bool &continuation) const
{
    // The prefix and level sit at the line's start: matching only its first characters keeps
    // a huge line (a long statement) from costing the regular expression's backtracking.
    constexpr qsizetype kWindow = 4096;
    const QRegularExpressionMatch m = m_line.match(line.left(kWindow));
    if (!m.hasMatch())
        return false;
    const QString label = m.captured(u"level");
    continuation = isAttachment(label);
    entry.time = parseTime(m.captured(u"time"));
    entry.pid = m.captured(u"pid").toLongLong();
    entry.user = m.captured(u"user");
    entry.database = m.captured(u"db");
    entry.application = m.captured(u"app");
    entry.level = serverLogLevelFromText(label);
    entry.message = m.captured(u"msg") + line.mid(kWindow);
    if (continuation)
        entry.details.append({label, entry.message});
    return true;
}

QList<ServerLogEntry> ServerLogParser::parse(const QString &text, const QString &file) const
{
    QList<ServerLogEntry> out;
    for (QStringView line : QStringView(text).split(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line.startsWith(u'\t') && !out.isEmpty()) { // a message's next line
            ServerLogEntry &last = out.last();
            QString &tail = last.details.isEmpty() ? last.message : last.details.last().second;
            tail += QLatin1Char('\n') + line.mid(1).toString();
            continue;
        }
        ServerLogEntry entry;
        entry.file = file;
        bool continuation = false;
        const QString lineText = line.toString();
        if (!readLine(lineText, entry, continuation)) {
            entry.message = lineText; // kept whole, level Unknown
            out.append(std::move(entry));
            continue;
        }
        if (continuation && !out.isEmpty() && out.last().level != ServerLogLevel::Unknown &&
            out.last().pid == entry.pid) {
            out.last().details.append(entry.details.constFirst());
            continue;
        }
        if (continuation) { // an attachment whose entry was not read: kept on its own
            const auto detail = entry.details.takeFirst();
            entry.message = detail.first + QStringLiteral(":  ") + detail.second;
        }
        out.append(std::move(entry));
    }
    return out;
}

} // namespace vigil::services
