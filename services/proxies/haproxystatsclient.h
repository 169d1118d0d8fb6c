#pragma once

#include "services/core/error.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>
#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;

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

// Fetches the stats CSV over the shared QNetworkAccessManager (basic auth optional).
class HaproxyStatsClient : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;
    HaproxyStatsClient(QNetworkAccessManager *nam, QUrl csvUrl, QObject *parent = nullptr);
    void setCredentials(const QString &user, const QString &password);
    void setTimeout(Millis timeout) { m_timeout = timeout; }
    QUrl url() const { return m_url; }
    void fetch(std::function<void(const Result<HaproxyStats> &)> cb);

private:
    QNetworkAccessManager *m_nam;
    QUrl m_url;
    QString m_user, m_password;
    Millis m_timeout{2000};
};

} // namespace vigil::services
