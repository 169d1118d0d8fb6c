#pragma once

#include "services/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace vigil::services {

// One row of HAProxy's stats CSV export (the ";csv" suffix of the stats URI).
struct HaproxyStatRow
{
    enum class Type
    {
        Frontend,
        Backend,
        Server,
        Listener,
        Unknown
    };
    QString proxy; // pxname
    QString name;  // svname: FRONTEND, BACKEND, or the server's name
    Type type = Type::Unknown;
    QString status;                     // "UP", "DOWN", "OPEN", "MAINT", "UP 1/2", "no check", ...
    QString address;                    // addr (server's host:port, 2.x), may be empty
    qint64 currentSessions = 0;         // scur
    qint64 maxSessions = 0;             // smax
    std::optional<qint64> sessionLimit; // slim
    qint64 totalSessions = 0;           // stot
    QString checkStatus;                // check_status, e.g. "L7OK", "L7STS"
    bool checkRunning = false; // a check is running now ("* " before check_status: the last one)
    std::optional<qint64> lastChangeSeconds; // lastchg
    std::optional<qint64> downtimeSeconds;   // downtime

    bool isUp() const; // status starts with "UP" (or OPEN for frontends)
};

struct HaproxyStats
{
    QList<HaproxyStatRow> rows;
    // Servers of one backend/listen section.
    QList<HaproxyStatRow> servers(const QString &proxy) const;
    const HaproxyStatRow *backend(const QString &proxy) const;
};

// Parses the CSV (header line starts with "# pxname,svname,..."); columns are found by name, so
// older/newer HAProxy versions with other column sets work. Malformed input → Parse error.
Result<HaproxyStats> parseHaproxyCsv(const QByteArray &body);

} // namespace vigil::services
