#pragma once

#include <QString>
#include <memory>

class QTemporaryFile;

namespace vigil::services {

// The one writer of the temporary password file a client program (pg_dump, pg_restore) reads
// through PGPASSFILE: a QTemporaryFile in the temporary folder ("vigil-pgpass-XXXXXX", a unique
// name), created 0600 (owner read/write only), holding `line` (buildPgClientConnection's
// pgpassLine). The file is removed when the returned object is destroyed: the caller keeps it
// exactly as long as the child runs. Null, with `error` set, when it could not be written.
std::unique_ptr<QTemporaryFile> writeTemporaryPgpass(const QString &line, QString *error);

} // namespace vigil::services
