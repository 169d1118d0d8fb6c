// The server log model (capped, append-only) and its level/text filter, over the log recorded
// from the sandbox (tests/fixtures/logs/postgresql-sandbox.log), under QAbstractItemModelTester.
#include "models/serverlogfiltermodel.h"
#include "models/serverlogmodel.h"
#include "services/logs/serverlogparser.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QFile>
#include <gtest/gtest.h>

using namespace vigil::models;
using vigil::services::ServerLogEntry;
using vigil::services::ServerLogLevel;

namespace {
QList<ServerLogEntry> recorded()
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/logs/postgresql-sandbox.log"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return vigil::services::ServerLogParser(QStringLiteral("%m [%p] %q%u@%d/%a "))
        .parse(QString::fromUtf8(f.readAll()));
}
} // namespace

TEST(ServerLogModel, AppendsCapsAndColoursByLevel)
{
    ServerLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto entries = recorded();
    ASSERT_GT(entries.size(), 10);
    model.append(entries.mid(0, 5));
    model.append(entries.mid(5));
    EXPECT_EQ(model.rowCount(), entries.size());
    model.setCapacity(8);
    EXPECT_EQ(model.rowCount(), 8);
    EXPECT_EQ(model.droppedCount(), entries.size() - 8);
    EXPECT_EQ(model.entryAt(7).message, entries.constLast().message);
    model.append(entries); // a batch larger than the cap: its newest 8 stay
    EXPECT_EQ(model.rowCount(), 8);
    EXPECT_EQ(model.entryAt(7).message, entries.constLast().message);

    model.setCapacity(1000);
    model.clear();
    model.append(entries);
    int errorRow = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.entryAt(r).message == QStringLiteral("division by zero"))
            errorRow = r;
    }
    ASSERT_GE(errorRow, 0);
    const QModelIndex level = model.index(errorRow, ServerLogModel::Level);
    EXPECT_EQ(level.data().toString(), QStringLiteral("ERROR"));
    EXPECT_TRUE(level.data(Qt::ForegroundRole).value<QBrush>().color().isValid());
    EXPECT_EQ(model.index(errorRow, ServerLogModel::Origin).data().toString(),
              QStringLiteral("vigil@postgres/vigil-logtest"));
    EXPECT_EQ(model.index(errorRow, ServerLogModel::Message).data().toString(),
              QStringLiteral("division by zero  [STATEMENT: select 1/0]"));
    const QDateTime at = model.entryAt(errorRow).time;
    EXPECT_EQ(model.firstRowAtOrAfter(at), errorRow);
    EXPECT_EQ(model.firstRowAtOrAfter(at.addDays(1)), -1);
}

TEST(ServerLogFilterModel, FiltersByLevelAndText)
{
    ServerLogModel model;
    model.append(recorded());
    ServerLogFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
    filter.setSourceModel(&model);
    EXPECT_EQ(filter.rowCount(), model.rowCount());
    filter.setMinimumLevel(ServerLogLevel::Error);
    ASSERT_GT(filter.rowCount(), 3);
    for (int r = 0; r < filter.rowCount(); ++r) {
        const int level = filter.index(r, 0).data(ServerLogModel::LevelRole).toInt();
        EXPECT_GE(level, int(ServerLogLevel::Error));
    }
    filter.setText(QStringLiteral("VIGIL-LOGTEST")); // the application, case-insensitive
    EXPECT_EQ(filter.rowCount(), 1);
    filter.setMinimumLevel(ServerLogLevel::Warning);
    EXPECT_EQ(filter.rowCount(), 2);                      // and the warning of the same application
    filter.setText(QStringLiteral("pg_hba.conf line 4")); // a continuation line of a DETAIL
    ASSERT_EQ(filter.rowCount(), 1);
    EXPECT_EQ(filter.index(0, ServerLogModel::Level).data().toString(), QStringLiteral("FATAL"));
}
