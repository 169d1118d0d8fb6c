// JsonFields, the one reader of JSON object fields (Patroni answers, the SQL probe's json row,
// the status snapshot JSON): checked reads that name the first type error by its JSON path, and
// lenient reads without an error sink.
#include "services/core/jsonfields.h"
#include "support/qtprinters.h"

#include <QJsonDocument>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

} // namespace

TEST(JsonFields, ReadsTypedFieldsWithDefaults)
{
    QString error;
    JsonFields f(object(R"({"name": "node1", "port": 5432, "lag": "17", "pause": true,
                            "ratio": 0.25, "ratioText": "1.5", "tags": {"a": 1},
                            "list": [1, 2], "at": "2026-11-27T10:00:00.250Z", "none": null,
                            "counts": {"idle": 3, "active": 2}})"),
                 {}, &error);
    EXPECT_EQ(f.text(QStringLiteral("name")), QStringLiteral("node1"));
    EXPECT_EQ(f.integer(QStringLiteral("port")), 5432);
    EXPECT_EQ(f.lenientInteger(QStringLiteral("lag")), 17);
    EXPECT_EQ(f.lenientInteger(QStringLiteral("port")), 5432);
    EXPECT_TRUE(f.flag(QStringLiteral("pause")));
    EXPECT_DOUBLE_EQ(f.number(QStringLiteral("ratio")).value_or(0), 0.25);
    EXPECT_DOUBLE_EQ(f.number(QStringLiteral("ratioText")).value_or(0), 1.5);
    EXPECT_EQ(f.object(QStringLiteral("tags")).value(QStringLiteral("a")).toInt(), 1);
    EXPECT_EQ(f.array(QStringLiteral("list")).size(), 2);
    ASSERT_TRUE(f.timestamp(QStringLiteral("at")).has_value());
    EXPECT_EQ(f.timestamp(QStringLiteral("at"))->toMSecsSinceEpoch() % 1000, 250);
    EXPECT_EQ(f.counts(QStringLiteral("counts")),
              (QMap<QString, int>{{QStringLiteral("idle"), 3}, {QStringLiteral("active"), 2}}));
    // Absent and null fields read as the default, without an error.
    for (const char *key : {"none", "missing"}) {
        const QString k = QString::fromLatin1(key);
        EXPECT_FALSE(f.present(k));
        EXPECT_EQ(f.text(k), QString());
        EXPECT_EQ(f.integer(k), std::nullopt);
        EXPECT_EQ(f.number(k), std::nullopt);
        EXPECT_FALSE(f.flag(k));
        EXPECT_TRUE(f.flag(k, true)) << "the fallback";
        EXPECT_TRUE(f.object(k).isEmpty());
        EXPECT_EQ(f.timestamp(k), std::nullopt);
    }
    EXPECT_TRUE(f.present(QStringLiteral("name")));
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
}

TEST(JsonFields, RemembersTheFirstTypeErrorByPath)
{
    QString error;
    JsonFields f(object(R"({"port": "x", "pause": 3, "size": 1.5})"), QStringLiteral("members[1]"),
                 &error);
    EXPECT_EQ(f.integer(QStringLiteral("port")), std::nullopt);
    EXPECT_EQ(error, QStringLiteral("members[1].port should be a whole number, but it is a text "
                                    "(\"x\")."));
    EXPECT_FALSE(f.flag(QStringLiteral("pause")));
    EXPECT_EQ(f.integer(QStringLiteral("size")), std::nullopt);
    EXPECT_TRUE(error.startsWith(QLatin1String("members[1].port"))) << "only the first one";

    QString required;
    JsonFields top(QJsonObject{}, {}, &required);
    EXPECT_TRUE(top.array(QStringLiteral("members"), true).isEmpty());
    EXPECT_EQ(required, QStringLiteral("members should be a list, but it is missing."));
}

TEST(JsonFields, LenientWithoutAnErrorSink)
{
    JsonFields f(object(R"({"port": "x", "pause": 3, "size": 1.5, "on": "on"})"));
    EXPECT_EQ(f.integer(QStringLiteral("port")), std::nullopt);
    EXPECT_FALSE(f.flag(QStringLiteral("pause")));
    EXPECT_TRUE(f.lenientFlag(QStringLiteral("on")));
    EXPECT_EQ(f.integer(QStringLiteral("size")), std::nullopt) << "not whole";
    EXPECT_DOUBLE_EQ(f.number(QStringLiteral("size")).value_or(0), 1.5);
}

TEST(JsonFields, TimestampsThroughAGivenParser)
{
    JsonFields f(object(R"({"at": "yesterday"})"));
    EXPECT_EQ(f.timestamp(QStringLiteral("at")), std::nullopt);
    const auto parsed = f.timestamp(QStringLiteral("at"), [](const QString &text) {
        return text == QLatin1String("yesterday")
                   ? std::optional<QDateTime>(QDateTime::fromSecsSinceEpoch(0, Qt::UTC))
                   : std::nullopt;
    });
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->toSecsSinceEpoch(), 0);
    EXPECT_EQ(JsonFields::describe(QJsonValue(5)), QStringLiteral("a number (5)"));
    EXPECT_EQ(JsonFields::typeName(QJsonValue::Array), QStringLiteral("a list"));
}
