// `vigil edit-config`'s parsing and preview, without a server: KEY=VALUE, typed values against
// the recorded /config, the exact diff and the restart note.
#include "app/commands/editconfigcommand.h"
#include "services/patroni/configchange.h"
#include "support/qtprinters.h"

#include <QFile>
#include <QJsonDocument>
#include <gtest/gtest.h>

using vigil::app::EditConfigCommand;
using Edit = EditConfigCommand::Edit;

namespace {
QJsonObject recordedConfig()
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/operations/config.json"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return QJsonDocument::fromJson(f.readAll()).object();
}
} // namespace

TEST(EditConfigCommand, ParsesKeyEqualsValue)
{
    QString error;
    auto e = EditConfigCommand::parseAssignment(QStringLiteral("loop_wait=5"), &error);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->path, QStringLiteral("loop_wait"));
    EXPECT_EQ(e->text.value_or(QString()), QStringLiteral("5"));
    // The first '=' splits: a value may hold '=' (an archive_command, a conninfo).
    e = EditConfigCommand::parseAssignment(
        QStringLiteral("postgresql.parameters.archive_command=test ! -f x=%f"), &error);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->text.value_or(QString()), QStringLiteral("test ! -f x=%f"));
    e = EditConfigCommand::parseAssignment(QStringLiteral("ttl="), &error);
    ASSERT_TRUE(e.has_value()) << "an empty string is a value";
    EXPECT_EQ(e->text.value_or(QStringLiteral("x")), QString());
    for (const char *bad : {"loop_wait", "=5", " = 5"}) {
        error.clear();
        EXPECT_FALSE(EditConfigCommand::parseAssignment(QLatin1String(bad), &error)) << bad;
        EXPECT_TRUE(error.contains(QLatin1String("KEY=VALUE"))) << error.toStdString();
    }
}

TEST(EditConfigCommand, EditsAreTypedAndPreviewedExactly)
{
    const QJsonObject current = recordedConfig();
    QString error;
    const auto edited = EditConfigCommand::applyEdits(
        current,
        {Edit{QStringLiteral("loop_wait"), QStringLiteral("3")},
         Edit{QStringLiteral("postgresql.parameters.max_connections"), QStringLiteral("1300")},
         Edit{QStringLiteral("postgresql.parameters.wal_keep_size"), QStringLiteral("256MB")},
         Edit{QStringLiteral("postgresql.use_slots"), QStringLiteral("false")},
         Edit{QStringLiteral("postgresql.parameters.track_io_timing"), std::nullopt}},
        &error);
    ASSERT_TRUE(edited.has_value()) << error.toStdString();
    const QJsonObject patch = vigil::services::configMergePatch(current, *edited);
    EXPECT_EQ(patch, QJsonDocument::fromJson(R"({"loop_wait": 3, "postgresql": {
        "use_slots": false, "parameters": {"max_connections": 1300,
        "wal_keep_size": "256MB", "track_io_timing": null}}})")
                         .object());
    const QString text =
        EditConfigCommand::preview(QStringLiteral("hokm-cluster"), current, *edited);
    EXPECT_EQ(text,
              QStringLiteral(
                  "Dynamic configuration of hokm-cluster: 5 change(s) through Patroni (PATCH "
                  "/config, never ALTER SYSTEM):\n"
                  "  loop_wait: 2 → 3\n"
                  "  postgresql.parameters.max_connections: 1200 → 1300\n"
                  "  postgresql.parameters.track_io_timing: on → (removed)\n"
                  "  postgresql.parameters.wal_keep_size: 128MB → 256MB\n"
                  "  postgresql.use_slots: true → false\n"
                  "Needs a restart of every member to take effect: max_connections (until then "
                  "each member shows a pending restart).\n"));
}

TEST(EditConfigCommand, NoChangeAndImpossiblePathsSaySo)
{
    const QJsonObject current = recordedConfig();
    QString error;
    const auto same = EditConfigCommand::applyEdits(
        current, {Edit{QStringLiteral("ttl"), QStringLiteral("10")}}, &error);
    ASSERT_TRUE(same.has_value());
    EXPECT_TRUE(vigil::services::configMergePatch(current, *same).isEmpty());
    EXPECT_TRUE(EditConfigCommand::preview(QStringLiteral("c"), current, *same)
                    .contains(QLatin1String("nothing changes")));
    const auto reload = EditConfigCommand::applyEdits(
        current, {Edit{QStringLiteral("postgresql.parameters.work_mem"), QStringLiteral("8MB")}},
        &error);
    ASSERT_TRUE(reload.has_value());
    EXPECT_TRUE(EditConfigCommand::preview(QStringLiteral("c"), current, *reload)
                    .contains(QLatin1String("No change needs a restart")));
    EXPECT_FALSE(EditConfigCommand::applyEdits(
        current, {Edit{QStringLiteral("loop_wait.x"), QStringLiteral("1")}}, &error));
    EXPECT_EQ(error, QStringLiteral("loop_wait is 2, not a group of settings."));
}
