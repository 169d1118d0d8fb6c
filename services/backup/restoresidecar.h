#pragma once

#include "services/backup/restoretesttypes.h"

#include <QString>

namespace vigil::services {

// The counts recorded with a dump, in a small JSON file beside it (FILE.counts.json): the
// tables with the rows and checksum counted in the dump's own snapshot, the snapshot's ID, the
// database, its encoding and the host it came from. `vigil restore-test --dump FILE` compares
// a restore against them; without this file only a restore-and-count is possible.
struct RestoreSidecar
{
    QString database;
    QString encoding;
    QString sourceHost;
    QString snapshot;
    QList<RestoreTableCheck> tables; // source figures only
};

QString restoreSidecarPath(const QString &dumpFile);
// Returns why it could not be written, else empty.
QString writeRestoreSidecar(const QString &dumpFile, const RestoreSidecar &sidecar);
// nullopt when there is no sidecar; `error` set when there is one that cannot be read.
std::optional<RestoreSidecar> readRestoreSidecar(const QString &dumpFile, QString *error);

} // namespace vigil::services
