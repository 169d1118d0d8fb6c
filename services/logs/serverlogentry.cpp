#include "services/logs/serverlogentry.h"

#include <array>

namespace vigil::services {

namespace {
struct LevelName
{
    const char *name;
    ServerLogLevel level;
};
constexpr std::array<LevelName, 8> kLevels{{{"DEBUG", ServerLogLevel::Debug},
                                            {"INFO", ServerLogLevel::Info},
                                            {"NOTICE", ServerLogLevel::Notice},
                                            {"LOG", ServerLogLevel::Log},
                                            {"WARNING", ServerLogLevel::Warning},
                                            {"ERROR", ServerLogLevel::Error},
                                            {"FATAL", ServerLogLevel::Fatal},
                                            {"PANIC", ServerLogLevel::Panic}}};
} // namespace

ServerLogLevel serverLogLevelFromText(const QString &text)
{
    for (const LevelName &l : kLevels) {
        if (text == QLatin1String(l.name))
            return l.level;
    }
    // DEBUG1 ... DEBUG5
    if (text.size() == 6 && text.startsWith(QLatin1String("DEBUG")) && text.at(5) >= u'1' &&
        text.at(5) <= u'5')
        return ServerLogLevel::Debug;
    return ServerLogLevel::Unknown;
}

QString serverLogLevelName(ServerLogLevel level)
{
    for (const LevelName &l : kLevels) {
        if (l.level == level)
            return QLatin1String(l.name);
    }
    return QStringLiteral("?");
}

std::optional<ServerLogLevel> serverLogLevelFromOption(const QString &text)
{
    const QString t = text.trimmed().toUpper();
    if (t == QLatin1String("ALL"))
        return ServerLogLevel::Unknown;
    if (t == QLatin1String("WARN"))
        return ServerLogLevel::Warning;
    const ServerLogLevel level = serverLogLevelFromText(t);
    if (level == ServerLogLevel::Unknown)
        return std::nullopt;
    return level;
}

QString ServerLogEntry::origin() const
{
    if (user.isEmpty() && database.isEmpty() && application.isEmpty())
        return {};
    QString out = user + QLatin1Char('@') + database;
    if (!application.isEmpty())
        out += QLatin1Char('/') + application;
    return out;
}

QString ServerLogEntry::fullText() const
{
    QString out = message;
    for (const auto &d : details)
        out += QLatin1Char('\n') + d.first + QStringLiteral(":  ") + d.second;
    return out;
}

bool ServerLogEntry::contains(const QString &needle) const
{
    if (needle.isEmpty())
        return true;
    const auto has = [&needle](const QString &s) {
        return s.contains(needle, Qt::CaseInsensitive);
    };
    if (has(message) || has(user) || has(database) || has(application))
        return true;
    for (const auto &d : details) {
        if (has(d.second))
            return true;
    }
    return false;
}

} // namespace vigil::services
