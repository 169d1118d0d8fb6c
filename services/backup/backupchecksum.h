#pragma once

#include <QByteArray>
#include <QString>

namespace vigil::services {

// SHA-256 of a backup file, streamed in 1 MiB reads (QCryptographicHash::addData on the open
// file: the dump is never held in memory whole). Blocking file I/O: PgDumpRunner calls it on a
// thread of backgroundPool() (services/core/backgroundpool.h), never on the UI thread.
struct BackupChecksum
{
    QByteArray sha256Hex; // lowercase hex, empty on error
    qint64 bytes = 0;
    QString error; // why the file could not be read, else empty

    bool ok() const { return error.isEmpty(); }
};

BackupChecksum sha256OfFile(const QString &path);

// The line sha256sum prints and `sha256sum -c` reads: "HEX  NAME\n" (two spaces: text mode;
// NAME is the file's name without folder, since FILE.sha256 sits beside FILE).
QByteArray sha256sumLine(const QByteArray &sha256Hex, const QString &path);

// Writes sha256sumLine to `path` + ".sha256"; returns the reason it could not, else empty.
QString writeSha256File(const QByteArray &sha256Hex, const QString &path);

} // namespace vigil::services
