#include "services/backup/backupchecksum.h"

#include "services/core/error.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace vigil::services {

BackupChecksum sha256OfFile(const QString &path)
{
    BackupChecksum out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = Tr::tr("Cannot read %1: %2").arg(path, file.errorString());
        return out;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0) {
            out.error = Tr::tr("Cannot read %1: %2").arg(path, file.errorString());
            return out;
        }
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        out.bytes += n;
    }
    out.sha256Hex = hash.result().toHex();
    return out;
}

QByteArray sha256sumLine(const QByteArray &sha256Hex, const QString &path)
{
    return sha256Hex + "  " + QFileInfo(path).fileName().toUtf8() + '\n';
}

QString writeSha256File(const QByteArray &sha256Hex, const QString &path)
{
    QSaveFile file(path + QStringLiteral(".sha256"));
    if (!file.open(QIODevice::WriteOnly) || file.write(sha256sumLine(sha256Hex, path)) < 0 ||
        !file.commit())
        return Tr::tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
    return {};
}

} // namespace vigil::services
