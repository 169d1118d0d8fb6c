// The dynamic-configuration edits shared by the editor dialog and `vigil edit-config`: typed
// values, dotted paths (a parameter name may hold dots), set/unset, and the read-back check.
#include "services/patroni/configchange.h"
#include "support/qtprinters.h"

#include <QFile>
#include <QJsonDocument>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
QJsonObject recordedConfig()
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/operations/config.json"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return QJsonDocument::fromJson(f.readAll()).object();
}
} // namespace

TEST(ConfigChange, ValuesKeepTheTypeOfWhatTheyReplace)
{
    // A number stays a number, a boolean a boolean, a string a string (even "100").
    EXPECT_EQ(configValueFromText(QStringLiteral("7"), QJsonValue(10)), QJsonValue(7));
    EXPECT_EQ(configValueFromText(QStringLiteral("0.5"), QJsonValue(1)), QJsonValue(0.5));
    EXPECT_EQ(configValueFromText(QStringLiteral("false"), QJsonValue(true)), QJsonValue(false));
    EXPECT_EQ(configValueFromText(QStringLiteral("100"), QJsonValue(QStringLiteral("50"))),
              QJsonValue(QStringLiteral("100")));
    EXPECT_EQ(configValueFromText(QStringLiteral("on"), QJsonValue(QStringLiteral("off"))),
              QJsonValue(QStringLiteral("on")));
    // Text that does not fit the old type is sent as typed, as a string.
    EXPECT_EQ(configValueFromText(QStringLiteral("8MB"), QJsonValue(4096)),
              QJsonValue(QStringLiteral("8MB")));
    EXPECT_EQ(configValueFromText(QStringLiteral("yes"), QJsonValue(true)),
              QJsonValue(QStringLiteral("yes")));
    // A new key: numbers, booleans, null, else a string. "inf" and "1e3" are no numbers here.
    EXPECT_EQ(configValueFromText(QStringLiteral("1200")), QJsonValue(1200));
    EXPECT_EQ(configValueFromText(QStringLiteral("-3")), QJsonValue(-3));
    EXPECT_EQ(configValueFromText(QStringLiteral("2.5")), QJsonValue(2.5));
    EXPECT_EQ(configValueFromText(QStringLiteral("true")), QJsonValue(true));
    EXPECT_EQ(configValueFromText(QStringLiteral("null")), QJsonValue(QJsonValue::Null));
    EXPECT_EQ(configValueFromText(QStringLiteral("inf")), QJsonValue(QStringLiteral("inf")));
    EXPECT_EQ(configValueFromText(QStringLiteral("1e3")), QJsonValue(QStringLiteral("1e3")));
    EXPECT_EQ(configValueFromText(QStringLiteral("256MB")), QJsonValue(QStringLiteral("256MB")));
}

TEST(ConfigChange, PathsBelowParametersAreOneParameterName)
{
    EXPECT_EQ(configPathKeys(QStringLiteral("loop_wait")),
              QStringList{QStringLiteral("loop_wait")});
    EXPECT_EQ(configPathKeys(QStringLiteral("postgresql.parameters.pg_stat_statements.track")),
              (QStringList{QStringLiteral("postgresql"), QStringLiteral("parameters"),
                           QStringLiteral("pg_stat_statements.track")}));
    EXPECT_EQ(configPathKeys(QStringLiteral("postgresql.use_slots")),
              (QStringList{QStringLiteral("postgresql"), QStringLiteral("use_slots")}));
    EXPECT_TRUE(configPathKeys(QStringLiteral("ttl.")).isEmpty());
    EXPECT_TRUE(configPathKeys(QString()).isEmpty());
    EXPECT_TRUE(configPathKeys(QStringLiteral("a..b")).isEmpty());
}

TEST(ConfigChange, SetAndUnsetMakeTheMergePatch)
{
    const QJsonObject current = recordedConfig();
    QJsonObject edited = current;
    EXPECT_TRUE(setConfigValue(edited, QStringLiteral("loop_wait"), QJsonValue(3)).isEmpty());
    EXPECT_TRUE(setConfigValue(edited, QStringLiteral("postgresql.parameters.work_mem"),
                               QJsonValue(QStringLiteral("8MB")))
                    .isEmpty());
    EXPECT_TRUE(setConfigValue(edited,
                               QStringLiteral("postgresql.parameters.pg_stat_statements.track"),
                               std::nullopt)
                    .isEmpty());
    EXPECT_TRUE(setConfigValue(edited, QStringLiteral("no_such_key"), std::nullopt).isEmpty())
        << "removing what is not there changes nothing";
    EXPECT_TRUE(setConfigValue(edited, QStringLiteral("standby_cluster.host"),
                               QJsonValue(QStringLiteral("10.0.0.1")))
                    .isEmpty())
        << "a missing group is created";
    const QJsonObject patch = configMergePatch(current, edited);
    const QJsonObject expected = QJsonDocument::fromJson(R"({"loop_wait": 3,
        "postgresql": {"parameters": {"work_mem": "8MB", "pg_stat_statements.track": null}},
        "standby_cluster": {"host": "10.0.0.1"}})")
                                     .object();
    EXPECT_EQ(patch, expected);
    EXPECT_EQ(configChangeLines(current, edited),
              (QStringList{QStringLiteral("loop_wait: 2 → 3"),
                           QStringLiteral("postgresql.parameters.pg_stat_statements.track: all → "
                                          "(removed)"),
                           QStringLiteral("postgresql.parameters.work_mem: (unset) → 8MB"),
                           QStringLiteral("standby_cluster.host: (unset) → 10.0.0.1")}));
    EXPECT_EQ(configValue(edited, QStringLiteral("postgresql.parameters.max_connections")),
              QJsonValue(1200));
    EXPECT_TRUE(configValue(edited, QStringLiteral("postgresql.parameters.nope")).isUndefined());
}

TEST(ConfigChange, ASettingInsideAValueIsRefusedWithTheReason)
{
    QJsonObject config = recordedConfig();
    const QJsonObject before = config;
    const QString why = setConfigValue(config, QStringLiteral("ttl.seconds"), QJsonValue(3));
    EXPECT_EQ(why, QStringLiteral("ttl is 10, not a group of settings."));
    EXPECT_EQ(config, before);
    EXPECT_FALSE(setConfigValue(config, QStringLiteral("a..b"), QJsonValue(1)).isEmpty());
}

TEST(ConfigChange, ReadBackCheckNamesWhatDoesNotShow)
{
    const QJsonObject patch = QJsonDocument::fromJson(R"({"loop_wait": 3,
        "postgresql": {"parameters": {"work_mem": "8MB", "track_io_timing": null,
                                      "max_connections": "1300"}}})")
                                  .object();
    const QJsonObject applied = QJsonDocument::fromJson(R"({"loop_wait": 3, "ttl": 10,
        "postgresql": {"parameters": {"work_mem": "8MB", "max_connections": 1300}}})")
                                    .object();
    EXPECT_TRUE(configPatchMismatches(patch, applied).isEmpty())
        << configPatchMismatches(patch, applied).join(QLatin1Char('\n')).toStdString();
    const QJsonObject stale = QJsonDocument::fromJson(R"({"loop_wait": 2,
        "postgresql": {"parameters": {"track_io_timing": "on", "max_connections": 1300}}})")
                                  .object();
    EXPECT_EQ(configPatchMismatches(patch, stale),
              (QStringList{QStringLiteral("loop_wait: sent 3, /config shows 2"),
                           QStringLiteral("postgresql.parameters.track_io_timing: removed, but "
                                          "/config still shows on"),
                           QStringLiteral("postgresql.parameters.work_mem: sent 8MB, /config "
                                          "shows (unset)")}));
}
