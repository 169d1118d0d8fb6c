#pragma once

#include "app/commands/targetoptions.h"
#include "services/core/error.h"
#include "services/postgres/pgsession.h"

#include <functional>

namespace vigil::app {

// The member a headless backup or restore test reads from, as settings: with --patroni, GET
// /cluster and chooseBackupMember (a replica by default, --member wins); with --sql alone,
// that server. `leader` is the cluster's leader (with --sql alone: the same server), where a
// restore test's scratch database goes with --target cluster.
struct BackupSource
{
    services::PgConnectionSettings settings;
    services::PgConnectionSettings leader;
    QString member; // the Patroni member's name, empty with --sql alone
    QString label;  // "node2 (127.0.0.1:5433)"
};

using BackupSourceDone = std::function<void(const BackupSource &, const services::ServiceError &)>;

// `applicationName` is the application_name the sessions and the child program show.
void findBackupSource(const TargetOptions::Values &t, const QString &applicationName,
                      QObject *scope, BackupSourceDone done);

} // namespace vigil::app
