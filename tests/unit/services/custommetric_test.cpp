// Custom metrics: reading their answers, the read-only frame, the sentences of their errors,
// their findings and alerts (with the engine's hysteresis), the manual's defaults, and the
// profile round trip.
#include "services/metrics/custommetricanswer.h"
#include "services/monitor/alertengine.h"
#include "services/monitor/custommetricfindings.h"
#include "services/monitor/findings.h"
#include "services/settings/profilestore.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::healthyOnDefaultPorts;

namespace {

// A result in PostgreSQL's text format; nullptr is SQL NULL.
using Cells = QList<const char *>;
PgResult answer(const Cells &columns, const QList<Cells> &rows)
{
    PgResult r;
    for (const char *c : columns)
        r.columns << QString::fromUtf8(c);
    for (const Cells &row : rows) {
        QVector<QVariant> cells;
        for (const char *c : row)
            cells.append(c ? QVariant(QString::fromUtf8(c)) : QVariant());
        r.rows.append(cells);
    }
    return r;
}

CustomMetricReading reading(const QString &name, QList<CustomMetricValue> values,
                            std::optional<double> warning, std::optional<double> critical = {})
{
    CustomMetricReading r;
    r.name = name;
    r.unit = QStringLiteral("s");
    r.member = QStringLiteral("node1");
    r.values = std::move(values);
    r.warning = warning;
    r.critical = critical;
    r.takenAt = QDateTime::currentDateTimeUtc();
    return r;
}

QList<Finding> customFindings(const QList<Finding> &all)
{
    QList<Finding> out;
    for (const Finding &f : all)
        if (f.code == Finding::Code::CustomMetric)
            out.append(f);
    return out;
}

} // namespace

TEST(CustomMetricAnswer, OneNumber)
{
    const auto r = parseCustomMetricAnswer(answer({"active_games"}, {{" 812"}}));
    ASSERT_TRUE(r.ok()) << r.error().message.toStdString();
    ASSERT_EQ(r.value().size(), 1);
    EXPECT_EQ(r.value().first().label, QString());
    EXPECT_DOUBLE_EQ(r.value().first().value, 812);
}

TEST(CustomMetricAnswer, LabelAndNumberRows)
{
    const auto r = parseCustomMetricAnswer(answer(
        {"label", "n"},
        {{"hokm-game-server", "7"}, {"hokm-lobby", "3.5"}, {nullptr, "1"}, {"gone", nullptr}}));
    ASSERT_TRUE(r.ok()) << r.error().message.toStdString();
    ASSERT_EQ(r.value().size(), 3); // the row whose number is NULL is left out
    EXPECT_EQ(r.value().at(0), (CustomMetricValue{QStringLiteral("hokm-game-server"), 7}));
    EXPECT_EQ(r.value().at(1), (CustomMetricValue{QStringLiteral("hokm-lobby"), 3.5}));
    EXPECT_EQ(r.value().at(2).label, QStringLiteral("(null)"));
    // No rows: nothing to chart this time, not an error (no statement over 1 s).
    const auto none = parseCustomMetricAnswer(answer({"label", "n"}, {}));
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none.value().isEmpty());
}

TEST(CustomMetricAnswer, NullIsNoValue)
{
    const auto r = parseCustomMetricAnswer(answer({"avg"}, {{nullptr}}));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().isEmpty());
}

TEST(CustomMetricAnswer, WhatIsNotANumberIsAnErrorThatSaysWhy)
{
    struct Case
    {
        PgResult result;
        QString mustSay;
    };
    QList<QByteArray> labels;
    QList<Cells> many;
    for (int i = 0; i < kCustomMetricMaxLabels + 1; ++i)
        labels.append(QByteArray("l") + QByteArray::number(i));
    for (const QByteArray &l : labels)
        many.append(Cells{l.constData(), "1"});
    const QList<Case> cases = {
        {answer({"status"}, {{"active"}}), QStringLiteral("'active', not a number")},
        {answer({"ok"}, {{"t"}}), QStringLiteral("'t', not a number")},
        {answer({"x"}, {{"NaN"}}), QStringLiteral("'NaN', not a number")},
        {answer({"x"}, {}), QStringLiteral("returned 0 row")},
        {answer({"x"}, {{"1"}, {"2"}}), QStringLiteral("returned 2 row")},
        {answer({"a", "b", "c"}, {{"1", "2", "3"}}), QStringLiteral("3 column")},
        {answer({}, {}), QStringLiteral("0 column")},
        {answer({"l", "n"}, {{"a", "1"}, {"a", "2"}}), QStringLiteral("'a' appears")},
        {answer({"l", "n"}, {{"a", "1"}, {"b", "many"}}), QStringLiteral("row 2 (b) is 'many'")},
        {answer({"l", "n"}, many), QStringLiteral("at most 20 labels")},
    };
    for (const Case &c : cases) {
        const auto r = parseCustomMetricAnswer(c.result);
        ASSERT_FALSE(r.ok()) << c.mustSay.toStdString();
        EXPECT_EQ(r.error().kind, ServiceError::Kind::Parse);
        EXPECT_TRUE(r.error().message.contains(c.mustSay))
            << r.error().message.toStdString() << " / " << c.mustSay.toStdString();
    }
}

TEST(CustomMetricReadOnly, TheFrameIsReadOnlyWithATimeoutAndAlwaysRolledBack)
{
    EXPECT_EQ(customMetricBeginStatement(), QStringLiteral("BEGIN READ ONLY"));
    EXPECT_EQ(customMetricTimeoutStatement(), QStringLiteral("SET LOCAL statement_timeout = 5000"));
    EXPECT_EQ(customMetricEndStatement(), QStringLiteral("ROLLBACK"));
    // The connection's own defaults say the same, and the conninfo's options are kept.
    EXPECT_EQ(customMetricConnectionOptions({}),
              QStringLiteral("-c default_transaction_read_only=on -c statement_timeout=5000"));
    EXPECT_EQ(customMetricConnectionOptions(QStringLiteral(" -c search_path=game ")),
              QStringLiteral("-c search_path=game -c default_transaction_read_only=on -c "
                             "statement_timeout=5000"));
}

TEST(CustomMetricReadOnly, ErrorsAreExplained)
{
    const QString kDb = QStringLiteral("hokm_game");
    const auto query = [](const char *code, const char *message) {
        return ServiceError::make(ServiceError::Kind::Query, QStringLiteral("query"),
                                  QStringLiteral("127.0.0.1:5432"), QString::fromLatin1(code),
                                  QString::fromLatin1(message));
    };
    const QString write = explainCustomMetricError(
        query("25006", "cannot execute INSERT in a read-only transaction"), kDb);
    EXPECT_TRUE(write.contains(QStringLiteral("read-only transaction"))) << write.toStdString();
    EXPECT_TRUE(write.contains(QStringLiteral("cannot execute INSERT")));
    const QString slow = explainCustomMetricError(
        query("57014", "canceling statement due to statement timeout"), kDb);
    EXPECT_TRUE(slow.contains(QStringLiteral("statement_timeout of 5 s"))) << slow.toStdString();
    const QString missing = explainCustomMetricError(
        query("42P01", "relation \"pg_stat_statements\" does not exist"), kDb);
    EXPECT_TRUE(missing.contains(QStringLiteral("pg_stat_statements is not installed in database "
                                                "hokm_game")))
        << missing.toStdString();
    EXPECT_TRUE(missing.contains(QStringLiteral("CREATE EXTENSION pg_stat_statements")));
    const QString denied =
        explainCustomMetricError(query("42501", "permission denied for table game_sessions"), kDb);
    EXPECT_TRUE(denied.contains(QStringLiteral("grant it SELECT on those tables in database "
                                               "hokm_game")))
        << denied.toStdString();
    const QString other =
        explainCustomMetricError(query("42703", "column \"nope\" does not exist"), kDb);
    EXPECT_TRUE(other.contains(QStringLiteral("column \"nope\" does not exist")));
}

TEST(CustomMetricFindings, LevelsGiveWarningAndCriticalNamingMetricValueAndLevel)
{
    const auto name = QStringLiteral("Slow game statements");
    FindingThresholds t;
    EXPECT_TRUE(customMetricFindings({reading(name, {{{}, 4.9}}, 5, 10)}, t).isEmpty());

    auto f = customMetricFindings({reading(name, {{{}, 5}}, 5, 10)}, t);
    ASSERT_EQ(f.size(), 1);
    EXPECT_EQ(f.first().severity, Finding::Severity::Warning);
    EXPECT_EQ(f.first().code, Finding::Code::CustomMetric);
    EXPECT_EQ(f.first().member, name);
    EXPECT_EQ(f.first().message, QStringLiteral("Custom metric Slow game statements is 5 s on "
                                                "node1, at or above its warning level of 5 s."));

    // Labels: the worst one is named.
    f = customMetricFindings(
        {reading(name,
                 {{QStringLiteral("SELECT a"), 2}, {QStringLiteral("SELECT m.player_id"), 12.25}},
                 5, 10)},
        t);
    ASSERT_EQ(f.size(), 1);
    EXPECT_EQ(f.first().severity, Finding::Severity::Critical);
    EXPECT_EQ(f.first().message,
              QStringLiteral("Custom metric Slow game statements is 12.25 s for SELECT "
                             "m.player_id on node1, at or above its critical level of 10 s."));

    // No levels: charted only. A failed run: information that never raises.
    EXPECT_TRUE(customMetricFindings({reading(name, {{{}, 99}}, {})}, t).isEmpty());
    CustomMetricReading failed = reading(name, {}, 5);
    failed.error = QStringLiteral("pg_stat_statements is not installed in database hokm_game.");
    f = customMetricFindings({failed}, t);
    ASSERT_EQ(f.size(), 1);
    EXPECT_EQ(f.first().severity, Finding::Severity::Ok);
    EXPECT_TRUE(f.first().message.contains(failed.error));
}

TEST(CustomMetricFindings, ReachTheAlertEngineWithItsHysteresisAndOneAlertPerMetric)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    const auto snapshotWith = [](int second, double games, double slow) {
        ClusterSnapshot s = healthyOnDefaultPorts();
        s.sequence += quint64(second);
        s.takenAt = s.takenAt.addSecs(second);
        for (MemberSnapshot &m : s.members) {
            m.rest.lastOk = m.sql.lastOk = s.takenAt;
            if (m.patroni)
                m.patroni->dcsLastSeen = s.takenAt.addSecs(-1);
        }
        s.customMetrics = {reading(QStringLiteral("Active games"), {{{}, games}}, 100),
                           reading(QStringLiteral("Slow game statements"), {{{}, slow}}, 5)};
        return s;
    };
    int second = 0;
    QList<AlertEvent> events;
    for (int i = 0; i < 3; ++i)
        events += engine.ingest(snapshotWith(second++, 120, 6));
    ASSERT_EQ(engine.activeAlerts().size(), 2);
    EXPECT_TRUE(
        engine.activeAlert(alertKey(Finding::Code::CustomMetric, QStringLiteral("Active games"))));
    EXPECT_TRUE(engine.activeAlert(
        alertKey(Finding::Code::CustomMetric, QStringLiteral("Slow game statements"))));
    // Below the level but within the 10 % hysteresis (95 >= 90): still active after many.
    for (int i = 0; i < 8; ++i)
        engine.ingest(snapshotWith(second++, 95, 6));
    EXPECT_EQ(engine.activeAlerts().size(), 2);
    // Below the relaxed level: clears after the clean count.
    for (int i = 0; i < 5; ++i)
        events += engine.ingest(snapshotWith(second++, 80, 6));
    ASSERT_EQ(engine.activeAlerts().size(), 1);
    EXPECT_EQ(engine.activeAlerts().first().member, QStringLiteral("Slow game statements"));
}

TEST(CustomMetricFindings, DeriveFindingsIncludesThem)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    s.customMetrics = {reading(QStringLiteral("Active games"), {{{}, 120}}, 100)};
    EXPECT_EQ(customFindings(deriveFindings(s)).size(), 1);
    EXPECT_EQ(findingCodeName(Finding::Code::CustomMetric), QStringLiteral("custom_metric"));
}

TEST(CustomMetricDefaults, TheManualsThreeForTheGameDatabase)
{
    const QList<CustomMetric> m = manualGamingMetrics();
    ASSERT_EQ(m.size(), 3);
    for (const CustomMetric &c : m) {
        EXPECT_TRUE(c.validationError().isEmpty()) << c.validationError().toStdString();
        EXPECT_EQ(c.database, QStringLiteral("hokm_game"));
    }
    EXPECT_TRUE(m.at(0).sql.contains(QStringLiteral("interval '5 minutes'")));
    EXPECT_EQ(m.at(0).target, CustomMetric::Target::AnyReplica);
    EXPECT_TRUE(m.at(1).sql.contains(QStringLiteral("application_name LIKE 'hokm%'")));
    EXPECT_EQ(m.at(1).target, CustomMetric::Target::Leader);
    EXPECT_TRUE(m.at(2).sql.contains(QStringLiteral("pg_stat_statements")));
    EXPECT_TRUE(m.at(2).sql.contains(QStringLiteral("mean_exec_time > 1000")));
    EXPECT_EQ(m.at(2).warning, 5.0);
}

TEST(CustomMetricDefaults, ValidationSaysWhatToFix)
{
    CustomMetric m;
    EXPECT_TRUE(m.validationError().contains(QStringLiteral("needs a name")));
    m.name = QStringLiteral("x");
    EXPECT_TRUE(m.validationError().contains(QStringLiteral("no query")));
    m.sql = QStringLiteral("SELECT 1");
    m.intervalMs = 1000;
    EXPECT_TRUE(m.validationError().contains(QStringLiteral("shortest interval is 5 s")));
    m.intervalMs = 5000;
    m.warning = 10;
    m.critical = 5;
    EXPECT_TRUE(m.validationError().contains(QStringLiteral("below its warning level")));
}

TEST(ProfileStoreCustomMetrics, RoundTripKeptBySaveGoneWithRemove)
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("vigil.ini"));
    ProfileStore store(ini, nullptr);
    ClusterProfile p;
    p.name = QStringLiteral("hokm-ha");
    p.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:64120"));
    store.save(p);
    QList<CustomMetric> metrics = manualGamingMetrics();
    metrics[1].critical = 400;
    metrics[1].sql = QStringLiteral("SELECT 'a=b' AS label, 1 AS n\n-- comment, \"quotes\"");
    store.setCustomMetrics(p.name, metrics);

    ProfileStore again(ini, nullptr);
    EXPECT_EQ(again.customMetrics(p.name), metrics);
    again.save(p); // editing the profile keeps its metrics
    EXPECT_EQ(ProfileStore(ini, nullptr).customMetrics(p.name), metrics);
    // Defaults are not written: the leader target and the 15 s interval of a plain metric.
    CustomMetric plain;
    plain.name = QStringLiteral("plain");
    plain.sql = QStringLiteral("SELECT 1");
    again.setCustomMetrics(p.name, {plain});
    QFile f(ini);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    EXPECT_FALSE(text.contains("target")) << text.constData();
    EXPECT_FALSE(text.contains("intervalMs")) << text.constData();
    EXPECT_EQ(again.customMetrics(p.name), QList<CustomMetric>{plain});
    // None for an unknown profile, and none created for it.
    again.setCustomMetrics(QStringLiteral("nope"), metrics);
    EXPECT_FALSE(again.contains(QStringLiteral("nope")));
    again.remove(p.name);
    EXPECT_TRUE(again.customMetrics(p.name).isEmpty());
}
