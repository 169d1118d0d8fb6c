#include "services/diagnostics/statementsservice.h"
#include "support/qtprinters.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
StatementRow entry(qint64 queryId, qint64 calls, double totalMs, bool topLevel = true)
{
    StatementRow r;
    r.key = {10, 5, queryId, topLevel};
    r.query = QStringLiteral("SELECT %1").arg(queryId);
    r.counters.calls = calls;
    r.counters.totalMs = totalMs;
    r.counters.rows = calls;
    return r;
}
StatementsSample sample(QList<StatementRow> rows, const QString &reset = QStringLiteral("r1"))
{
    StatementsSample s;
    s.takenAt = QDateTime::currentDateTimeUtc();
    s.statsReset = reset;
    s.rows = std::move(rows);
    return s;
}
const StatementRow *find(const QList<StatementRow> &rows, qint64 queryId, bool topLevel = true)
{
    for (const auto &r : rows)
        if (r.key.queryId == queryId && r.key.topLevel == topLevel)
            return &r;
    return nullptr;
}
} // namespace

TEST(StatementsDelta, SubtractsThePreviousSamplePerKey)
{
    const auto older =
        sample({entry(1, 100, 1000), entry(2, 5, 50), entry(3, 7, 70), entry(1, 4, 40, false)});
    const auto newer = sample({entry(1, 117, 1340), entry(2, 5, 50), entry(3, 2, 30),
                               entry(4, 3, 9000), entry(1, 6, 60, false)});
    const auto delta = diffStatementSamples(older, newer);
    const StatementRow *one = find(delta, 1);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->counters.calls, 17);
    EXPECT_DOUBLE_EQ(one->counters.totalMs, 340);
    EXPECT_DOUBLE_EQ(one->counters.meanMs(), 20);
    EXPECT_FALSE(one->isNew);
    EXPECT_FALSE(find(delta, 2));               // no calls in between: left out
    const StatementRow *three = find(delta, 3); // went down: it was reset → counted whole
    ASSERT_TRUE(three);
    EXPECT_TRUE(three->isNew);
    EXPECT_EQ(three->counters.calls, 2);
    const StatementRow *four = find(delta, 4); // new entry
    ASSERT_TRUE(four);
    EXPECT_TRUE(four->isNew);
    EXPECT_EQ(four->counters.calls, 3);
    const StatementRow *nested = find(delta, 1, false); // toplevel is part of the key
    ASSERT_TRUE(nested);
    EXPECT_EQ(nested->counters.calls, 2);
}

TEST(StatementsDelta, WholeResetMakesEverythingNew)
{
    const auto older = sample({entry(1, 100, 1000)}, QStringLiteral("r1"));
    const auto newer = sample({entry(1, 150, 1500)}, QStringLiteral("r2"));
    const auto delta = diffStatementSamples(older, newer);
    ASSERT_EQ(delta.size(), 1);
    EXPECT_TRUE(delta.first().isNew);
    EXPECT_EQ(delta.first().counters.calls, 150);
}

TEST(StatementsStatus, AdviceGoesThroughPatroniNotAlterSystem)
{
    StatementsStatus s;
    s.available = true;
    s.preloaded = false;
    s.installed = false;
    s.sharedPreloadLibraries = QStringLiteral("auto_explain");
    s.database = QStringLiteral("postgres");
    const QString advice = s.advice(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(advice.contains(QStringLiteral("PATCH /config")));
    EXPECT_TRUE(advice.contains(QStringLiteral("do not use ALTER SYSTEM")));
    EXPECT_TRUE(advice.contains(QStringLiteral("restart")));
    EXPECT_TRUE(advice.contains(QStringLiteral("CREATE EXTENSION pg_stat_statements")));
    EXPECT_TRUE(advice.contains(QStringLiteral("patronictl edit-config hokm-ha")));
    const auto body = QJsonDocument::fromJson(s.patroniPatchBody()).object();
    EXPECT_EQ(body.value(QStringLiteral("postgresql"))
                  .toObject()
                  .value(QStringLiteral("parameters"))
                  .toObject()
                  .value(QStringLiteral("shared_preload_libraries"))
                  .toString(),
              QStringLiteral("auto_explain,pg_stat_statements"));

    s.preloaded = true;
    const QString onlyCreate = s.advice(QStringLiteral("hokm-ha"));
    EXPECT_FALSE(onlyCreate.contains(QStringLiteral("PATCH")));
    EXPECT_TRUE(onlyCreate.contains(QStringLiteral("CREATE EXTENSION")));
    s.installed = true;
    EXPECT_TRUE(s.usable());
    EXPECT_TRUE(s.advice({}).isEmpty());
}
