// Client-side SCRAM verifiers (services/security/scramverifier.h): what counts as a verifier, and
// that nothing is produced or built without an open connection. The verifier itself and the
// ALTER ROLE statement are checked against the real server in it_rotation_test.
#include "services/postgres/pgsession.h"
#include "services/security/scramverifier.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
// Shaped like the verifiers PostgreSQL stores (iterations, salt, StoredKey, ServerKey).
const QByteArray kVerifier =
    "SCRAM-SHA-256$4096:yTx2ZC0c6bWuW6mqUZcN9Q==$WJHWp+hsYAuCQJrqmGgx9LhGJ8Ab+aWTYLPRE/Ee+"
    "CE=:8SMBNiZv+qr8DGpHtr9n3cP4aTr1Ufo6FPj8BqLWiTc=";
} // namespace

TEST(ScramVerifier, RecognisesVerifiers)
{
    EXPECT_TRUE(isScramSha256Verifier(kVerifier));
    EXPECT_FALSE(isScramSha256Verifier("md5d6a35858d61d85e4a82ab1fb044aba9d"));
    EXPECT_FALSE(isScramSha256Verifier("plain password"));
    EXPECT_FALSE(isScramSha256Verifier(""));
    EXPECT_FALSE(isScramSha256Verifier(kVerifier + "'; DROP ROLE x; --"));
    EXPECT_FALSE(isScramSha256Verifier("SCRAM-SHA-256$4096:abc"));
}

TEST(ScramVerifier, NothingWithoutAConnection)
{
    PgSession closed;
    const Result<QByteArray> v =
        scramSha256Verifier(closed, "secret-password", QStringLiteral("app"));
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().kind, ServiceError::Kind::Connect);
    EXPECT_FALSE(v.error().toText().contains(QLatin1String("secret-password")));
    const Result<QString> sql = alterRolePasswordSql(closed, QStringLiteral("app"), kVerifier);
    ASSERT_FALSE(sql.ok());
    EXPECT_EQ(sql.error().kind, ServiceError::Kind::Connect);
}

TEST(ScramVerifier, RefusesAPlaintextInsteadOfAVerifier)
{
    PgSession closed; // the verifier check comes before anything else is needed
    const Result<QString> sql =
        alterRolePasswordSql(closed, QStringLiteral("app"), "hunter2hunter2");
    ASSERT_FALSE(sql.ok());
    EXPECT_FALSE(sql.error().toText().contains(QLatin1String("hunter2")));
}
