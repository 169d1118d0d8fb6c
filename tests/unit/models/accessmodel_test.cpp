#include "models/accessmodel.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <gtest/gtest.h>

using namespace vigil;
using services::AccessSeverity;

TEST(AccessModel, RulesShowTheFlagAndItsExplanation)
{
    models::AccessModel model(models::AccessModel::Kind::Rules);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    services::HbaRule open;
    open.line = 7;
    open.type = QStringLiteral("host");
    open.address = QStringLiteral("all");
    open.method = QStringLiteral("trust");
    open.flag = {AccessSeverity::Critical, QStringLiteral("trust: no password.")};
    services::HbaRule fine = open;
    fine.line = 3;
    fine.method = QStringLiteral("scram-sha-256");
    fine.flag = {};
    model.setRules({open, fine});
    ASSERT_EQ(model.rowCount(), 2);
    ASSERT_EQ(model.columnCount(), 10);
    const int flag = model.flagColumn();
    EXPECT_EQ(model.headerData(flag, Qt::Horizontal, Qt::DisplayRole).toString(),
              QStringLiteral("Flag"));
    EXPECT_EQ(model.index(0, flag).data().toString(), QStringLiteral("Critical"));
    EXPECT_EQ(model.index(0, flag + 1).data().toString(), QStringLiteral("trust: no password."));
    EXPECT_EQ(model.index(0, 0).data(Qt::ToolTipRole).toString(),
              QStringLiteral("trust: no password."));
    EXPECT_TRUE(model.index(0, 3).data(Qt::BackgroundRole).isValid());
    EXPECT_EQ(model.index(1, flag).data().toString(), QString());
    EXPECT_FALSE(model.index(1, 3).data(Qt::BackgroundRole).isValid());
    EXPECT_EQ(model.flaggedCount(), 1);

    // A refresh updates in place: same keys, no reset, the fixed rule loses its flag.
    open.method = QStringLiteral("scram-sha-256");
    open.flag = {};
    model.setRules({open, fine});
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.flaggedCount(), 0);
    EXPECT_EQ(model.index(0, 6).data().toString(), QStringLiteral("scram-sha-256"));
}

TEST(AccessModel, SessionsNameTheSocketAndReplication)
{
    models::AccessModel model(models::AccessModel::Kind::Sessions);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    services::SslSession socket;
    socket.pid = 10;
    socket.application = QStringLiteral("psql");
    services::SslSession replica;
    replica.pid = 11;
    replica.backendType = QStringLiteral("walsender");
    replica.application = QStringLiteral("node2");
    replica.clientAddr = QStringLiteral("10.0.0.2");
    replica.ssl = true;
    replica.version = QStringLiteral("TLSv1.3");
    replica.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
    replica.bits = 256;
    model.setSessions({socket, replica});
    EXPECT_EQ(model.index(0, 4).data().toString(), QStringLiteral("local socket"));
    EXPECT_EQ(model.index(1, 3).data().toString(), QStringLiteral("node2 (replication)"));
    EXPECT_EQ(model.index(1, 5).data().toString(), QStringLiteral("yes"));
    EXPECT_EQ(model.index(1, 7).data().toString(),
              QStringLiteral("TLS_AES_256_GCM_SHA384 (256 bits)"));
}

TEST(AccessModel, SettingsWithoutFindingExplainThemselves)
{
    models::AccessModel model(models::AccessModel::Kind::Settings);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSettings({{QStringLiteral("ssl"),
                        QStringLiteral("off"),
                        QStringLiteral("default"),
                        QStringLiteral("Enables SSL connections."),
                        {}}});
    EXPECT_EQ(model.index(0, model.flagColumn() + 1).data().toString(),
              QStringLiteral("Enables SSL connections."));
    EXPECT_EQ(model.index(0, model.flagColumn()).data(models::AccessModel::SeverityRole).toInt(),
              int(AccessSeverity::Ok));
}
