#include "services/operations/parameterverification.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
const QString kSlow = QStringLiteral("log_min_duration_statement");

MemberParameterReading reading(const QString &setting, bool pendingRestart = false)
{
    MemberParameterReading r;
    r.member = QStringLiteral("pg1");
    r.settings.insert(kSlow, ParameterSetting{setting, QStringLiteral("ms"), pendingRestart});
    return r;
}
} // namespace

TEST(ParameterVerification, TimeValuesCompareInMilliseconds)
{
    const ParameterSetting running{QStringLiteral("1000"), QStringLiteral("ms"), false};
    EXPECT_TRUE(settingMatches(QStringLiteral("1000"), running));
    EXPECT_TRUE(settingMatches(QStringLiteral("1s"), running));
    EXPECT_TRUE(settingMatches(QStringLiteral("1000ms"), running));
    EXPECT_FALSE(settingMatches(QStringLiteral("500"), running));
    EXPECT_FALSE(settingMatches(QStringLiteral("-1"), running));
    const ParameterSetting off{QStringLiteral("-1"), QStringLiteral("ms"), false};
    EXPECT_TRUE(settingMatches(QStringLiteral("-1"), off));
    EXPECT_FALSE(settingMatches(QStringLiteral("1000"), off));
    const ParameterSetting minutes{QStringLiteral("5"), QStringLiteral("min"), false};
    EXPECT_TRUE(settingMatches(QStringLiteral("300s"), minutes));
}

TEST(ParameterVerification, MemoryValuesCompareInBytes)
{
    EXPECT_TRUE(
        settingMatches(QStringLiteral("5MB"), {QStringLiteral("5120"), QStringLiteral("kB")}));
    EXPECT_FALSE(
        settingMatches(QStringLiteral("4MB"), {QStringLiteral("5120"), QStringLiteral("kB")}));
    EXPECT_TRUE(
        settingMatches(QStringLiteral("128MB"), {QStringLiteral("16384"), QStringLiteral("8kB")}));
    EXPECT_TRUE(
        settingMatches(QStringLiteral("16384"), {QStringLiteral("16384"), QStringLiteral("8kB")}));
    EXPECT_FALSE(
        settingMatches(QStringLiteral("1s"), {QStringLiteral("1024"), QStringLiteral("kB")}))
        << "a time is no memory size";
}

TEST(ParameterVerification, BooleansAndTextCompareByMeaning)
{
    EXPECT_TRUE(settingMatches(QStringLiteral("true"), {QStringLiteral("on"), {}, false}));
    EXPECT_FALSE(settingMatches(QStringLiteral("off"), {QStringLiteral("on"), {}, false}));
    EXPECT_TRUE(settingMatches(QStringLiteral("DDL"), {QStringLiteral("ddl"), {}, false}));
    EXPECT_FALSE(settingMatches(QStringLiteral("all"), {QStringLiteral("ddl"), {}, false}));
}

TEST(ParameterVerification, ClassifiesEachMember)
{
    const QMap<QString, QString> want{{kSlow, QStringLiteral("1000")}};
    const MemberParameterStatus applied = classifyReading(reading(QStringLiteral("1000")), want);
    EXPECT_EQ(applied.state, ParameterApplyState::Applied);
    EXPECT_EQ(applied.member, QStringLiteral("pg1"));
    EXPECT_EQ(applied.shown, QStringLiteral("log_min_duration_statement = 1000 ms"));
    EXPECT_EQ(classifyReading(reading(QStringLiteral("-1")), want).state,
              ParameterApplyState::NotYet);
    EXPECT_EQ(classifyReading(reading(QStringLiteral("-1"), true), want).state,
              ParameterApplyState::PendingRestart);

    MemberParameterReading dead;
    dead.member = QStringLiteral("pg3");
    dead.error = QStringLiteral("connection refused");
    const MemberParameterStatus u = classifyReading(dead, want);
    EXPECT_EQ(u.state, ParameterApplyState::Unreachable);
    EXPECT_EQ(u.shown, QStringLiteral("connection refused"));

    MemberParameterReading unknown;
    unknown.member = QStringLiteral("pg2");
    EXPECT_EQ(classifyReading(unknown, want).state, ParameterApplyState::NotYet)
        << "a parameter the server does not list is not applied";
}

TEST(ParameterVerification, FinalStatesAndTexts)
{
    EXPECT_TRUE(isFinal(ParameterApplyState::Applied));
    EXPECT_TRUE(isFinal(ParameterApplyState::PendingRestart));
    EXPECT_FALSE(isFinal(ParameterApplyState::NotYet));
    EXPECT_FALSE(isFinal(ParameterApplyState::Unreachable));
    EXPECT_EQ(applyStateText(ParameterApplyState::PendingRestart),
              QStringLiteral("pending restart"));
}

TEST(ParameterVerification, ExpectedParametersFromAMergePatch)
{
    const QJsonObject patch =
        QJsonDocument::fromJson(R"({"loop_wait": 5, "postgresql": {"parameters": {
            "log_min_duration_statement": 1000, "work_mem": "8MB", "old": null}}})")
            .object();
    const QMap<QString, QString> e = expectedParameters(patch);
    EXPECT_EQ(e.size(), 2);
    EXPECT_EQ(e.value(kSlow), QStringLiteral("1000"));
    EXPECT_EQ(e.value(QStringLiteral("work_mem")), QStringLiteral("8MB"));
    EXPECT_TRUE(expectedParameters(QJsonObject{{QStringLiteral("ttl"), 30}}).isEmpty());
}
