// The rotation's value types (services/security/rotationtypes.h): which roles are refused and
// why, the md5 warning, and how a report's steps add up to an outcome.
#include "services/security/rotationtypes.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::services;
using Outcome = RotationStep::Outcome;

TEST(RotationTypes, PatroniRolesAreRefusedWithWhatToChange)
{
    RotationRole app{QStringLiteral("app")};
    EXPECT_TRUE(app.refusal().isEmpty());
    RotationRole replicator{QStringLiteral("replicator")};
    replicator.replication = true;
    EXPECT_TRUE(replicator.refusal().contains(QLatin1String("patroni.yml")));
    RotationRole postgres{QStringLiteral("postgres")};
    postgres.superuser = true;
    postgres.usedByPatroni = true;
    EXPECT_TRUE(postgres.refusal().contains(QLatin1String("postgresql.authentication")));
}

TEST(RotationTypes, WarnsWhenServerWouldStoreMd5)
{
    RotationTarget t;
    t.passwordEncryption = QStringLiteral("scram-sha-256");
    EXPECT_TRUE(t.encryptionWarning().isEmpty());
    t.passwordEncryption = QStringLiteral("md5");
    EXPECT_TRUE(t.encryptionWarning().contains(QLatin1String("scram-sha-256")));
}

TEST(RotationTypes, ReportOutcome)
{
    RotationReport r;
    r.steps = {{QStringLiteral("Checks"), Outcome::Failed, QStringLiteral("refused")}};
    EXPECT_EQ(r.outcomeName(), QStringLiteral("failed"));
    r.steps = {{QStringLiteral("Set"), Outcome::Done, {}},
               {QStringLiteral("PgBouncer"), Outcome::Skipped, QStringLiteral("copy the line")},
               {QStringLiteral("Keychain"), Outcome::Skipped, {}}};
    r.passwordChanged = true;
    EXPECT_EQ(r.outcomeName(), QStringLiteral("ok"));
    EXPECT_TRUE(r.manualWorkLeft());
    EXPECT_FALSE(r.failed());
    r.steps.append({QStringLiteral("New password logs in"), Outcome::Failed, QStringLiteral("x")});
    EXPECT_EQ(r.outcomeName(), QStringLiteral("partial"));
    EXPECT_TRUE(r.toText().contains(QLatin1String("FAILED")));
}
