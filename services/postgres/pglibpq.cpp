#include "services/postgres/pglibpq.h"

#include "services/core/backgroundpool.h"
#include "services/postgres/pgsession.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrentRun>

namespace vigil::services::pg {

Q_LOGGING_CATEGORY(lcPg, "vigil.services.pg", QtInfoMsg)

namespace {

// PQcancel blocks: it opens its own connection and waits for the server to close it. Against a
// frozen server it waits until the server wakes up. It therefore runs on this pool, which is
// never destroyed (newLastingPool): a stuck cancel must never make Vigil hang on exit.
QThreadPool *cancelPool()
{
    static QThreadPool *pool = newLastingPool(8, 10000);
    return pool;
}

// Connection steps (pollConnect): short and CPU-bound, never waiting on the network (except a
// host name resolved when libpq moves on to the next host of a list). Never destroyed either.
QThreadPool *connectPool()
{
    static QThreadPool *pool = newLastingPool(qMax(2, QThread::idealThreadCount()), 30000);
    return pool;
}

} // namespace

QFuture<PostgresPollingStatusType> pollConnect(ConnPtr conn)
{
    return QtConcurrent::run(connectPool(),
                             [conn = std::move(conn)] { return PQconnectPoll(conn.get()); });
}

// Sends a cancel request for the connection described by `cancel` on a worker thread; the future
// gives libpq's message when it failed, an empty string when the server took the request.
QFuture<QString> sendCancel(CancelPtr cancel)
{
    std::shared_ptr<PGcancel> shared(cancel.release(), CancelDeleter());
    return QtConcurrent::run(cancelPool(), [shared] {
        char message[256] = {};
        if (PQcancel(shared.get(), message, int(sizeof message)))
            return QString();
        return QString::fromUtf8(message).trimmed();
    });
}

// libpq prints notices (e.g. "NOTICE: ... does not exist, skipping") on stderr by default.
void noticeProcessor(void *, const char *message)
{
    qCDebug(lcPg, "server notice: %s", message);
}

// A parameter's text form; std::nullopt is SQL NULL.
std::optional<QByteArray> parameterText(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return std::nullopt;
    switch (value.typeId()) {
    case QMetaType::Bool:
        return QByteArray(value.toBool() ? "t" : "f");
    case QMetaType::QByteArray:
        return value.toByteArray();
    case QMetaType::QDateTime:
        return value.toDateTime().toString(Qt::ISODateWithMs).toUtf8();
    default:
        return value.toString().toUtf8();
    }
}

PgResult copyResult(const PGresult *result)
{
    PgResult out;
    if (!result)
        return out;
    const int fields = PQnfields(result);
    const int tuples = PQntuples(result);
    out.columns.reserve(fields);
    for (int f = 0; f < fields; ++f)
        out.columns.append(QString::fromUtf8(PQfname(result, f)));
    out.rows.reserve(tuples);
    for (int t = 0; t < tuples; ++t) {
        QVector<QVariant> row(fields);
        for (int f = 0; f < fields; ++f) {
            if (!PQgetisnull(result, t, f))
                row[f] = QString::fromUtf8(PQgetvalue(result, t, f), PQgetlength(result, t, f));
        }
        out.rows.append(std::move(row));
    }
    out.commandTag = QString::fromUtf8(PQcmdStatus(const_cast<PGresult *>(result)));
    return out;
}

ServiceError::Kind kindForSqlState(const QString &sqlstate)
{
    using Kind = ServiceError::Kind;
    if (sqlstate.startsWith(QLatin1String("28")))
        return Kind::Auth;
    if (sqlstate == QLatin1String("57014"))
        return Kind::Cancelled;
    if (sqlstate.startsWith(QLatin1String("08")) || sqlstate.startsWith(QLatin1String("57P")) ||
        sqlstate == QLatin1String("53300"))
        return Kind::Connect;
    return Kind::Query;
}

ServiceError errorFromResult(const PGresult *result, const QString &what, const QString &host)
{
    const QString code = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_SQLSTATE));
    QString message = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (message.isEmpty()) // libpq's own errors (e.g. out of memory) have no fields
        message = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    return ServiceError::make(code.isEmpty() ? ServiceError::Kind::Query : kindForSqlState(code),
                              what, host, code, message.trimmed());
}

QString redact(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        // Short strings would mask ordinary words; libpq never prints passwords anyway.
        if (secret.size() >= 4)
            text.replace(secret, QStringLiteral("********"));
    }
    return text;
}

namespace {

// What to change when libpq refused the server's TLS certificate, or the server refused a
// connection without TLS; empty for other messages. libpq's own words stay first (they name the
// host); this only adds the next step, never "turn verification off".
QString tlsHint(const QString &message)
{
    if (message.contains(QLatin1String("does not match host name")))
        return Tr::tr("The server's TLS certificate does not name the host connected to: connect "
                      "by a name the certificate holds, or have the certificate reissued with "
                      "this one.");
    if (message.contains(QLatin1String("certificate verify failed")))
        return Tr::tr("The server's TLS certificate was refused: it is not signed by the CA in "
                      "sslrootcert, or it has expired or is not valid yet. Set sslrootcert to the "
                      "CA that signed it, or renew the server's certificate.");
    if (message.contains(QLatin1String("certificate expired")))
        return Tr::tr("The client certificate (sslcert) has expired: renew it.");
    if (message.contains(QLatin1String("no encryption")))
        return Tr::tr("The server only accepts TLS connections from here: set sslmode=verify-full "
                      "and sslrootcert to its CA.");
    return {};
}

} // namespace

ServiceError errorFromMessage(const QString &libpqMessage, ServiceError::Kind fallback,
                              const QString &what, const QString &host, const QStringList &secrets)
{
    // PQERRORS_VERBOSE puts the SQLSTATE after the severity: "FATAL:  28P01: password ...".
    static const QRegularExpression severityCode(
        QStringLiteral("\\b(FATAL|ERROR|PANIC):  ([0-9A-Z]{5}): "));
    QString code;
    QStringList lines;
    for (QString line : libpqMessage.split(QLatin1Char('\n'))) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1String("LOCATION:  ")))
            continue;
        const auto match = severityCode.match(line);
        if (match.hasMatch()) {
            code = match.captured(2); // the last one wins (libpq lists the hosts it tried in order)
            line.replace(match.capturedStart(), match.capturedLength(),
                         match.captured(1) + QStringLiteral(":  "));
        }
        lines.append(line);
    }
    QString message = redact(lines.join(QLatin1Char('\n')), secrets);
    if (const QString hint = tlsHint(message); !hint.isEmpty())
        message += QLatin1Char('\n') + hint;

    ServiceError::Kind kind = fallback;
    if (code.startsWith(QLatin1String("28")))
        kind = ServiceError::Kind::Auth;
    else if (code == QLatin1String("08P01") &&
             message.contains(QLatin1String("authentication failed"), Qt::CaseInsensitive))
        kind = ServiceError::Kind::Auth; // PgBouncer: "SASL authentication failed" as 08P01
    return ServiceError::make(kind, what, host, code, message);
}

QString statementLabel(const QString &sql)
{
    // Vigil's own queries carry a marker comment (/* vigil:member_probe */) that names them
    // better than their first 60 characters would.
    static const QRegularExpression marker(QStringLiteral("/\\*\\s*vigil:([A-Za-z0-9_]+)\\s*\\*/"));
    const QRegularExpressionMatch m = marker.match(sql);
    if (m.hasMatch())
        return Tr::tr("query %1").arg(m.captured(1));
    QStringList kept;
    for (const QString &line : sql.split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (!t.isEmpty() && !t.startsWith(QLatin1String("--")))
            kept.append(t);
    }
    QString label = kept.join(QLatin1Char(' ')).simplified();
    constexpr int maxLength = 60;
    if (label.size() > maxLength)
        label = label.left(maxLength - 1) + QChar(0x2026); // …
    return label;
}

} // namespace vigil::services::pg
