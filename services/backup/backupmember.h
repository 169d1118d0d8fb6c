#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace vigil::services {

// A member a backup may be taken from, as the window's snapshot or GET /cluster names it.
struct BackupCandidate
{
    QString name;
    QString host;
    int port = 0;
    bool leader = false;
    bool running = true;            // Patroni's state is running/streaming
    std::optional<qint64> lagBytes; // replicas only
};

// Which member to dump from. A named member is taken as named (nullopt when there is none of
// that name). Without a name: a running replica, the one with the least lag, because a dump
// reads every table once, and on a replica that read load stays off the primary, while pg_dump's
// one transaction still sees a consistent snapshot; the leader only when no replica runs.
std::optional<BackupCandidate> chooseBackupMember(const QList<BackupCandidate> &members,
                                                  const QString &wanted = {});

// The sentence the dialog and `vigil backup --help` say about that default.
QString replicaDefaultReason();

} // namespace vigil::services
