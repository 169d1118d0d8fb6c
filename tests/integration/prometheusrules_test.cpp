// The rules of `vigil export-rules` in the sandbox's real Prometheus (sandbox.sh up --metrics,
// label "metrics", run by tests/run.sh): the sandbox profile's rules load, and when the leader
// is killed the primary-down rule goes pending, then firing in Prometheus's /api/v1/alerts, and
// arrives in Alertmanager's /api/v2/alerts. `for: 10s` keeps the test short; scrapes and rule
// evaluations come every 5 s.
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using vigil::test::Cleanup;
using vigil::test::ProcessRun;
using vigil::test::Sandbox;

namespace {

QString prometheusUrl()
{
    return qEnvironmentVariable("VIGIL_SANDBOX_PROMETHEUS_URL");
}

QString alertmanagerUrl()
{
    return qEnvironmentVariable("VIGIL_SANDBOX_ALERTMANAGER_URL");
}

// GET url as JSON (test harness only: curl with a deadline).
QJsonDocument getJson(const QString &url)
{
    const ProcessRun r = vigil::test::runInLoop(
        QStringLiteral("curl"),
        {QStringLiteral("-fsS"), QStringLiteral("--max-time"), QStringLiteral("5"), url}, 10000);
    return QJsonDocument::fromJson(r.out.toUtf8());
}

// The state ("pending"/"firing") of `alert` for `member` in Prometheus's /api/v1/alerts.
QString prometheusState(const QString &alert, const QString &member)
{
    const QJsonArray alerts =
        getJson(prometheusUrl() +
                QStringLiteral("/api/v1/alerts"))[QStringLiteral("data")][QStringLiteral("alerts")]
            .toArray();
    for (const QJsonValue &a : alerts) {
        const QJsonObject labels = a[QStringLiteral("labels")].toObject();
        if (labels[QStringLiteral("alertname")].toString() == alert &&
            labels[QStringLiteral("member")].toString() == member)
            return a[QStringLiteral("state")].toString();
    }
    return {};
}

bool inAlertmanager(const QString &alert, const QString &member)
{
    const QJsonArray alerts = getJson(alertmanagerUrl() + QStringLiteral("/api/v2/alerts")).array();
    for (const QJsonValue &a : alerts) {
        const QJsonObject labels = a[QStringLiteral("labels")].toObject();
        if (labels[QStringLiteral("alertname")].toString() == alert &&
            labels[QStringLiteral("member")].toString() == member)
            return true;
    }
    return false;
}

bool ruleLoaded(const QString &alert)
{
    const QJsonArray groups =
        getJson(prometheusUrl() +
                QStringLiteral("/api/v1/rules"))[QStringLiteral("data")][QStringLiteral("groups")]
            .toArray();
    for (const QJsonValue &g : groups)
        for (const QJsonValue &r : g[QStringLiteral("rules")].toArray())
            if (r[QStringLiteral("name")].toString() == alert &&
                r[QStringLiteral("health")].toString() == QLatin1String("ok"))
                return true;
    return false;
}

class PrometheusRules : public ::testing::Test
{
protected:
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        if (prometheusUrl().isEmpty() || alertmanagerUrl().isEmpty())
            FAIL() << "no metrics sandbox: start it with 'sandbox.sh up --metrics', then "
                      "eval \"$(sandbox.sh env)\"";
        Sandbox::ensureHealthy();
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
        m_env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("disabled:"));
    }

    ProcessRun vigil(const QStringList &args) const
    {
        return vigil::test::runInLoop(QStringLiteral(VIGIL_BINARY), args, 60000, m_env);
    }

    QTemporaryDir m_config;
    QProcessEnvironment m_env;
};

} // namespace

TEST_F(PrometheusRules, PrimaryDownFiresWhenTheLeaderIsKilled)
{
    // The sandbox's profile, as a DBA makes it: imported from the members' patroni.yml (scope
    // hokm-ha, the name and the matcher scope="hokm-ha"), with the default thresholds.
    QStringList import{QStringLiteral("profile"), QStringLiteral("import")};
    for (const char *n : {"node1", "node2", "node3"})
        import << Sandbox::dir() + QLatin1Char('/') + QLatin1String(n) +
                      QStringLiteral("/patroni.yml");
    const ProcessRun imported = vigil(import);
    ASSERT_TRUE(imported.exitCode == 0 || imported.exitCode == 1) << show(imported);

    const QString rules = m_config.filePath(QStringLiteral("vigil-test-rules.yml"));
    const ProcessRun exported = vigil({QStringLiteral("export-rules"), QStringLiteral("--profile"),
                                       QStringLiteral("hokm-ha"), QStringLiteral("--for"),
                                       QStringLiteral("10s"), QStringLiteral("--out"), rules});
    ASSERT_EQ(exported.exitCode, 0) << show(exported);

    ASSERT_EQ(Sandbox::run({QStringLiteral("load-rules"), rules}), 0);
    Cleanup unload{[] {
        QFile::remove(Sandbox::dir() + QStringLiteral("/metrics/rules/vigil-test-rules.yml"));
        vigil::test::runInLoop(QStringLiteral("curl"),
                               {QStringLiteral("-fsS"), QStringLiteral("-X"),
                                QStringLiteral("POST"),
                                prometheusUrl() + QStringLiteral("/-/reload")},
                               10000);
        Sandbox::ensureHealthy();
    }};
    ASSERT_TRUE(vigil::test::waitUntil(
        [] { return ruleLoaded(QStringLiteral("VigilPrimaryDown")); }, 30000));
    // Healthy: nothing of ours is pending or firing for the leader.
    const QString leader = Sandbox::leaderName();
    ASSERT_FALSE(leader.isEmpty());
    vigil::test::spin(6000); // one evaluation after the load
    EXPECT_TRUE(prometheusState(QStringLiteral("VigilPrimaryDown"), leader).isEmpty());

    ASSERT_EQ(Sandbox::run({QStringLiteral("kill-leader")}), 0);
    bool pending = false, firing = false;
    // Generous: the machine is shared. Detection is one scrape (5 s), pending one evaluation
    // (5 s), firing `for` (10 s) plus an evaluation later.
    vigil::test::waitUntil(
        [&] {
            const QString state = prometheusState(QStringLiteral("VigilPrimaryDown"), leader);
            pending = pending || state == QLatin1String("pending");
            firing = state == QLatin1String("firing");
            if (!firing)
                vigil::test::spin(500);
            return firing;
        },
        120000);
    EXPECT_TRUE(pending) << "VigilPrimaryDown was never seen pending for " << leader.toStdString();
    ASSERT_TRUE(firing) << "VigilPrimaryDown did not fire for " << leader.toStdString();
    EXPECT_TRUE(vigil::test::waitUntil(
        [&] {
            if (inAlertmanager(QStringLiteral("VigilPrimaryDown"), leader))
                return true;
            vigil::test::spin(500);
            return false;
        },
        60000))
        << "Alertmanager did not receive VigilPrimaryDown for " << leader.toStdString();
}
