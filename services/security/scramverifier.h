#pragma once

#include "services/core/error.h"

#include <QByteArray>
#include <QString>

namespace vigil::services {

class PgSession;

// Setting a role's password without the password ever leaving this process: libpq computes the
// SCRAM-SHA-256 verifier here (PQencryptPasswordConn with the algorithm given explicitly, so the
// server's password_encryption is neither asked nor used), and ALTER ROLE carries only that
// verifier, escaped by libpq. The server stores a verifier as sent, so server logs
// (log_statement=all) and pg_stat_activity see the verifier, never the plaintext.
//
// All functions are synchronous and do no network I/O; `session` must be open (it supplies
// libpq's connection-specific escaping and the server's scram iteration count).

// The SCRAM-SHA-256 verifier for `password` of `role`, e.g.
// "SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>". An error when the session is not open or
// libpq refused (out of memory).
Result<QByteArray> scramSha256Verifier(const PgSession &session, const QByteArray &password,
                                       const QString &role);

// True for the text form of a SCRAM-SHA-256 verifier (as stored in pg_authid.rolpassword).
bool isScramSha256Verifier(const QByteArray &text);

// `ALTER ROLE <ident> PASSWORD '<verifier>'` plus ` VALID UNTIL '<validUntil>'` when validUntil
// is not empty (any timestamptz literal the server accepts, or "infinity"). Identifier and
// literals escaped with PQescapeIdentifier/PQescapeLiteral on `session`. Refuses anything that is
// not a SCRAM-SHA-256 verifier, so a plaintext can never be passed here by mistake.
Result<QString> alterRolePasswordSql(const PgSession &session, const QString &role,
                                     const QByteArray &verifier, const QString &validUntil = {});

// Both steps: the verifier for `password`, then the statement. `verifierOut` (optional) receives
// the verifier, e.g. for PgBouncer's userlist line, which must be the same bytes.
Result<QString> rolePasswordSql(const PgSession &session, const QString &role,
                                const QByteArray &password, const QString &validUntil = {},
                                QByteArray *verifierOut = nullptr);

} // namespace vigil::services
