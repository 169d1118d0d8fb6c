#include "services/backup/pgdumparchive.h"

#include "services/core/error.h"

#include <QFile>
#include <limits>

namespace vigil::services {

namespace {

constexpr qsizetype kHeaderReadBytes = 8192;
constexpr qint64 kLongestString = 1024; // a database name or version string, with room to spare

// Reads pg_dump's WriteByte / WriteInt / WriteStr encodings (pg_backup_archiver.c): an int is a
// sign byte and then intSize bytes, least significant first; a string is its length as an int
// (-1 for NULL) and then its bytes.
class HeaderReader
{
public:
    explicit HeaderReader(QByteArrayView bytes)
        : m_bytes(bytes)
    {
    }

    bool ok() const { return m_ok; }
    void setIntSize(int size) { m_intSize = size; }

    int byte()
    {
        if (m_pos >= m_bytes.size())
            return fail();
        return static_cast<unsigned char>(m_bytes[m_pos++]);
    }

    qint64 integer()
    {
        const int sign = byte();
        quint64 value = 0;
        for (int i = 0; i < m_intSize && m_ok; ++i)
            value |= quint64(byte()) << (8 * i);
        if (!m_ok)
            return 0;
        if (value > quint64(std::numeric_limits<qint64>::max()))
            return fail(); // no header field is that large (and -value would overflow)
        return sign ? -qint64(value) : qint64(value);
    }

    QString string()
    {
        const qint64 length = integer();
        if (!m_ok || length < 0)
            return {};
        if (length > kLongestString || length > m_bytes.size() - m_pos) {
            fail();
            return {};
        }
        const QString s = QString::fromUtf8(m_bytes.sliced(m_pos, length));
        m_pos += length;
        return s;
    }

private:
    int fail()
    {
        m_ok = false;
        return 0;
    }

    QByteArrayView m_bytes;
    qsizetype m_pos = 0;
    int m_intSize = 4;
    bool m_ok = true;
};

std::optional<PgDumpArchiveHeader> failWith(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return std::nullopt;
}

} // namespace

std::optional<PgDumpArchiveHeader> parsePgDumpArchiveHeader(QByteArrayView bytes, QString *error)
{
    if (!bytes.startsWith("PGDMP"))
        return failWith(error, Tr::tr("It does not start as a pg_dump custom-format archive "
                                      "(PGDMP)."));
    HeaderReader in(bytes.sliced(5));
    PgDumpArchiveHeader h;
    h.archiveMajor = in.byte();
    h.archiveMinor = in.byte();
    h.archiveRevision = in.byte();
    const int intSize = in.byte();
    in.byte(); // the size of a file offset
    const int format = in.byte();
    if (!in.ok() || h.archiveMajor != 1 || h.archiveMinor < 10 || intSize < 1 || intSize > 8)
        return failWith(error, Tr::tr("Its header is not one pg_dump 10 or newer writes (archive "
                                      "version %1.%2, %3-byte integers).")
                                   .arg(h.archiveMajor)
                                   .arg(h.archiveMinor)
                                   .arg(intSize));
    if (format != 1) // archCustom
        return failWith(error, Tr::tr("It is not in pg_dump's custom format (-Fc)."));
    in.setIntSize(intSize);
    if (h.archiveMinor >= 15) // 1.15 (pg_dump 16): the compression algorithm as one byte
        in.byte();
    else
        in.integer();           // the compression level
    for (int i = 0; i < 7; ++i) // the creation time: sec, min, hour, mday, mon, year, isdst
        in.integer();
    h.database = in.string();
    h.serverVersion = in.string();
    h.pgDumpVersion = in.string();
    if (!in.ok() || h.pgDumpVersion.isEmpty())
        return failWith(error, Tr::tr("Its header ends before it names pg_dump's version."));
    return h;
}

std::optional<PgDumpArchiveHeader> readPgDumpArchiveHeader(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(error, Tr::tr("Cannot read %1: %2").arg(path, file.errorString()));
    return parsePgDumpArchiveHeader(file.read(kHeaderReadBytes), error);
}

int majorOfVersionString(const QString &version)
{
    qsizetype end = 0;
    while (end < version.size() && version.at(end).isDigit())
        ++end;
    return end > 0 ? version.left(end).toInt() : 0;
}

} // namespace vigil::services
