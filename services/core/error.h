#pragma once

#include <QCoreApplication>
#include <QString>
#include <optional>
#include <utility>

namespace vigil::services {

// Translatable strings in code that is not a QObject (Qt Creator's idiom).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VigilServices)
};

// Errors are values at the service boundary: what was attempted, against which host, the
// server's code (SQLSTATE or HTTP status) and its message, verbatim. Nothing throws across a slot.
struct ServiceError
{
    enum class Kind
    {
        None,      // no error
        Connect,   // could not connect (refused, DNS, TLS handshake, ...)
        Auth,      // authentication failed (SQLSTATE 28P01/28000, HTTP 401/403)
        Timeout,   // the deadline passed; the operation was cancelled
        Query,     // the server answered with an error (SQLSTATE set)
        Http,      // an HTTP status that is not success (code = status)
        Parse,     // the answer could not be understood (malformed JSON/CSV, truncated)
        Refused,   // the action was refused on purpose (read-only mode, Patroni 412/503 ...)
        Cancelled, // the caller or a shutdown cancelled it
    };

    Kind kind = Kind::None;
    QString what;    // what was attempted, e.g. "GET /cluster" or "pg_stat_replication"
    QString host;    // "127.0.0.1:5432", a URL's authority, or empty
    QString code;    // SQLSTATE (e.g. "57014") or HTTP status (e.g. "503"), or empty
    QString message; // the server's or system's message, verbatim, trimmed

    bool isError() const { return kind != Kind::None; }
    explicit operator bool() const { return isError(); }

    // One line a DBA can read: "GET /cluster on 127.0.0.1:8008 timed out after 2000 ms".
    QString toText() const;
    static QString kindName(Kind kind);

    static ServiceError make(Kind kind, QString what, QString host, QString code, QString message)
    {
        ServiceError e;
        e.kind = kind;
        e.what = std::move(what);
        e.host = std::move(host);
        e.code = std::move(code);
        e.message = std::move(message);
        return e;
    }
};

// A value or an error, never both.
template <typename T> class Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(ServiceError error)
        : m_error(std::move(error))
    {
    }

    bool ok() const { return m_value.has_value(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    const T *operator->() const { return &*m_value; }
    const ServiceError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    ServiceError m_error;
};

} // namespace vigil::services
