#include "services/postgres/pgsession.h"

#include "services/postgres/pglibpq.h"
#include "services/postgres/pgsession_p.h"

namespace vigil::services {

namespace {

// How long the server gets to give the connection back after a cancel request, before the
// connection is dropped and re-opened for the next query.
constexpr std::chrono::milliseconds kCancelGrace(1000);

} // namespace

PgSession::Impl::Impl(PgSession *owner)
    : q(owner)
{
    for (QTimer *timer : {&connectTimer, &queryTimer, &graceTimer}) {
        timer->setSingleShot(true);
        // A deadline must not fire early (a coarse timer may, by up to 5%).
        timer->setTimerType(Qt::PreciseTimer);
    }
    QObject::connect(&connectTimer, &QTimer::timeout, q, [this] { onConnectDeadline(); });
    QObject::connect(&queryTimer, &QTimer::timeout, q, [this] { onQueryDeadline(); });
    QObject::connect(&graceTimer, &QTimer::timeout, q, [this] { onCancelGraceOver(); });
}

void PgSession::Impl::deliver(Callback callback, const PgResult &result, const ServiceError &error)
{
    // Always posted: the callback runs outside libpq handling (it may queue, close, or delete the
    // session), and with the session as context it is dropped if the session dies first.
    QMetaObject::invokeMethod(
        q,
        [callback = std::move(callback), result, error] {
            if (callback)
                callback(result, error);
        },
        Qt::QueuedConnection);
}

void PgSession::Impl::failAll(const ServiceError &error, bool includeCurrent)
{
    if (includeCurrent && current) {
        Query query = std::move(*current);
        current.reset();
        ServiceError e = error;
        e.what = pg::statementLabel(query.sql);
        deliver(std::move(query.callback), {}, e);
    }
    std::deque<Query> pending;
    pending.swap(queue);
    for (Query &query : pending) {
        ServiceError e = error;
        e.what = pg::statementLabel(query.sql);
        deliver(std::move(query.callback), {}, e);
    }
}

ServiceError PgSession::Impl::timeoutError(const Query &query, const QString &code,
                                           const QString &detail) const
{
    QString message = Tr::tr("The query did not finish within %1 ms and was cancelled.")
                          .arg(query.deadline.count());
    if (!detail.isEmpty())
        message = Tr::tr("%1 %2").arg(message, detail);
    return ServiceError::make(ServiceError::Kind::Timeout, pg::statementLabel(query.sql),
                              connHost(), code, message);
}

QString PgSession::Impl::connHost() const
{
    if (pollWatcher) // a worker is in PQconnectPoll: the connection is not ours to read now
        return triedHosts.isEmpty() ? settings.displayHost() : triedHosts.constLast();
    if (conn) {
        const QString host = QString::fromUtf8(PQhost(conn.get()));
        const QString port = QString::fromUtf8(PQport(conn.get()));
        if (!host.isEmpty())
            return port.isEmpty() ? host : QStringLiteral("%1:%2").arg(host, port);
    }
    return settings.displayHost();
}

// ---- connection --------------------------------------------------------------------------------

void PgSession::Impl::open(const PgConnectionSettings &newSettings, Millis deadline)
{
    // Re-opening drops the old connection. A query running on it cannot move and is cancelled;
    // queued ones wait for the new connection.
    if (conn && current) {
        fireAndForgetCancel();
        Query query = std::move(*current);
        current.reset();
        deliver(std::move(query.callback), {},
                ServiceError::make(ServiceError::Kind::Cancelled, pg::statementLabel(query.sql),
                                   connHost(), {},
                                   Tr::tr("The connection was re-opened with new settings.")));
    }
    const bool wasOpen = conn && state != State::Connecting;
    dropConnection();
    settings = newSettings;
    haveSettings = true;
    connectDeadline = deadline;
    const pg::ConnectOptions o = pg::parseConnectOptions(settings);
    secrets.clear();
    if (!o.password.isEmpty())
        secrets.append(o.password);
    if (wasOpen) {
        QPointer<PgSession> alive(q);
        Q_EMIT q->closed();
        if (!alive || haveSettings == false)
            return;
    }
    startConnect();
}

void PgSession::Impl::startConnect()
{
    // expand_dbname=1: the first "dbname" entry may be a whole connection string (URI, keywords or
    // service=NAME); entries after it win over what it expands to. fallback_application_name
    // applies only when nothing else (conninfo, service file, PGAPPNAME) names the application.
    // client_encoding comes last and always wins: PgResult decodes everything as UTF-8.
    QList<QPair<QByteArray, QByteArray>> pairs;
    pairs.append(qMakePair(QByteArray("fallback_application_name"), QByteArray("vigil")));
    if (!settings.conninfo.trimmed().isEmpty())
        pairs.append(qMakePair(QByteArray("dbname"), settings.conninfo.toUtf8()));
    for (const auto &kv : settings.overrides)
        pairs.append({kv.first.toUtf8(), kv.second.toUtf8()});
    pairs.append(qMakePair(QByteArray("client_encoding"), QByteArray("UTF8")));
    std::vector<const char *> keywords, values;
    for (const auto &kv : pairs) {
        keywords.push_back(kv.first.constData());
        values.push_back(kv.second.constData());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);

    dropConnection(); // never two connections (or notifiers on a dead socket)
    ++attempt;
    triedHosts.clear();
    state = State::Connecting;
    connectTimer.start(connectDeadline);
    // Note: libpq resolves host names inside this call (getaddrinfo); numeric addresses, as the
    // cluster members normally are, do not block.
    conn = pg::adoptConn(PQconnectStartParams(keywords.data(), values.data(), 1));
    if (!conn) {
        const quint64 thisAttempt = attempt;
        QMetaObject::invokeMethod(
            q,
            [this, thisAttempt] {
                if (thisAttempt == attempt)
                    failConnect(ServiceError::make(ServiceError::Kind::Connect, Tr::tr("connect"),
                                                   settings.displayHost(), {},
                                                   Tr::tr("Out of memory.")));
            },
            Qt::QueuedConnection);
        return;
    }
    // Verbose errors carry the SQLSTATE ("FATAL:  28P01: ..."): libpq keeps no result for errors
    // during start-up, so this is the only way to tell a wrong password from other failures.
    PQsetErrorVerbosity(conn.get(), PQERRORS_VERBOSE);
    PQsetNoticeProcessor(conn.get(), pg::noticeProcessor, nullptr);
    noteTriedHost();
    if (PQstatus(conn.get()) == CONNECTION_BAD) {
        // E.g. a syntax error in conninfo or an unknown service: report it from the event loop,
        // never from inside open().
        pollConnectLater();
        return;
    }
    // "Consider it as if PQconnectPoll returned PGRES_POLLING_WRITING" (libpq docs).
    armNotifiers(false, true, true);
}

void PgSession::Impl::noteTriedHost()
{
    const QString host = connHost();
    if (!host.isEmpty()) { // the newest last: connHost() names it while a step is in flight
        triedHosts.removeAll(host);
        triedHosts.append(host);
    }
}

void PgSession::Impl::pollConnectLater()
{
    const quint64 thisAttempt = attempt;
    QMetaObject::invokeMethod(
        q,
        [this, thisAttempt] {
            if (thisAttempt == attempt && state == State::Connecting)
                pollConnect();
        },
        Qt::QueuedConnection);
}

void PgSession::Impl::pollConnect()
{
    if (pollWatcher)
        return;        // the step in flight re-arms the notifiers when it is done
    retireNotifiers(); // the socket is the worker's now (and may change during the step)
    auto *watcher = new QFutureWatcher<PostgresPollingStatusType>(q);
    QObject::connect(watcher, &QFutureWatcherBase::finished, q, [this, watcher] {
        watcher->deleteLater();
        if (watcher != pollWatcher)
            return; // dropped meanwhile: the worker's reference finished that connection
        pollWatcher = nullptr;
        if (state == State::Connecting && conn)
            connectPolled(watcher->result());
    });
    pollWatcher = watcher;
    watcher->setFuture(pg::pollConnect(conn));
}

void PgSession::Impl::connectPolled(PostgresPollingStatusType status)
{
    noteTriedHost();
    switch (status) {
    case PGRES_POLLING_READING:
        armNotifiers(true, false, true);
        break;
    case PGRES_POLLING_WRITING:
    case PGRES_POLLING_ACTIVE: // unused by libpq; treat as "poll again"
        armNotifiers(false, true, true);
        break;
    case PGRES_POLLING_OK:
        connected();
        break;
    case PGRES_POLLING_FAILED:
        failConnect(pg::errorFromMessage(QString::fromUtf8(PQerrorMessage(conn.get())),
                                         ServiceError::Kind::Connect, Tr::tr("connect"), connHost(),
                                         secrets));
        break;
    }
}

void PgSession::Impl::connected()
{
    connectTimer.stop();
    PQsetErrorVerbosity(conn.get(), PQERRORS_DEFAULT);
    if (PQsetnonblocking(conn.get(), 1) != 0) {
        failConnect(
            ServiceError::make(ServiceError::Kind::Connect, Tr::tr("connect"), connHost(), {},
                               Tr::tr("Could not switch the connection to non-blocking mode.")));
        return;
    }
    state = State::Ready;
    armNotifiers(true, false, true); // idle: watch for the server closing the connection
    qCDebug(pg::lcPg) << "connected to" << connHost() << "backend pid" << PQbackendPID(conn.get());
    QPointer<PgSession> alive(q);
    Q_EMIT q->opened();
    if (alive)
        startNext();
}

void PgSession::Impl::failConnect(const ServiceError &error)
{
    connectTimer.stop();
    dropConnection();
    qCDebug(pg::lcPg) << "connect failed:" << error.toText();
    // Queued queries would only wait for a connection that is not coming.
    failAll(error, true);
    Q_EMIT q->failed(error);
}

void PgSession::Impl::onConnectDeadline()
{
    if (state != State::Connecting)
        return;
    noteTriedHost();
    const QString tried =
        triedHosts.isEmpty() ? settings.displayHost() : triedHosts.join(QStringLiteral(", "));
    failConnect(ServiceError::make(
        ServiceError::Kind::Timeout, Tr::tr("connect"), connHost(), {},
        Tr::tr("No answer within %1 ms (tried %2).").arg(connectDeadline.count()).arg(tried)));
}

void PgSession::Impl::dropConnection()
{
    connectTimer.stop();
    queryTimer.stop();
    graceTimer.stop();
    // The notifiers go before PQfinish closes the socket they watch.
    retireNotifiers();
    if (cancelWatcher) {
        cancelWatcher->disconnect();
        cancelWatcher->deleteLater(); // the cancel itself finishes on its own
        cancelWatcher = nullptr;
    }
    if (pollWatcher) {
        pollWatcher->disconnect();
        pollWatcher->deleteLater(); // the step finishes on its own, then PQfinish
        pollWatcher = nullptr;
    }
    conn.reset();
    prepared.clear(); // prepared statements live and die with their connection
    writePending = false;
    state = State::Disconnected;
}

// ---- notifiers ---------------------------------------------------------------------------------

void PgSession::Impl::retireNotifiers()
{
    for (QSocketNotifier **n : {&readNotifier, &writeNotifier}) {
        if (*n) {
            (*n)->setEnabled(false);
            (*n)->disconnect();
            // deleteLater: this may run inside the notifier's own activated() signal.
            (*n)->deleteLater();
            *n = nullptr;
        }
    }
}

void PgSession::Impl::armNotifiers(bool read, bool write, bool recreate)
{
    const int sock = conn ? PQsocket(conn.get()) : -1;
    if (recreate || sock < 0 || (readNotifier && readNotifier->socket() != sock))
        retireNotifiers();
    if (sock < 0) {
        if (conn && state == State::Connecting) {
            // No socket between two hosts of a list: poll again from the event loop.
            pollConnectLater();
        }
        return;
    }
    auto make = [this, sock](QSocketNotifier::Type type) {
        auto *n = new QSocketNotifier(sock, type, q);
        QObject::connect(n, &QSocketNotifier::activated, q, [this, type] { onSocketEvent(type); });
        return n;
    };
    if (!readNotifier)
        readNotifier = make(QSocketNotifier::Read);
    if (!writeNotifier)
        writeNotifier = make(QSocketNotifier::Write);
    readNotifier->setEnabled(read);
    writeNotifier->setEnabled(write);
}

void PgSession::Impl::onSocketEvent(QSocketNotifier::Type type)
{
    if (!conn)
        return;
    switch (state) {
    case State::Connecting:
        pollConnect();
        break;
    case State::Busy:
        onQueryIo(type);
        break;
    case State::Ready:
        onIdleReadable();
        break;
    case State::Disconnected:
        break;
    }
}

// ---- queries -----------------------------------------------------------------------------------

void PgSession::Impl::enqueue(Query query)
{
    if (!haveSettings) {
        deliver(std::move(query.callback), {},
                ServiceError::make(ServiceError::Kind::Connect, pg::statementLabel(query.sql), {},
                                   {}, Tr::tr("The session is not open.")));
        return;
    }
    queue.push_back(std::move(query));
    startNext();
}

void PgSession::Impl::startNext()
{
    if (current || queue.empty())
        return;
    if (state == State::Disconnected) {
        startConnect(); // re-open with the same settings
        return;
    }
    if (state != State::Ready || cancelWatcher)
        return; // connecting, or a cancel for the previous query is still on its way
    current = std::move(queue.front());
    queue.pop_front();
    sendCurrent();
}

namespace {

// The parameters in libpq's text format; a null QVariant is SQL NULL (a null pointer).
struct ParamTexts
{
    explicit ParamTexts(const QVariantList &params)
    {
        texts.reserve(params.size());
        for (const QVariant &p : params)
            texts.push_back(pg::parameterText(p));
        for (const auto &t : texts)
            values.push_back(t ? t->constData() : nullptr);
    }
    int count() const { return int(values.size()); }
    std::vector<std::optional<QByteArray>> texts;
    std::vector<const char *> values;
};

} // namespace

void PgSession::Impl::sendCurrent()
{
    lastResult = PgResult();
    firstError = ServiceError();
    timedOut = false;

    int sent = 0;
    switch (current->kind) {
    case Query::Kind::Simple:
        sent = PQsendQuery(conn.get(), current->sql.toUtf8().constData());
        break;
    case Query::Kind::Params: {
        const QByteArray sql = current->sql.toUtf8();
        const ParamTexts params(current->params);
        sent = PQsendQueryParams(conn.get(), sql.constData(), params.count(), nullptr,
                                 params.values.data(), nullptr, nullptr, 0);
        break;
    }
    case Query::Kind::Prepare:
        sent = sendPrepare();
        break;
    case Query::Kind::Prepared:
        current->preparing = !prepared.contains(current->statement);
        sent = current->preparing ? sendPrepare() : sendPrepared();
        break;
    }
    state = State::Busy;
    if (!sent) {
        firstError = pg::errorFromMessage(QString::fromUtf8(PQerrorMessage(conn.get())),
                                          ServiceError::Kind::Query,
                                          pg::statementLabel(current->sql), connHost(), secrets);
        if (PQstatus(conn.get()) == CONNECTION_BAD)
            connectionLost();
        else
            finishCurrent();
        return;
    }
    queryTimer.start(current->deadline);
    flush();
}

int PgSession::Impl::sendPrepare()
{
    const QByteArray name = current->statement.toUtf8();
    const QByteArray sql = current->sql.toUtf8();
    std::vector<Oid> types(current->paramTypes.cbegin(), current->paramTypes.cend());
    return PQsendPrepare(conn.get(), name.constData(), sql.constData(), int(types.size()),
                         types.empty() ? nullptr : types.data());
}

int PgSession::Impl::sendPrepared()
{
    const QByteArray name = current->statement.toUtf8();
    const ParamTexts params(current->params);
    return PQsendQueryPrepared(conn.get(), name.constData(), params.count(), params.values.data(),
                               nullptr, nullptr, 0);
}

bool PgSession::Impl::continuePrepared()
{
    // The PQsendPrepare step of execPrepared has ended: when it worked, the execution follows
    // in the same queue slot, with a deadline of its own. "Already exists" (42P05) means this
    // connection has it (prepared by an earlier call whose answer was lost to a deadline).
    if (!current || current->kind != Query::Kind::Prepared || !current->preparing || timedOut)
        return false;
    if (firstError && firstError.code != QLatin1String("42P05"))
        return false;
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
        // Never an empty answer for a statement that did not run.
        firstError =
            ServiceError::make(ServiceError::Kind::Connect, pg::statementLabel(current->sql),
                               connHost(), {}, Tr::tr("The connection was lost."));
        return false;
    }
    prepared.insert(current->statement);
    queryTimer.stop();
    sendCurrent();
    return true;
}

void PgSession::Impl::flush()
{
    const int r = PQflush(conn.get());
    if (r < 0) {
        connectionLost();
        return;
    }
    writePending = (r == 1);
    // While data is still queued, wait for read OR write readiness (libpq docs on PQflush).
    armNotifiers(true, writePending, false);
}

void PgSession::Impl::onQueryIo(QSocketNotifier::Type type)
{
    if (type == QSocketNotifier::Read) {
        if (!PQconsumeInput(conn.get()) || PQstatus(conn.get()) == CONNECTION_BAD) {
            connectionLost();
            return;
        }
    }
    if (writePending) {
        flush();
        if (!conn || state != State::Busy)
            return;
    }
    drainResults();
}

void PgSession::Impl::drainResults()
{
    while (conn && current && !PQisBusy(conn.get())) {
        pg::ResultPtr result(PQgetResult(conn.get()));
        if (!result) {
            finishCurrent();
            return;
        }
        switch (PQresultStatus(result.get())) {
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
        case PGRES_EMPTY_QUERY:
            // Several statements in one simple query: the last result is the answer.
            lastResult = pg::copyResult(result.get());
            break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
            // Not supported; the only clean way out of COPY mode here is a new connection.
            abandonConnection(ServiceError::make(ServiceError::Kind::Query,
                                                 pg::statementLabel(current->sql), connHost(), {},
                                                 Tr::tr("COPY is not supported.")));
            return;
        default: // PGRES_FATAL_ERROR, PGRES_BAD_RESPONSE, PGRES_NONFATAL_ERROR
            if (!firstError)
                firstError =
                    pg::errorFromResult(result.get(), pg::statementLabel(current->sql), connHost());
            break;
        }
    }
    if (conn && PQstatus(conn.get()) == CONNECTION_BAD)
        connectionLost();
}

void PgSession::Impl::finishCurrent()
{
    if (continuePrepared())
        return;
    queryTimer.stop();
    graceTimer.stop();
    Query query = std::move(*current);
    current.reset();
    ServiceError error = firstError;
    const bool cancelled = timedOut;
    if (timedOut) {
        // Past the deadline it is a timeout, whatever came back (the cancel's 57014, or a
        // result that arrived just too late).
        const bool serverCancelled = firstError.code == QLatin1String("57014");
        error = timeoutError(query, serverCancelled ? firstError.code : QString(),
                             serverCancelled ? firstError.message : QString());
    }
    const bool usable = conn && PQstatus(conn.get()) == CONNECTION_OK;
    if (error.kind == ServiceError::Kind::Connect && usable) {
        // A connection-class SQLSTATE on a connection that is still fine: PgBouncer reports all
        // its console errors ("database x is not paused") as 08P01. It is the command that failed.
        error.kind = ServiceError::Kind::Query;
    }
    if (query.kind == Query::Kind::Prepare && !error && usable)
        prepared.insert(query.statement);
    if (query.kind == Query::Kind::Prepared && error.code == QLatin1String("26000"))
        prepared.remove(query.statement); // the server does not know it (any more): prepare again
    deliver(std::move(query.callback), error ? PgResult() : lastResult, error);
    lastResult = PgResult();
    firstError = ServiceError();
    timedOut = false;
    if (!usable) {
        dropConnection();
        QPointer<PgSession> alive(q);
        Q_EMIT q->closed();
        if (alive)
            startNext(); // re-opens for the queued queries
        return;
    }
    state = State::Ready;
    armNotifiers(true, false, false);
    if (cancelled && cancelWatcher)
        graceTimer.start(kCancelGrace); // bound the wait for the cancel's confirmation
    startNext();
}

void PgSession::Impl::connectionLost()
{
    // The server went away mid-query (crash, pg_terminate_backend, network). If the server said
    // why (e.g. 57P01 "terminating connection due to administrator command"), keep its words.
    queryTimer.stop();
    graceTimer.stop();
    // Results libpq parsed before it saw the end of the stream (e.g. the server's FATAL message).
    // PQgetResult cannot block here: it is only called while PQisBusy() is false.
    while (conn && current && !PQisBusy(conn.get())) {
        pg::ResultPtr result(PQgetResult(conn.get()));
        if (!result)
            break;
        if (PQresultStatus(result.get()) == PGRES_FATAL_ERROR && !firstError)
            firstError =
                pg::errorFromResult(result.get(), pg::statementLabel(current->sql), connHost());
    }
    ServiceError error = firstError;
    if (error.kind != ServiceError::Kind::Connect) {
        const QString what = current ? pg::statementLabel(current->sql) : Tr::tr("connection");
        error = pg::errorFromMessage(QString::fromUtf8(PQerrorMessage(conn.get())),
                                     ServiceError::Kind::Connect, what, connHost(), secrets);
        error.kind = ServiceError::Kind::Connect;
    }
    if (timedOut && current)
        error = timeoutError(*current, {}, Tr::tr("The connection was lost."));
    qCDebug(pg::lcPg) << "connection lost:" << error.toText();
    dropConnection();
    if (current) {
        Query query = std::move(*current);
        current.reset();
        deliver(std::move(query.callback), {}, error);
    }
    QPointer<PgSession> alive(q);
    Q_EMIT q->closed();
    if (alive)
        startNext(); // reconnects for the queued queries
}

void PgSession::Impl::abandonConnection(const ServiceError &error)
{
    fireAndForgetCancel();
    dropConnection();
    if (current) {
        Query query = std::move(*current);
        current.reset();
        deliver(std::move(query.callback), {}, error);
    }
    QPointer<PgSession> alive(q);
    Q_EMIT q->closed();
    if (alive)
        startNext();
}

void PgSession::Impl::onIdleReadable()
{
    // Nothing is expected while idle except the server closing the connection (shutdown,
    // pg_terminate_backend, idle_session_timeout), notices, or notifications.
    const bool ok = PQconsumeInput(conn.get()) && PQstatus(conn.get()) != CONNECTION_BAD;
    while (PGnotify *n = PQnotifies(conn.get()))
        PQfreemem(n);
    if (ok)
        return;
    qCDebug(pg::lcPg) << "idle connection closed:"
                      << QString::fromUtf8(PQerrorMessage(conn.get())).trimmed();
    dropConnection();
    Q_EMIT q->closed();
}

void PgSession::Impl::onQueryDeadline()
{
    if (!current || !conn)
        return;
    timedOut = true;
    graceTimer.start(kCancelGrace);
    pg::CancelPtr cancel(PQgetCancel(conn.get()));
    if (!cancel)
        return; // the grace timer drops the connection
    auto *watcher = new QFutureWatcher<QString>(q);
    QObject::connect(watcher, &QFutureWatcherBase::finished, q,
                     [this, watcher] { onCancelDone(watcher); });
    if (cancelWatcher) { // cannot happen (one query at a time), but never leak a watcher
        cancelWatcher->disconnect();
        cancelWatcher->deleteLater();
    }
    cancelWatcher = watcher;
    watcher->setFuture(pg::sendCancel(std::move(cancel)));
}

void PgSession::Impl::onCancelDone(QFutureWatcher<QString> *watcher)
{
    watcher->deleteLater();
    if (watcher != cancelWatcher)
        return;
    cancelWatcher = nullptr;
    const QString message = watcher->result();
    if (!message.isEmpty())
        qCDebug(pg::lcPg) << "cancel request failed:" << message;
    // The next query is sent only now: a cancel that arrived late would hit it instead.
    if (!current && state == State::Ready) {
        graceTimer.stop();
        startNext();
    }
}

void PgSession::Impl::onCancelGraceOver()
{
    // The server did not give the connection back after the cancel (frozen, or the cancel got
    // lost), or the query ended but the cancel request is still unconfirmed (it could hit the
    // next query): drop the connection; the next query opens a new one with the same settings.
    if (current) {
        Query query = std::move(*current);
        current.reset();
        deliver(std::move(query.callback), {},
                timeoutError(query, {},
                             Tr::tr("The server did not confirm the cancel; the connection was "
                                    "closed.")));
    } else if (!cancelWatcher) {
        return;
    }
    dropConnection();
    QPointer<PgSession> alive(q);
    Q_EMIT q->closed();
    if (alive)
        startNext();
}

void PgSession::Impl::fireAndForgetCancel()
{
    // Used when Vigil abandons a running query (close, re-open, destruction): the server should
    // not go on running it for nobody.
    if (!conn || state != State::Busy)
        return;
    if (pg::CancelPtr cancel{PQgetCancel(conn.get())})
        pg::sendCancel(std::move(cancel));
}

void PgSession::Impl::close()
{
    fireAndForgetCancel();
    const bool wasOpen = conn && state != State::Connecting;
    haveSettings = false;
    dropConnection();
    failAll(ServiceError::make(ServiceError::Kind::Cancelled, {}, connHost(), {},
                               Tr::tr("The session was closed.")),
            true);
    if (wasOpen)
        Q_EMIT q->closed();
}

void PgSession::Impl::shutdown()
{
    fireAndForgetCancel();
    // Not deleteLater: the session is going away. Qt copes with a notifier deleted while it is
    // being activated (QSocketNotifier::event guards its own emission).
    delete readNotifier;
    delete writeNotifier;
    readNotifier = writeNotifier = nullptr;
    delete cancelWatcher;
    cancelWatcher = nullptr;
    delete pollWatcher; // a step in flight keeps its own reference to the connection
    pollWatcher = nullptr;
    conn.reset(); // PQfinish: sends Terminate without waiting, closes the socket
}

// ---- PgSession ---------------------------------------------------------------------------------

PgSession::PgSession(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this))
{
}

PgSession::~PgSession()
{
    d->shutdown();
}

void PgSession::open(const PgConnectionSettings &settings, Millis deadline)
{
    d->open(settings, deadline);
}

void PgSession::close()
{
    d->close();
}

void PgSession::exec(const QString &sql, const QVariantList &params, Callback callback,
                     Millis deadline)
{
    d->enqueue({sql, params, Impl::Query::Kind::Params, std::move(callback), deadline, {}, {}});
}

void PgSession::execSimple(const QString &sql, Callback callback, Millis deadline)
{
    d->enqueue({sql, {}, Impl::Query::Kind::Simple, std::move(callback), deadline, {}, {}});
}

void PgSession::prepare(const PgStatement &statement, Callback callback, Millis deadline)
{
    d->enqueue({statement.sql,
                {},
                Impl::Query::Kind::Prepare,
                std::move(callback),
                deadline,
                statement.name,
                statement.paramTypes});
}

void PgSession::execPrepared(const PgStatement &statement, const QVariantList &params,
                             Callback callback, Millis deadline)
{
    d->enqueue({statement.sql, params, Impl::Query::Kind::Prepared, std::move(callback), deadline,
                statement.name, statement.paramTypes, false});
}

PgSession::State PgSession::state() const
{
    return d->state;
}

bool PgSession::isOpen() const
{
    return d->state == State::Ready || d->state == State::Busy;
}

QString PgSession::host() const
{
    return d->connHost();
}

int PgSession::serverVersion() const
{
    return isOpen() ? PQserverVersion(d->conn.get()) : 0;
}

int PgSession::backendPid() const
{
    return isOpen() ? PQbackendPID(d->conn.get()) : 0;
}

int PgSession::pendingQueries() const
{
    return int(d->queue.size()) + (d->current ? 1 : 0);
}

namespace {
// PQescapeIdentifier or PQescapeLiteral on the connection (its encoding and
// standard_conforming_strings); empty when libpq refuses (e.g. invalid UTF-8) or no memory.
QString escapedBy(char *(*escape)(PGconn *, const char *, size_t), PGconn *conn,
                  const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    char *escaped = escape(conn, utf8.constData(), size_t(utf8.size()));
    if (!escaped)
        return {};
    const QString result = QString::fromUtf8(escaped);
    PQfreemem(escaped);
    return result;
}
} // namespace

QString PgSession::escapeIdentifier(const QString &identifier) const
{
    return isOpen() ? escapedBy(PQescapeIdentifier, d->conn.get(), identifier) : QString();
}

QString PgSession::escapeLiteral(const QString &value) const
{
    return isOpen() ? escapedBy(PQescapeLiteral, d->conn.get(), value) : QString();
}

QByteArray PgSession::encryptPassword(const QByteArray &password, const QString &role,
                                      const QByteArray &algorithm, QString *errorMessage) const
{
    if (!isOpen()) {
        if (errorMessage)
            *errorMessage = Tr::tr("Not connected to %1.").arg(host());
        return {};
    }
    const QByteArray user = role.toUtf8();
    char *encrypted = PQencryptPasswordConn(d->conn.get(), password.constData(), user.constData(),
                                            algorithm.isEmpty() ? nullptr : algorithm.constData());
    if (!encrypted) {
        if (errorMessage)
            *errorMessage = QString::fromUtf8(PQerrorMessage(d->conn.get())).trimmed();
        return {};
    }
    const QByteArray result(encrypted);
    PQfreemem(encrypted);
    return result;
}

} // namespace vigil::services
