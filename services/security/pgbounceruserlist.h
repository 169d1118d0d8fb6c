#pragma once

#include "services/core/error.h"

#include <QByteArray>
#include <QString>

namespace vigil::services {

// PgBouncer's auth_file ("userlist.txt"): one `"user" "password or verifier"` line per role,
// a double quote inside a field doubled. Vigil writes the role's SCRAM verifier there, the same
// bytes as in pg_authid: PgBouncer then authenticates the client with it and logs in to the
// server with the client's proof (SCRAM pass-through), so the plaintext is in neither file.
class PgBouncerUserlist
{
public:
    // The exact line for `role`, without the newline.
    static QByteArray line(const QString &role, const QByteArray &verifier);
    // The user named by a line, or empty for comments, blank and malformed lines.
    static QString userOf(const QByteArray &line);
    // True when `content` has a line for `role`.
    static bool contains(const QByteArray &content, const QString &role);
    // `content` with the role's line replaced by `newLine` (every line for the role: PgBouncer
    // uses the last), or `newLine` appended when the role has none. Other lines kept byte for
    // byte.
    static QByteArray withLine(const QByteArray &content, const QString &role,
                               const QByteArray &newLine);

    // Writes `content` to `path` atomically (a temporary file in the same folder, then rename),
    // with the old file's permissions and owner, after copying the old file to `path` + ".bak"
    // (same permissions). `backupPath` gets the backup's path. An error names the file and the
    // reason.
    static ServiceError writeAtomically(const QString &path, const QByteArray &content,
                                        QString *backupPath = nullptr);
};

} // namespace vigil::services
