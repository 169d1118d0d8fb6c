#pragma once

#include "services/settings/clusterprofile.h"
#include "support/sandbox.h"

#include <QUrl>

namespace vigil::test {

// The sandbox as a profile with every endpoint: Patroni (node1), SQL as vigil, HAProxy's stats
// and its "rw" backend, PgBouncer's console. Header-only: the support library links no services.
inline services::ClusterProfile sandboxProfile(const QString &name, int memberDeadlineMs = 2000)
{
    services::ClusterProfile p;
    p.name = name;
    p.patroniUrl = QUrl(Sandbox::patroniUrl());
    p.sqlConninfo = QStringLiteral("dbname=postgres user=vigil");
    p.haproxyStatsUrl = QUrl(Sandbox::haproxyStatsUrl());
    p.haproxyReadWriteBackend = QStringLiteral("rw");
    p.pgbouncerConninfo = QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=vigil")
                              .arg(Sandbox::pgbouncerPort());
    p.memberDeadlineMs = memberDeadlineMs;
    return p;
}

} // namespace vigil::test
