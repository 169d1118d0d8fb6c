#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "services/postgres/pgsession.h"
#include "services/proxies/pgbouncertypes.h"

#include <QObject>
#include <QString>
#include <functional>

namespace vigil::services {

// PgBouncer's admin console (the virtual "pgbouncer" database) over an async PgSession, with
// the simple-query protocol only (the console does not speak the extended protocol).
class PgBouncerClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const PgResult &, const ServiceError &)>;
    using Millis = std::chrono::milliseconds;

    explicit PgBouncerClient(QObject *parent = nullptr);
    // conninfo must name dbname=pgbouncer (and the admin user); see PgConnectionSettings.
    void open(const PgConnectionSettings &settings, Millis deadline = Millis(3000));
    void close();
    PgSession *session() { return m_session; }

    void showPools(std::function<void(const Result<QList<PgBouncerPool>> &)> cb);
    void showDatabases(std::function<void(const Result<QList<PgBouncerDatabase>> &)> cb);
    void showStats(std::function<void(const Result<QList<PgBouncerStats>> &)> cb);
    void showClients(std::function<void(const Result<QList<PgBouncerConnection>> &)> cb);
    void showServers(std::function<void(const Result<QList<PgBouncerConnection>> &)> cb);
    void showConfig(std::function<void(const Result<QList<PgBouncerConfigItem>> &)> cb);
    void show(const QString &what, Callback cb); // STATS, CLIENTS, SERVERS, DATABASES, CONFIG...
    // Admin commands (for the switchover wizard). `database` empty = all.
    void pause(const QString &database, Callback cb, Millis deadline = Millis(30000));
    void resume(const QString &database, Callback cb);
    void reconnect(const QString &database, Callback cb);

private:
    // COMMAND or COMMAND "database" (validated, console-quoted); refused without sending when the
    // name is not a plain database name.
    void adminCommand(const QString &command, const QString &database, Callback cb,
                      Millis deadline);
    // Answers `cb` with a Refused error from the event loop (never from inside the call).
    void refuse(const QString &what, const QString &message, Callback cb);

    PgSession *m_session;
};

} // namespace vigil::services
