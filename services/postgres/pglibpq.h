#pragma once

// Private to services: the libpq handles in RAII wrappers, and the translation of libpq's
// results and messages into Vigil's value types. Only services/pg*.cpp include this header, so
// nothing above the services layer sees libpq.

#include "services/core/error.h"
#include "services/postgres/pgresult.h"

// pkg-config gives services the libpq include directory; code that includes this header without
// it (the unit tests, which link services only) finds Debian's copy under postgresql/.
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif

#include <QFuture>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <memory>
#include <optional>

namespace vigil::services {
struct PgConnectionSettings;
}

namespace vigil::services::pg {

Q_DECLARE_LOGGING_CATEGORY(lcPg)

struct ConnDeleter
{
    void operator()(PGconn *conn) const { PQfinish(conn); }
};
struct ResultDeleter
{
    void operator()(PGresult *result) const { PQclear(result); }
};
struct CancelDeleter
{
    void operator()(PGcancel *cancel) const { PQfreeCancel(cancel); }
};

// Shared: a connection step running on a worker thread (pollConnect) keeps the connection alive
// when the session drops it meanwhile; the last owner calls PQfinish.
using ConnPtr = std::shared_ptr<PGconn>;
inline ConnPtr adoptConn(PGconn *conn)
{
    return ConnPtr(conn, ConnDeleter());
}
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;
using CancelPtr = std::unique_ptr<PGcancel, CancelDeleter>;

// Copies the rows, column names and command tag of a libpq result (text format) into a PgResult.
// SQL NULL becomes an invalid QVariant, every other value a QString. `result` may be null.
PgResult copyResult(const PGresult *result);

// The error kind for a SQLSTATE: class 28 (28P01, 28000) is Auth; 57014 (query_canceled) is
// Cancelled -- somebody else cancelled the statement, or statement_timeout did (PgSession turns it
// into Timeout when its own deadline sent the cancel); 57P01..57P05, class 08 and 53300 mean the
// connection is gone or could not be had (Connect); everything else is Query.
ServiceError::Kind kindForSqlState(const QString &sqlstate);

// The error carried by a PGRES_FATAL_ERROR result: SQLSTATE and primary message from the result's
// fields (never parsed from text).
ServiceError errorFromResult(const PGresult *result, const QString &what, const QString &host);

// A connection-level error from PQerrorMessage (connect failure, connection lost). libpq keeps no
// result for errors during connection start-up, so PgSession connects with PQERRORS_VERBOSE and
// this function takes the SQLSTATE from the "FATAL:  28P01: message" form and drops the
// "LOCATION:" lines. Any of `secrets` found in the text is masked (libpq never prints a password,
// this is a second line of defence). Kind: Auth for class 28 (and PgBouncer's "SASL authentication
// failed", which it reports as 08P01), otherwise `fallback`.
ServiceError errorFromMessage(const QString &libpqMessage, ServiceError::Kind fallback,
                              const QString &what, const QString &host,
                              const QStringList &secrets = {});

// Masks every occurrence of every secret (at least 4 characters long) in `text`.
QString redact(QString text, const QStringList &secrets);

// A short one-line label for a statement, used as ServiceError::what: whitespace collapsed,
// leading "--" comment lines dropped, cut at 60 characters.
QString statementLabel(const QString &sql);

// The parameters of a PgConnectionSettings that matter for display and redaction, from conninfo
// (parsed by libpq, URI or keywords; a service file is not read) and then the overrides.
struct ConnectOptions
{
    QString host, hostaddr, port, service, password;
};
ConnectOptions parseConnectOptions(const PgConnectionSettings &settings);

// A parameter's text form for PQsendQueryParams; std::nullopt is SQL NULL (a null or invalid
// QVariant). Booleans as t/f, date-times as ISO 8601 with milliseconds, the rest via toString().
std::optional<QByteArray> parameterText(const QVariant &value);

// Sends a cancel request on a worker thread (PQcancel blocks until the server closes the cancel
// connection). The future gives libpq's message when it failed, empty when the server took it.
QFuture<QString> sendCancel(CancelPtr cancel);

// One PQconnectPoll step on a worker thread. The step that answers the server's SCRAM challenge
// computes PBKDF2 over the password (4096 rounds by default, several ms), and a TLS handshake step
// its key exchange: on the session's thread that is a stall per connection, which a wall of many
// clusters (route probes connect every round) would feel. The connection is non-blocking while it
// connects, so a step never waits on the network; the caller does not touch `conn` until the
// future has finished.
QFuture<PostgresPollingStatusType> pollConnect(ConnPtr conn);

// libpq prints notices on stderr by default; this sends them to lcPg at debug level.
void noticeProcessor(void *, const char *message);

} // namespace vigil::services::pg
