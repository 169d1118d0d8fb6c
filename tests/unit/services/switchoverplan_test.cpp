#include "services/operations/memberaction.h"
#include "services/operations/switchoverplan.h"
#include "services/patroni/configchange.h"
#include "support/qtprinters.h"

#include <QJsonDocument>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;

TEST(SwitchoverPlan, TypedConfirmationMustBeTheClusterName)
{
    SwitchoverPlan p;
    p.cluster = QStringLiteral("hokm-ha");
    EXPECT_TRUE(p.confirmationMatches(QStringLiteral("hokm-ha")));
    EXPECT_TRUE(p.confirmationMatches(QStringLiteral(" hokm-ha ")));
    EXPECT_FALSE(p.confirmationMatches(QStringLiteral("HOKM-HA")));
    EXPECT_FALSE(p.confirmationMatches(QStringLiteral("hokm")));
    EXPECT_FALSE(p.confirmationMatches({}));
    p.cluster.clear();
    EXPECT_FALSE(p.confirmationMatches({})) << "an unknown cluster can never be confirmed";
}

TEST(SwitchoverPlan, SummaryIsFullSentencesNamingEverything)
{
    SwitchoverPlan p;
    p.cluster = QStringLiteral("hokm-ha");
    p.leader = QStringLiteral("node1");
    p.candidate = QStringLiteral("node2");
    p.pauseClients = true;
    p.hardTimeoutSeconds = 30;
    p.preflight = {{QStringLiteral("pgbouncer"), QStringLiteral("PgBouncer"),
                    PreflightCheck::Verdict::Amber, QStringLiteral("x")}};
    const QString s = p.summary();
    EXPECT_TRUE(s.contains(QLatin1String("from node1 to node2 now"))) << s;
    EXPECT_TRUE(s.contains(QLatin1String("30 s"))) << s;
    EXPECT_TRUE(s.contains(QLatin1String("1 pre-flight check(s) gave a warning"))) << s;
    EXPECT_FALSE(p.blocked());
    p.preflight.first().verdict = PreflightCheck::Verdict::Red;
    EXPECT_TRUE(p.blocked());
    EXPECT_EQ(p.auditParameters().value(QStringLiteral("candidate")).toString(),
              QStringLiteral("node2"));
}

TEST(ConfigChange, MergePatchCarriesOnlyTheChangesAndRemovalsAsNull)
{
    const QJsonObject current = QJsonDocument::fromJson(R"({"ttl":10,"loop_wait":2,"x":1,
        "postgresql":{"use_slots":true,"parameters":{"max_connections":1200,"work_mem":"4MB"}}})")
                                    .object();
    const QJsonObject edited = QJsonDocument::fromJson(R"({"ttl":10,"loop_wait":3,
        "postgresql":{"use_slots":true,"parameters":{"max_connections":1300,"work_mem":"4MB","jit":"off"}}})")
                                   .object();
    const QJsonObject patch = configMergePatch(current, edited);
    EXPECT_EQ(
        QString::fromUtf8(QJsonDocument(patch).toJson(QJsonDocument::Compact)),
        QStringLiteral(
            R"({"loop_wait":3,"postgresql":{"parameters":{"jit":"off","max_connections":1300}},"x":null})"));
    EXPECT_TRUE(configMergePatch(current, current).isEmpty());
    const QStringList lines = configChangeLines(current, edited);
    EXPECT_TRUE(
        lines.contains(QStringLiteral("postgresql.parameters.max_connections: 1200 → 1300")))
        << lines.join(QLatin1Char('|'));
    EXPECT_TRUE(lines.contains(QStringLiteral("x: 1 → (removed)"))) << lines.join(QLatin1Char('|'));
    EXPECT_EQ(restartRequiredParameters(patch), QStringList{QStringLiteral("max_connections")});
}

TEST(ConfigChange, PostmasterParametersNeedARestart)
{
    EXPECT_TRUE(parameterNeedsRestart(QStringLiteral("shared_buffers")));
    EXPECT_TRUE(parameterNeedsRestart(QStringLiteral("max_connections")));
    EXPECT_FALSE(parameterNeedsRestart(QStringLiteral("work_mem")));
    EXPECT_FALSE(parameterNeedsRestart(QStringLiteral("log_min_duration_statement")));
}

TEST(MemberAction, ReinitializeNeedsTypedConfirmationAndSaysTheDataIsWiped)
{
    MemberAction a;
    a.kind = MemberAction::Kind::Reinitialize;
    a.cluster = QStringLiteral("hokm-ha");
    a.member = QStringLiteral("node3");
    EXPECT_TRUE(a.needsTypedConfirmation());
    EXPECT_TRUE(a.summary().contains(QLatin1String("WIPE ITS DATA DIRECTORY")));
    a.kind = MemberAction::Kind::Reload;
    EXPECT_FALSE(a.needsTypedConfirmation());
    EXPECT_EQ(a.kindName(), QStringLiteral("reload"));
}
