#include "services/backup/backupmember.h"

#include "services/core/error.h"

namespace vigil::services {

std::optional<BackupCandidate> chooseBackupMember(const QList<BackupCandidate> &members,
                                                  const QString &wanted)
{
    if (!wanted.isEmpty()) {
        for (const BackupCandidate &m : members)
            if (m.name == wanted)
                return m;
        return std::nullopt;
    }
    const BackupCandidate *best = nullptr;
    for (const BackupCandidate &m : members) {
        if (m.leader || !m.running || m.host.isEmpty())
            continue;
        if (!best || m.lagBytes.value_or(0) < best->lagBytes.value_or(0))
            best = &m;
    }
    if (best)
        return *best;
    for (const BackupCandidate &m : members)
        if (m.leader && !m.host.isEmpty())
            return m;
    return std::nullopt;
}

QString replicaDefaultReason()
{
    return Tr::tr("A replica by default: the dump reads every table once, and on a replica that "
                  "load stays off the primary; pg_dump still takes one consistent snapshot.");
}

} // namespace vigil::services
