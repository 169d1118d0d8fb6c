#pragma once

#include "services/core/error.h"
#include "services/postgres/pgsession.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace vigil::services {

// Where a restore test restores to.
enum class RestoreTarget
{
    // A throwaway PostgreSQL instance: initdb into a temporary folder, a free loopback port, its
    // unix socket in that folder; stopped and removed afterwards. Needs the server programs
    // (initdb, pg_ctl, postgres) on the workstation.
    LocalInstance,
    // A scratch database on the cluster's leader (created, restored into, dropped): replicated
    // to every member, so it costs WAL, replication bandwidth and disk on all of them.
    ClusterDatabase
};

// One table's figures on one side (source at the dump's snapshot, or the restored copy).
struct TableFigures
{
    std::optional<qint64> rows;
    QString checksum; // the sum of 64-bit md5 prefixes (restore_test_count.sql), as text
    QString error;    // why it could not be counted (e.g. the table is missing), else empty
};

// One table of the report.
struct RestoreTableCheck
{
    QString schema;
    QString name;
    QStringList columns; // what the checksum covers
    qint64 sourceBytes = 0;
    TableFigures source; // empty figures: a --dump run without recorded counts
    TableFigures restored;

    QString qualifiedName() const { return schema + QLatin1Char('.') + name; }
    bool hasSource() const { return source.rows.has_value(); }
    // Rows and checksum equal on both sides (false when either side could not be counted).
    bool matches() const
    {
        return source.rows && restored.rows && *source.rows == *restored.rows &&
               source.checksum == restored.checksum && source.error.isEmpty() &&
               restored.error.isEmpty();
    }
};

// What a restore test asks for.
struct RestoreTestRequest
{
    // The source: the member to dump from (a replica by default, as for backups) and its
    // database. Unused with `dumpFile`.
    PgConnectionSettings source;
    QString database;
    // Restore an existing dump instead of taking one. Its counts come from the sidecar
    // (FILE.counts.json) when there is one; else only a restore-and-count is possible.
    QString dumpFile;
    // Keep the dump taken here (and its sidecar) at this path; empty: a temporary file.
    QString keepDumpAs;
    RestoreTarget target = RestoreTarget::LocalInstance;
    // For ClusterDatabase: the leader (its maintenance database); the scratch database is
    // created on it.
    PgConnectionSettings clusterTarget;
    // Where initdb, pg_ctl, pg_dump and pg_restore are; empty: restoreTestBinDir().
    QString binDir;
};

// What a restore test found.
struct RestoreTestResult
{
    QList<RestoreTableCheck> tables;
    // True when the source figures were counted in the dump's own snapshot (this run, or a
    // sidecar written by one): only then does "pass" prove the dump. False for a dump without
    // recorded counts: the copy was restored and counted, nothing was compared.
    bool proven = false;
    RestoreTarget target = RestoreTarget::LocalInstance;
    QString sourceHost;        // "host:port" the dump came from (or the sidecar's)
    QString targetDescription; // "throwaway instance in /tmp/... (port N)" / "db on host:port"
    QString scratchLocation;   // the instance's folder, or the scratch database's name
    QString snapshot;          // the exported snapshot's ID (empty for --dump without sidecar)
    QString dumpFile;
    qint64 dumpBytes = 0;
    qint64 sourceDatabaseBytes = 0;
    qint64 restoredDatabaseBytes = 0;
    qint64 dumpMs = 0, restoreMs = 0, countMs = 0, totalMs = 0;
    QStringList restoreErrors;   // pg_restore's own error lines, quoted
    bool scratchRemoved = false; // the scratch database / instance is gone
    QString cleanupError;        // why it might not be (then say where it is)
    ServiceError error;          // why the test could not run to the end, else none

    int failedTables() const
    {
        int n = 0;
        for (const RestoreTableCheck &t : tables)
            n += t.matches() ? 0 : 1;
        return n;
    }
    // The verdict: proven, ran to the end, pg_restore without errors and every table equal.
    bool passed() const
    {
        return !error && proven && restoreErrors.isEmpty() && !tables.isEmpty() &&
               failedTables() == 0;
    }
};

// The folder of the PostgreSQL server programs to use: /usr/lib/postgresql/NN/bin with the
// highest NN that has initdb, or empty when none is installed.
QString restoreTestBinDir();

// How the checksum is computed, in one sentence for help texts.
QString restoreTestChecksumDescription();

} // namespace vigil::services
