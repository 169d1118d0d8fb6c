// The Alertmanager tab's model: the alerts of each cluster's Alertmanager with Vigil's reading of
// their severity label, rows kept per (cluster, fingerprint), a cluster without an Alertmanager
// absent, and an unreadable Alertmanager said with its error.
#include "models/externalalertsmodel.h"
#include "models/health.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::models;

namespace {

services::ExternalAlert alert(const char *name, const char *severity, const char *fingerprint)
{
    services::ExternalAlert a;
    a.name = QLatin1String(name);
    a.severity = QLatin1String(severity);
    a.summary = QStringLiteral("summary of %1").arg(a.name);
    a.member = QStringLiteral("node2");
    a.fingerprint = QLatin1String(fingerprint);
    a.startsAt = QDateTime::currentDateTimeUtc();
    return a;
}

services::ExternalAlertsStatus answering(QList<services::ExternalAlert> alerts)
{
    services::ExternalAlertsStatus s;
    s.source = QStringLiteral("Alertmanager at http://127.0.0.1:9093");
    s.channel.state = services::ChannelStatus::State::Ok;
    s.channel.lastOk = QDateTime::currentDateTimeUtc();
    s.alerts = std::move(alerts);
    return s;
}

} // namespace

TEST(ExternalAlertsModel, ShowsEachClustersAlertmanagerAlertsMarkedAsSuch)
{
    ExternalAlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy status(&model, &ExternalAlertsModel::statusChanged);
    EXPECT_FALSE(model.anyConfigured());
    model.setStatus(QStringLiteral("hokm"), services::ExternalAlertsStatus{}); // none configured
    EXPECT_FALSE(model.anyConfigured());
    EXPECT_EQ(status.count(), 0);

    model.setStatus(QStringLiteral("hokm"),
                    answering({alert("PostgresDown", "critical", "a1"),
                               alert("DiskFilling", "warning", "b2"), alert("Odd", "p3", "c3")}));
    EXPECT_TRUE(model.anyConfigured());
    EXPECT_EQ(status.count(), 1);
    ASSERT_EQ(model.rowCount(), 3);
    const int down = model.rowOf(QStringLiteral("hokm\na1\nPostgresDown"));
    ASSERT_GE(down, 0);
    EXPECT_EQ(model.index(down, ExternalAlertsModel::Severity).data().toString(),
              QStringLiteral("critical"));
    EXPECT_EQ(model.index(down, ExternalAlertsModel::Severity).data(CellTableModel::SeverityRole),
              QVariant(healthRank(Health::Critical)));
    const int odd = model.rowOf(QStringLiteral("hokm\nc3\nOdd"));
    EXPECT_EQ(model.index(odd, ExternalAlertsModel::Severity).data(CellTableModel::SeverityRole),
              QVariant(healthRank(Health::Unknown))); // "p3": not a severity Vigil knows
    EXPECT_TRUE(model.index(down, ExternalAlertsModel::Severity)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Alertmanager at http://127.0.0.1:9093")));
    EXPECT_EQ(model.headerData(ExternalAlertsModel::Alert, Qt::Horizontal).toString(),
              QStringLiteral("Alert (Alertmanager)"));
    EXPECT_EQ(externalSeverity(QStringLiteral("p3")), services::Finding::Severity::Unknown);
    EXPECT_EQ(externalSeverity(QStringLiteral("Warning")), services::Finding::Severity::Warning);

    // It stops answering: the rows are the last known, and the problem says so.
    services::ExternalAlertsStatus failing = answering({alert("PostgresDown", "critical", "a1")});
    failing.channel.state = services::ChannelStatus::State::Unreachable;
    failing.channel.error = services::ServiceError::make(
        services::ServiceError::Kind::Connect, QStringLiteral("GET /api/v2/alerts"),
        QStringLiteral("127.0.0.1:9093"), {}, QStringLiteral("Connection refused"));
    model.setStatus(QStringLiteral("hokm"), failing);
    EXPECT_EQ(model.rowCount(), 1);
    ASSERT_EQ(model.problems().size(), 1);
    EXPECT_TRUE(model.problems().first().contains(QStringLiteral("Connection refused")));
    EXPECT_EQ(status.count(), 2);

    model.removeCluster(QStringLiteral("hokm"));
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_FALSE(model.anyConfigured());
}
