#include "services/backup/pgpassfile.h"

#include "services/core/error.h"

#include <QDir>
#include <QTemporaryFile>

namespace vigil::services {

std::unique_ptr<QTemporaryFile> writeTemporaryPgpass(const QString &line, QString *error)
{
    auto file =
        std::make_unique<QTemporaryFile>(QDir::tempPath() + QStringLiteral("/vigil-pgpass-XXXXXX"));
    if (!file->open() || !file->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file->write(line.toUtf8()) < 0 || !file->flush()) {
        if (error)
            *error = Tr::tr("Cannot write the temporary password file %1: %2")
                         .arg(file->fileName(), file->errorString());
        return nullptr;
    }
    return file;
}

} // namespace vigil::services
