#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "services/postgres/pgstatement.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <chrono>
#include <functional>
#include <memory>

namespace vigil::services {

// How to reach a PostgreSQL server. Everything libpq understands works: `conninfo` may be a URI
// (postgresql://...), a keyword string ("host=... dbname=..."), or "service=NAME" from
// pg_service.conf; ~/.pgpass (or PGPASSFILE) and the PG* environment variables apply as usual.
// `overrides` are keyword/value pairs that win over conninfo (e.g. host/port of one member).
// application_name defaults to "vigil" unless given. No password is ever put here by Vigil's
// own code except the one taken from the keychain for this connection, held in memory only.
struct PgConnectionSettings
{
    QString conninfo;
    QList<QPair<QString, QString>> overrides;

    // "host:port" as it will be shown to the user (best effort, before connecting).
    QString displayHost() const;
};

// One asynchronous libpq connection, driven by the Qt event loop of the thread it lives on.
//
// Threading: lives on one thread (normally the UI thread) and never blocks it: it uses
// PQconnectStartParams/PQconnectPoll, PQsendQueryParams (or PQsendQuery for the simple-query
// protocol, PQsendPrepare/PQsendQueryPrepared for prepared statements), PQflush,
// PQconsumeInput/PQisBusy, driven by QSocketNotifiers on PQsocket() which are re-created after
// every connect poll (the socket can change). The only blocking libpq call, PQcancel, runs on a
// worker thread.
//
// Queries are queued and run one at a time, in order. Each has a deadline: past it the query is
// cancelled (PQcancel) and its callback gets a Timeout error; if the server does not give the
// connection back shortly after, the connection is dropped and re-opened on the next query.
// Every callback is called exactly once, on this object's thread, unless the session is destroyed
// first (then pending callbacks are dropped, never called on a dead receiver).
class PgSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Disconnected,
        Connecting,
        Ready,
        Busy
    };
    Q_ENUM(State)

    using Callback = std::function<void(const PgResult &, const ServiceError &)>;
    using Millis = std::chrono::milliseconds;

    explicit PgSession(QObject *parent = nullptr);
    ~PgSession() override;

    // Starts connecting (asynchronously). Emits opened() or failed(). A query submitted before
    // the connection is up waits for it; if the connection fails, queued callbacks get the error.
    void open(const PgConnectionSettings &settings, Millis deadline = Millis(3000));
    void close();

    // Extended protocol with parameters ($1, $2, ... as text; a null QVariant is SQL NULL).
    void exec(const QString &sql, const QVariantList &params, Callback callback,
              Millis deadline = Millis(5000));
    // Simple-query protocol (needed for PgBouncer's admin console: SHOW POOLS, PAUSE, ...).
    void execSimple(const QString &sql, Callback callback, Millis deadline = Millis(5000));
    // Prepares `statement` on the current connection (PQsendPrepare); the callback gets an empty
    // result or the server's error (e.g. a syntax error in the statement).
    void prepare(const PgStatement &statement, Callback callback, Millis deadline = Millis(5000));
    // Runs a prepared statement with these parameters (PQsendQueryPrepared). It is prepared
    // first, in the same queue slot, when this connection has not prepared it yet: the first
    // run on every connection (a reconnect starts without prepared statements), and again
    // after the server said it does not know it (SQLSTATE 26000). A failed prepare is what the
    // callback gets (then nothing is executed). Each step has the deadline.
    void execPrepared(const PgStatement &statement, const QVariantList &params, Callback callback,
                      Millis deadline = Millis(5000));

    State state() const;
    bool isOpen() const;
    QString host() const;      // "host:port" of the connected/target server
    int serverVersion() const; // PQserverVersion, 0 when unknown
    int backendPid() const;    // PQbackendPID, 0 when unknown
    int pendingQueries() const;

    // Escapes an identifier for this connection (PQescapeIdentifier); empty when not connected.
    QString escapeIdentifier(const QString &identifier) const;
    // Escapes a string literal, quotes included (PQescapeLiteral); empty when not connected.
    QString escapeLiteral(const QString &value) const;
    // The verifier libpq computes for this password and role with `algorithm` ("scram-sha-256")
    // (PQencryptPasswordConn). Computed in this process, nothing is sent to the server: with the
    // algorithm given, libpq does not ask the server for password_encryption. Empty when not
    // connected or libpq refused (then `errorMessage` gets libpq's message).
    QByteArray encryptPassword(const QByteArray &password, const QString &role,
                               const QByteArray &algorithm, QString *errorMessage = nullptr) const;

Q_SIGNALS:
    void opened();
    void failed(const vigil::services::ServiceError &error);
    void closed();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace vigil::services
