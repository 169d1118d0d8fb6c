#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"

#include <QString>
#include <QStringList>

namespace vigil::services {

// Whether and how one server's log can be read (resources/sql/server_log_settings.sql): the
// settings that say where and in which format the log is written, and this role's privileges.
// problems() says, in sentences a DBA acts on, which setting or grant is missing, with the SQL.
struct ServerLogAccess
{
    QString host; // "host:port", for the messages
    QString role;
    bool superuser = false;
    bool loggingCollector = false;
    QString destination;   // log_destination, e.g. "stderr" or "stderr,csvlog"
    QString prefix;        // log_line_prefix
    QString directory;     // log_directory (relative to the data directory, or absolute)
    QString filename;      // log_filename
    QString dataDirectory; // empty when the role may not see it
    // pg_read_all_settings (pg_monitor has it): log_directory and the others are readable.
    bool settingsVisible = false;
    bool canList = false;          // EXECUTE on pg_ls_logdir()
    bool canRead = false;          // EXECUTE on pg_read_binary_file(text, bigint, bigint, boolean)
    bool readsServerFiles = false; // member of pg_read_server_files

    static Result<ServerLogAccess> parse(const PgResult &result, const QString &host = {});

    // Empty when the log can be read; otherwise each missing setting or grant, one sentence
    // each, with what to do (the SQL of the grant, the Patroni parameter).
    QStringList problems() const;
    // The path pg_read_binary_file takes for a file of the log directory.
    QString pathOf(const QString &fileName) const;
    // A log_directory outside the data directory: reading it also needs pg_read_server_files.
    bool directoryOutsideDataDirectory() const;

    // The missing privileges as one Refused error (empty when none is missing).
    ServiceError error() const;
};

} // namespace vigil::services
