#pragma once

#include "services/postgres/pgsession.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace vigil::services {

// How pg_dump is started for one backup: its arguments, its environment and the pgpass line it
// reads the password from. Pure values, built without starting anything (the unit tests check
// them; PgDumpRunner starts exactly this).
//
// The password never reaches the argument list or the environment: the connection goes to
// pg_dump as `--dbname=CONNINFO`, a keyword conninfo made from the settings' conninfo and
// overrides (TLS keywords such as sslmode/sslrootcert/sslcert/sslkey included, libpq's reading
// through conninfoValues) without any password; the password (the settings', else a PGPASSWORD
// of Vigil's own environment) goes into a 0600 pgpass file that PGPASSFILE names, and
// PGPASSWORD is removed from the child's environment. Without any password the environment is
// left as it is, so ~/.pgpass, PGPASSFILE and service files work as for any libpq program.
struct PgDumpInvocation
{
    QStringList arguments;
    QProcessEnvironment environment;
    QString pgpassLine; // "*:*:*:*:PASSWORD" (escaped), or empty: no pgpass file is needed
    QString conninfo;   // the --dbname value, without password (shown in the log and the UI)
};

struct PgDumpRequest
{
    PgConnectionSettings connection; // the member to dump from (host/port as overrides)
    QString database;
    QString outputFile;
    QString program; // pg_dump's path; empty: found on PATH
    // A snapshot exported by pg_export_snapshot() in a transaction that stays open until pg_dump
    // has started: pg_dump then dumps exactly what that transaction sees (--snapshot=ID). The
    // restore test counts the source's rows in that same snapshot. Empty: pg_dump's own.
    QString snapshot;
};

// How any libpq client program (pg_dump, pg_restore) reaches one database without a password
// on its command line or in its environment: the keyword conninfo without password, and the
// pgpass line the password goes to (empty when there is none). `environment` is `base` without
// PGPASSWORD and, when a pgpass line is needed, with PGPASSFILE naming `pgpassPath`.
struct PgClientConnection
{
    QString conninfo;
    QString pgpassLine;
    QProcessEnvironment environment;
};
PgClientConnection buildPgClientConnection(const PgConnectionSettings &connection,
                                           const QString &database, const QString &pgpassPath,
                                           const QProcessEnvironment &base);

// How pg_restore restores one dump into one database: `pg_restore -v --no-owner
// --no-privileges --dbname=CONNINFO FILE` (ownership and grants name roles that a scratch
// instance does not have; the data is what the restore test proves), with the password as
// buildPgClientConnection hands it over.
struct PgRestoreRequest
{
    PgConnectionSettings connection; // the scratch server (host/port as overrides)
    QString database;                // the scratch database, created before
    QString dumpFile;
    QString program; // pg_restore's path; empty: found on PATH
};
PgDumpInvocation buildPgRestoreInvocation(const PgRestoreRequest &request,
                                          const QString &pgpassPath,
                                          const QProcessEnvironment &base);

// `pgpassPath` is the file PGPASSFILE will name when a password is needed (the runner writes
// pgpassLine there first). `base` is the environment the child inherits.
PgDumpInvocation buildPgDumpInvocation(const PgDumpRequest &request, const QString &pgpassPath,
                                       const QProcessEnvironment &base);

// One pgpass field with ':' and '\' escaped, as libpq reads it.
QString pgpassEscaped(const QString &field);

// Which program to start for a PostgreSQL client tool (`name`: pg_dump, pg_restore) when the
// user named none. On Debian, /usr/bin/pg_dump is pg_wrapper, a Perl script that picks a
// version and execs /usr/lib/postgresql/N/bin/pg_dump; for a server reached through a conninfo
// it picks the newest installed one, or the version of a local cluster that happens to be
// configured as the default, which may be older than the remote server and is then refused.
// Vigil takes the newest installed binary itself (pg_dump reads every server up to its own
// major, so the newest is always right), sets PGSYSCONFDIR=/etc/postgresql-common as pg_wrapper
// does (service files there keep working), and saves a Perl start (~50 ms) per run. It keeps
// pg_wrapper when the user chose a cluster for it (PGCLUSTER) and when the tool is not it.
struct PgClientProgram
{
    QString path;       // empty: not found on PATH
    QString viaWrapper; // the pg_wrapper path it stands for, or empty
    QProcessEnvironment environment;
};
PgClientProgram
resolvePgClientProgram(const QString &name, const QProcessEnvironment &base,
                       const QString &binRoot = QStringLiteral("/usr/lib/postgresql"),
                       const QString &pathProgram = QString()); // tests: the program found on PATH

// PQserverVersion's number as a major version (150004 -> 15, 90624 -> 9); 0 when unknown.
int serverMajorVersion(int serverVersionNumber);

} // namespace vigil::services
