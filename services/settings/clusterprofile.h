#pragma once

#include "services/monitor/findingthresholds.h"

#include <QList>
#include <QString>
#include <QUrl>

namespace vigil::services {

// Everything needed to watch one cluster, without secrets. Passwords (SQL, REST, PgBouncer) live
// in the keychain under keys derived from `name` (see SecretStore) and are never stored here.
struct ClusterProfile
{
    QString name;    // display name, and the key of the profile in settings
    QUrl patroniUrl; // any member's REST URL; the others are discovered from /cluster
    QList<QUrl> patroniFallbackUrls; // more members' REST URLs, tried when patroniUrl does not
                                     // answer before any member was discovered

    // SQL: a libpq conninfo without host/port (those come from each member as discovered):
    // "dbname=postgres user=vigil sslmode=prefer", or "service=NAME" (pg_service.conf).
    QString sqlConninfo = QStringLiteral("dbname=postgres");

    QString restUser; // Patroni REST basic-auth user (for actions)
    QString restCaFile, restCertFile, restKeyFile;
    bool restVerifyPeer = true;

    QUrl haproxyStatsUrl; // e.g. http://127.0.0.1:7000/;csv — empty: no HAProxy checks
    QString haproxyReadWriteBackend =
        QStringLiteral("primary"); // listen/backend name of the RW port
    QString pgbouncerConninfo;     // admin console conninfo (dbname=pgbouncer ...) — empty: none

    int stateIntervalMs = 1000; // members' state, replication, connections
    int sizeIntervalMs = 10000; // database sizes and other slow-changing figures
    // GET /cluster (the DCS view): every cycle while anything is amiss, else at this interval;
    // each member's own GET /patroni and SQL probe still come every cycle.
    int clusterIntervalMs = 5000;
    // Connections by state/application/database: pg_stat_get_activity(NULL) costs milliseconds
    // of server time at 1,000 backends (quadratic; figures: README, bench_queries.sh), so the
    // breakdown is paced by its measured cost: it may add breakdownBudgetMs per cycle on average,
    // and comes at least every breakdownIntervalMs (a cheap total comes every cycle, see
    // ConnectionStats). A budget of 0 fixes the pace at breakdownIntervalMs. See
    // breakdownIntervalFor in memberprobequery.h.
    int breakdownIntervalMs = 10000;
    double breakdownBudgetMs = 0.5;
    int memberDeadlineMs = 2500; // per member and channel, per cycle
    bool readOnly = false;       // no destructive action can be reached (enforced in services)
    // The alert levels of this cluster's findings (the ops manual's values by default).
    FindingThresholds thresholds;
    // Desktop notifications (and the tray's fallback messages) for this cluster's critical
    // alerts and their clears; off: silent, though its alerts still colour the tray icon and
    // count in the alerts dock and the cluster list (AlertNotifier::setClusterEnabled).
    bool desktopNotifications = true;

    bool isValid() const { return !name.isEmpty() && patroniUrl.isValid(); }
};

} // namespace vigil::services
