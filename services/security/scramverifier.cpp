#include "services/security/scramverifier.h"

#include "services/postgres/pgsession.h"

#include <QRegularExpression>

namespace vigil::services {

namespace {

ServiceError notOpen(const PgSession &session, const QString &what)
{
    return ServiceError::make(ServiceError::Kind::Connect, what, session.host(), {},
                              Tr::tr("There is no open connection to the leader; connect first, "
                                     "then set the password again."));
}

} // namespace

Result<QByteArray> scramSha256Verifier(const PgSession &session, const QByteArray &password,
                                       const QString &role)
{
    const QString what = Tr::tr("compute the SCRAM-SHA-256 verifier for %1").arg(role);
    if (!session.isOpen())
        return notOpen(session, what);
    if (password.isEmpty())
        return ServiceError::make(ServiceError::Kind::Refused, what, session.host(), {},
                                  Tr::tr("The new password is empty."));
    if (password.contains('\0'))
        return ServiceError::make(ServiceError::Kind::Refused, what, session.host(), {},
                                  Tr::tr("The new password contains a NUL character, which "
                                         "PostgreSQL cannot store."));
    QString message;
    QByteArray verifier = session.encryptPassword(password, role, "scram-sha-256", &message);
    if (verifier.isEmpty() || !isScramSha256Verifier(verifier))
        return ServiceError::make(ServiceError::Kind::Query, what, session.host(), {},
                                  message.isEmpty() ? Tr::tr("libpq returned no verifier.")
                                                    : message);
    return verifier;
}

bool isScramSha256Verifier(const QByteArray &text)
{
    // SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
    static const QRegularExpression pattern(QStringLiteral(
        "^SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$"));
    return pattern.match(QString::fromLatin1(text)).hasMatch();
}

Result<QString> alterRolePasswordSql(const PgSession &session, const QString &role,
                                     const QByteArray &verifier, const QString &validUntil)
{
    const QString what = Tr::tr("ALTER ROLE %1").arg(role);
    if (!isScramSha256Verifier(verifier))
        return ServiceError::make(ServiceError::Kind::Refused, what, session.host(), {},
                                  Tr::tr("Only a SCRAM-SHA-256 verifier is ever sent to the "
                                         "server, never a plaintext password."));
    if (!session.isOpen())
        return notOpen(session, what);
    const QString ident = session.escapeIdentifier(role);
    const QString literal = session.escapeLiteral(QString::fromLatin1(verifier));
    if (ident.isEmpty() || literal.isEmpty())
        return ServiceError::make(ServiceError::Kind::Query, what, session.host(), {},
                                  Tr::tr("libpq could not escape the role name or verifier."));
    QString sql = QStringLiteral("ALTER ROLE %1 PASSWORD %2").arg(ident, literal);
    if (!validUntil.trimmed().isEmpty()) {
        const QString until = session.escapeLiteral(validUntil.trimmed());
        if (until.isEmpty())
            return ServiceError::make(ServiceError::Kind::Query, what, session.host(), {},
                                      Tr::tr("libpq could not escape the VALID UNTIL value."));
        sql += QStringLiteral(" VALID UNTIL %1").arg(until);
    }
    return sql;
}

Result<QString> rolePasswordSql(const PgSession &session, const QString &role,
                                const QByteArray &password, const QString &validUntil,
                                QByteArray *verifierOut)
{
    const Result<QByteArray> verifier = scramSha256Verifier(session, password, role);
    if (!verifier.ok())
        return verifier.error();
    if (verifierOut)
        *verifierOut = verifier.value();
    return alterRolePasswordSql(session, role, verifier.value(), validUntil);
}

} // namespace vigil::services
