// Patroni 3.0.2 flags a pending restart but never says why: the SQL probe reads pg_settings
// WHERE pending_restart at the sizes' cadence, and the snapshot names the parameter.
#include "services/monitor/memberprobequery.h"
#include "support/qtprinters.h"

#include <QFile>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/monitor/") + QLatin1String(name));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name;
    return f.readAll();
}

// A recorded answer with "pending_restart" set to `value` (raw JSON).
QByteArray withPending(const QByteArray &json, const QByteArray &value)
{
    QByteArray out = json.trimmed();
    out.chop(1); // the closing brace
    return out + ", \"pending_restart\": " + value + "}";
}
} // namespace

TEST(PendingRestartProbe, OnlyTheFullStatementAtTheSizesCadenceReadsPgSettings)
{
    const QString &full = memberProbeSql();
    QString code;
    for (const QString &line : full.split(QLatin1Char('\n')))
        if (!line.trimmed().startsWith(QLatin1String("--")))
            code += line + QLatin1Char('\n');
    EXPECT_TRUE(code.contains(QLatin1String("'pending_restart', CASE WHEN $1::boolean THEN (")));
    EXPECT_TRUE(code.contains(QLatin1String("WHERE s.pending_restart")));
    // The cheap statement, run on most cycles, never builds pg_settings.
    QString cheap;
    for (const QString &line : memberProbeCheapSql().split(QLatin1Char('\n')))
        if (!line.trimmed().startsWith(QLatin1String("--")))
            cheap += line + QLatin1Char('\n');
    EXPECT_FALSE(cheap.contains(QLatin1String("pg_settings")));
    EXPECT_FALSE(cheap.contains(QLatin1String("'pending_restart'")));
}

TEST(PendingRestartProbe, ParsedWhenAskedAndCarriedForwardOtherwise)
{
    MemberSnapshot m;
    const QByteArray primary = fixture("probe_primary.json");
    ASSERT_FALSE(applyMemberProbe(withPending(primary, R"([{"name": "max_connections",
        "running": "1200"}, {"name": "shared_buffers", "running": "128MB"}])"),
                                  m)
                     .isError());
    ASSERT_EQ(m.pendingRestartSettings.size(), 2);
    EXPECT_EQ(m.pendingRestartSettings[0].name, QStringLiteral("max_connections"));
    EXPECT_EQ(m.pendingRestartSettings[0].running, QStringLiteral("1200"));
    EXPECT_EQ(m.pendingRestartSettings[1].running, QStringLiteral("128MB"));
    // A cycle without sizes (null, or the cheap statement's absent key) keeps the last list.
    ASSERT_FALSE(applyMemberProbe(withPending(primary, "null"), m).isError());
    EXPECT_EQ(m.pendingRestartSettings.size(), 2);
    ASSERT_FALSE(applyMemberProbe(fixture("probe_primary_nobreakdown.json"), m).isError());
    EXPECT_EQ(m.pendingRestartSettings.size(), 2);
    // Asked again, nothing pending: cleared.
    ASSERT_FALSE(applyMemberProbe(withPending(primary, "[]"), m).isError());
    EXPECT_TRUE(m.pendingRestartSettings.isEmpty());
}

TEST(PendingRestartProbe, ReasonNamesTheParameterAndTheValueWaiting)
{
    const QList<PendingRestartSetting> pending{
        {QStringLiteral("max_connections"), QStringLiteral("1200")},
        {QStringLiteral("shared_buffers"), QStringLiteral("128MB")}};
    PatroniConfig config;
    config.postgresqlParameters.insert(QStringLiteral("max_connections"), 1250.0);
    EXPECT_EQ(describePendingRestart(pending, &config),
              QStringLiteral("max_connections: 1200 → 1250; shared_buffers (running 128MB)"));
    EXPECT_EQ(describePendingRestart(pending, nullptr),
              QStringLiteral("max_connections (running 1200); shared_buffers (running 128MB)"));
    config.postgresqlParameters.insert(QStringLiteral("max_connections"), 1200.0);
    EXPECT_EQ(describePendingRestart(pending.mid(0, 1), &config),
              QStringLiteral("max_connections (running 1200)"))
        << "/config holding the running value says nothing about the value waiting";
    EXPECT_TRUE(describePendingRestart({}, &config).isEmpty());
}
