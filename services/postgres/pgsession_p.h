#pragma once

// Private to PgSession (services/postgres/pgsession.cpp): the state behind the public class.

#include "services/postgres/pglibpq.h"
#include "services/postgres/pgsession.h"

#include <QFutureWatcher>
#include <QSet>
#include <QSocketNotifier>
#include <QTimer>
#include <deque>
#include <optional>

namespace vigil::services {

// Lives on the session's thread; every member is touched only there. The QTimers and the
// notifiers deliver to lambdas with the session as context, so nothing fires after ~PgSession.
struct PgSession::Impl
{
    struct Query
    {
        enum class Kind
        {
            Params,   // PQsendQueryParams
            Simple,   // PQsendQuery
            Prepare,  // PQsendPrepare, then done
            Prepared, // PQsendQueryPrepared (after PQsendPrepare when not prepared yet)
        };
        QString sql; // for prepared statements: the statement's text (names it in errors)
        QVariantList params;
        Kind kind = Kind::Params;
        Callback callback;
        Millis deadline;
        QString statement; // Prepare, Prepared: the statement's name
        QList<unsigned> paramTypes;
        bool preparing = false; // Prepared: the PQsendPrepare step is the one in flight
    };

    explicit Impl(PgSession *owner);

    void open(const PgConnectionSettings &newSettings, Millis deadline);
    void close();
    void shutdown();
    void enqueue(Query query);

    // Connection
    void startConnect();
    void pollConnect();      // one PQconnectPoll step, on a worker thread (pg::pollConnect)
    void pollConnectLater(); // from the event loop, unless another attempt has begun by then
    void connectPolled(PostgresPollingStatusType status);
    void connected();
    void failConnect(const ServiceError &error);
    void onConnectDeadline();
    void dropConnection();
    void noteTriedHost();
    QString connHost() const;

    // Notifiers: re-created on every call while connecting (the socket may change between polls).
    void armNotifiers(bool read, bool write, bool recreate);
    void retireNotifiers();
    void onSocketEvent(QSocketNotifier::Type type);

    // Queries
    void startNext();
    void sendCurrent();
    int sendPrepare();
    int sendPrepared();
    bool continuePrepared();
    void flush();
    void onQueryIo(QSocketNotifier::Type type);
    void drainResults();
    void finishCurrent();
    void connectionLost();
    void abandonConnection(const ServiceError &error);
    void onIdleReadable();
    void onQueryDeadline();
    void onCancelGraceOver();
    void onCancelDone(QFutureWatcher<QString> *watcher);
    void fireAndForgetCancel();

    void deliver(Callback callback, const PgResult &result, const ServiceError &error);
    void failAll(const ServiceError &error, bool includeCurrent);
    ServiceError timeoutError(const Query &query, const QString &code, const QString &detail) const;

    PgSession *q;
    PgConnectionSettings settings;
    bool haveSettings = false;
    Millis connectDeadline{3000};
    QStringList secrets;

    pg::ConnPtr conn;
    State state = State::Disconnected;
    QSocketNotifier *readNotifier = nullptr;
    QSocketNotifier *writeNotifier = nullptr;
    bool writePending = false;
    QTimer connectTimer;
    QTimer queryTimer;
    QTimer graceTimer;
    QStringList triedHosts;
    quint64 attempt = 0; // incremented for every connection attempt; stale posted work checks it

    // The statements prepared on this connection (a new connection starts without any).
    QSet<QString> prepared;

    std::deque<Query> queue;
    std::optional<Query> current;
    PgResult lastResult;
    ServiceError firstError;
    bool timedOut = false;
    QFutureWatcher<QString> *cancelWatcher = nullptr; // a cancel for this connection in flight
    // A connection step in flight on a worker thread: `conn` is the worker's until it finishes
    // (no notifiers meanwhile). Dropping the connection only lets go of the session's reference.
    QFutureWatcher<PostgresPollingStatusType> *pollWatcher = nullptr;
};

} // namespace vigil::services
