#pragma once

#include "app/commands/targetoptions.h"
#include "services/core/error.h"
#include "services/postgres/pgsession.h"

#include <QObject>
#include <QString>
#include <functional>

namespace vigil::app {

// The diagnostic commands' connection (vigil locks, vigil sessions) to the server their
// TargetOptions (Use::Diagnostics) name: --patroni finds the member (the leader unless --member)
// from GET /cluster, --sql is the libpq conninfo (with --patroni: the base conninfo, host and
// port come from the member). Passwords: --profile's from the keychain (target.secrets), else
// libpq's own sources (~/.pgpass, PGPASSFILE, service file).
//
// Opens the session asynchronously and calls `done` exactly once, on the event loop, with the
// session (owned by `parent`) and a "member (host:port)" label, or with an error.
using TargetSessionDone = std::function<void(services::PgSession *, const QString &label,
                                             const services::ServiceError &)>;
void connectTarget(const TargetOptions::Values &target, QObject *parent, TargetSessionDone done);

} // namespace vigil::app
