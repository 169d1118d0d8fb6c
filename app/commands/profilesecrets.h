#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"

#include <QString>
#include <QStringList>

namespace vigil::services {
class SecretStore;
}

namespace vigil::app {

// The passwords of a saved profile for a headless command (`--profile NAME`), from the same
// keychain slots the window uses (SecretStore::keyFor(name, Slot::Sql/Rest/PgBouncer)):
//  - REST: `restPassword` when given (VIGIL_REST_PASSWORD wins), else the keychain's, asked only
//    when the profile has a REST user (without one, Patroni gets no basic auth anyway);
//  - SQL: the keychain's, else none (libpq's own sources then apply: ~/.pgpass, PGPASSFILE, a
//    service file, PGPASSWORD);
//  - PgBouncer: the keychain's, asked only when the profile has a PgBouncer conninfo.
// A slot with no entry is normal and silent. An entry refused gives a note for that password; a
// keychain that is missing or fails (no D-Bus session, say) one note for all of them, without
// asking further; one that does not answer within `deadlineMs` (an unlock prompt may be
// waiting) a note too. The command goes on without those passwords; it never hangs.
//
// read() waits for the keychain in a local event loop. It is called while a command parses its
// options, before the command's own event loop runs, so nothing else is kept waiting; the
// passwords stay in memory and go to the monitor / PgSession as values, never to the
// environment or a command line.
class ProfileSecrets
{
public:
    struct Result
    {
        services::ClusterMonitor::Secrets secrets;
        QStringList notes; // one sentence per problem, for stderr
    };

    static Result read(services::SecretStore &store, const services::ClusterProfile &profile,
                       const QString &restPassword, int deadlineMs);
};

} // namespace vigil::app
