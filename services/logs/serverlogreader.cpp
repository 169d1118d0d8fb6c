#include "services/logs/serverlogreader.h"

#include "services/postgres/pgrowreader.h"
#include "services/postgres/sqlresource.h"

namespace vigil::services {

namespace {
// A line longer than this without a newline is let out as it is (memory stays bounded).
constexpr qsizetype kMaxPendingLine = 1024 * 1024;
} // namespace

ServerLogReader::ServerLogReader(PgSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_poll.setSingleShot(true);
    connect(&m_poll, &QTimer::timeout, this, &ServerLogReader::poll);
}

QList<ServerLogFile> ServerLogReader::parseFiles(const PgResult &result)
{
    QList<ServerLogFile> out;
    const PgRowReader reader(result);
    const int cName = reader.column("name"), cSize = reader.column("size"),
              cModified = reader.column("modified_ms");
    for (int i = 0; i < reader.rowCount(); ++i) {
        ServerLogFile f;
        f.name = reader.text(i, cName);
        if (f.name.isEmpty())
            continue;
        f.size = qMax<qint64>(0, reader.integer(i, cSize).value_or(0));
        if (const auto ms = reader.integer(i, cModified))
            f.modified = QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC);
        out.append(f);
    }
    return out;
}

ServerLogReader::StartPoint ServerLogReader::startPoint(const QList<ServerLogFile> &files,
                                                        const ServerLogTailOptions &options)
{
    StartPoint start;
    if (files.isEmpty())
        return start;
    if (!options.since.isValid()) {
        const ServerLogFile &newest = files.constLast();
        start.files = {newest};
        start.offset = qMax<qint64>(0, newest.size - qMax<qint64>(0, options.windowBytes));
        start.dropFirstLine = start.offset > 0;
        return start;
    }
    for (const ServerLogFile &f : files) {
        if (!f.modified.isValid() || f.modified >= options.since)
            start.files.append(f);
    }
    if (start.files.isEmpty()) { // nothing written since then: follow from the end
        start.files = {files.constLast()};
        start.offset = files.constLast().size;
        return start;
    }
    qint64 total = 0;
    for (const ServerLogFile &f : start.files)
        total += f.size;
    const qint64 cap = qMax<qint64>(0, options.maxCatchUpBytes);
    // Whole files are skipped while the rest still holds `cap` bytes; the first one kept is
    // read from where the last `cap` bytes begin.
    while (start.files.size() > 1 && total - start.files.constFirst().size >= cap) {
        total -= start.files.constFirst().size;
        start.files.removeFirst();
    }
    if (total > cap) {
        start.offset = total - cap;
        start.dropFirstLine = true;
    }
    return start;
}

void ServerLogReader::start(const ServerLogTailOptions &options)
{
    stop();
    m_options = options;
    m_running = true;
    m_queue.clear();
    m_file.clear();
    m_offset = 0;
    m_pending.clear();
    m_dropFirstLine = m_sinceReached = m_caughtUp = false;
    const int generation = m_generation;
    if (!m_session) {
        QTimer::singleShot(0, this, [this, generation] {
            if (!stale(generation))
                fail(ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("server log"),
                                        {}, {}, Tr::tr("No connection.")));
        });
        return;
    }
    QPointer<ServerLogReader> self(this);
    m_session->exec(
        sqlResource(QStringLiteral("server_log_settings")), {},
        [this, self, generation](const PgResult &result, const ServiceError &error) {
            if (!self || stale(generation))
                return;
            if (error)
                return fail(error);
            auto access = ServerLogAccess::parse(result, m_session ? m_session->host() : QString());
            if (!access.ok())
                return fail(access.error());
            m_access = access.value();
            Q_EMIT accessChecked(m_access);
            if (const ServiceError problem = m_access.error())
                return fail(problem);
            m_parser.emplace(m_access.prefix);
            listFiles([this](const QList<ServerLogFile> &files) { begin(files); });
        },
        m_options.deadline);
}

void ServerLogReader::stop()
{
    m_running = false;
    ++m_generation;
    m_poll.stop();
}

void ServerLogReader::fail(const ServiceError &error)
{
    m_running = false;
    ++m_generation;
    m_poll.stop();
    Q_EMIT failed(error);
}

void ServerLogReader::listFiles(std::function<void(const QList<ServerLogFile> &)> then)
{
    if (!m_session)
        return fail(ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("server log"),
                                       {}, {}, Tr::tr("No connection.")));
    QPointer<ServerLogReader> self(this);
    const int generation = m_generation;
    m_session->exec(
        sqlResource(QStringLiteral("server_log_files")), {},
        [this, self, generation, then](const PgResult &result, const ServiceError &error) {
            if (!self || stale(generation))
                return;
            if (error)
                return fail(error);
            then(parseFiles(result));
        },
        m_options.deadline);
}

void ServerLogReader::begin(const QList<ServerLogFile> &files)
{
    const StartPoint start = startPoint(files, m_options);
    if (start.files.isEmpty()) { // an empty log directory
        endOfFile();
        return;
    }
    m_queue = start.files;
    switchTo(m_queue.takeFirst());
    m_offset = start.offset;
    m_dropFirstLine = start.dropFirstLine;
    readChunk();
}

void ServerLogReader::switchTo(const ServerLogFile &file)
{
    m_file = file.name;
    m_fileModified = file.modified;
    m_offset = 0;
    m_dropFirstLine = false;
    Q_EMIT fileChanged(m_file);
}

void ServerLogReader::readChunk()
{
    if (!m_session)
        return fail(ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("server log"),
                                       {}, {}, Tr::tr("No connection.")));
    QPointer<ServerLogReader> self(this);
    const int generation = m_generation;
    const qint64 chunk = qMax<qint64>(4096, m_options.chunkBytes);
    m_session->exec(
        sqlResource(QStringLiteral("server_log_read")), {m_access.pathOf(m_file), m_offset, chunk},
        [this, self, generation, chunk](const PgResult &result, const ServiceError &error) {
            if (!self || stale(generation))
                return;
            if (error)
                return fail(error);
            if (result.rowCount() != 1 || result.isNull(0, 0)) { // the file is gone
                endOfFile();
                return;
            }
            // bytea in hex output: "\x4c4f47..."
            const QString hex = result.rows.at(0).at(0).toString();
            const QByteArray bytes = QByteArray::fromHex(hex.mid(2).toLatin1());
            m_offset += bytes.size();
            takeBytes(bytes);
            if (!stale(generation) && bytes.size() >= chunk)
                readChunk();
            else if (!stale(generation))
                endOfFile();
        },
        m_options.deadline);
}

void ServerLogReader::takeBytes(const QByteArray &bytes)
{
    QByteArray data = bytes;
    if (m_dropFirstLine) {
        const qsizetype newline = data.indexOf('\n');
        if (newline < 0)
            return;
        data.remove(0, newline + 1);
        m_dropFirstLine = false;
    }
    m_pending += data;
    const qsizetype end = m_pending.lastIndexOf('\n');
    if (end < 0 && m_pending.size() < kMaxPendingLine)
        return;
    const qsizetype cut = end < 0 ? m_pending.size() : end + 1;
    const QByteArray complete = m_pending.left(cut);
    m_pending.remove(0, cut);
    deliver(complete);
}

void ServerLogReader::flushPending()
{
    if (m_pending.isEmpty())
        return;
    const QByteArray rest = m_pending;
    m_pending.clear();
    deliver(rest);
}

void ServerLogReader::deliver(const QByteArray &text)
{
    if (!m_parser)
        return;
    QList<ServerLogEntry> entries = m_parser->parse(QString::fromUtf8(text), m_file);
    if (m_options.since.isValid() && !m_sinceReached) {
        qsizetype first = 0;
        while (first < entries.size() &&
               !(entries.at(first).time.isValid() && entries.at(first).time >= m_options.since))
            ++first;
        m_sinceReached = first < entries.size();
        entries.remove(0, first);
    }
    if (!entries.isEmpty())
        Q_EMIT entriesRead(entries);
}

void ServerLogReader::endOfFile()
{
    if (!m_queue.isEmpty()) {
        flushPending();
        switchTo(m_queue.takeFirst());
        readChunk();
        return;
    }
    if (!m_caughtUp) {
        m_caughtUp = true;
        Q_EMIT caughtUp();
    }
    if (!m_options.follow) {
        flushPending();
        m_running = false;
        Q_EMIT finished();
        return;
    }
    m_poll.start(m_options.pollInterval);
}

void ServerLogReader::poll()
{
    if (!m_running)
        return;
    listFiles([this](const QList<ServerLogFile> &files) { afterListing(files); });
}

// Follow mode: what the listing says about the file being read. Grown: read on. Truncated
// (log_truncate_on_rotation with a reused name): from its start. A newer file after it (the
// collector rotated): the rest was read, go on there. The file gone: the oldest one newer than it.
void ServerLogReader::afterListing(const QList<ServerLogFile> &files)
{
    qsizetype index = -1;
    for (qsizetype i = 0; i < files.size(); ++i) {
        if (files.at(i).name == m_file)
            index = i;
    }
    if (index >= 0 && files.at(index).size > m_offset)
        return readChunk();
    if (index >= 0 && files.at(index).size < m_offset) {
        m_offset = 0;
        m_pending.clear();
        return readChunk();
    }
    qsizetype next = index >= 0 ? index + 1 : -1;
    if (index < 0) {
        for (qsizetype i = 0; i < files.size() && next < 0; ++i) {
            if (!m_fileModified.isValid() || files.at(i).modified >= m_fileModified)
                next = i;
        }
    }
    if (next >= 0 && next < files.size()) {
        flushPending();
        switchTo(files.at(next));
        return readChunk();
    }
    m_poll.start(m_options.pollInterval);
}

} // namespace vigil::services
