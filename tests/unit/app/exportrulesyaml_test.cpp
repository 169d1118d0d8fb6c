// `vigil export-rules`'s YAML (ExportRulesYaml): Prometheus's own checker accepts it, and the
// profile's thresholds and matchers are what the expressions use. promtool comes with Debian's
// prometheus package, which packaging/install-deps.sh installs: without it this test fails.
#include "app/commands/exportrulesyaml.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using vigil::app::ExportRulesYaml;

namespace {

ExportRulesYaml::Options sandboxOptions()
{
    ExportRulesYaml::Options o;
    o.cluster = QStringLiteral("hokm-ha");
    o.matchers = {QStringLiteral("scope=\"hokm-ha\"")};
    o.forDuration = QStringLiteral("1m");
    o.rwBackend = QStringLiteral("primary");
    return o;
}

struct Checked
{
    int exitCode = -1;
    QString output;
};

// Runs `promtool SUBCOMMAND rules FILE` with the rules written to rules.yml in a fresh folder;
// FILE is rules.yml itself, or a promtool unit-test file copied beside it.
Checked promtool(const QString &subcommand, const QByteArray &yaml, const QString &testFile = {})
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("rules.yml")));
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(yaml);
    f.close();
    QString file = f.fileName();
    if (!testFile.isEmpty()) {
        file = dir.filePath(QStringLiteral("rules_test.yml"));
        EXPECT_TRUE(QFile::copy(testFile, file));
    }
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("promtool"), {subcommand, QStringLiteral("rules"), file});
    Checked c;
    if (!p.waitForStarted(10000) || !p.waitForFinished(60000))
        return c;
    c.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    c.output = QString::fromUtf8(p.readAll());
    return c;
}

Checked promtoolCheck(const QByteArray &yaml)
{
    return promtool(QStringLiteral("check"), yaml);
}

const QString kRulesTest =
    QStringLiteral(VIGIL_FIXTURES_DIR) + QStringLiteral("/prometheus/vigil_rules_test.yml");

} // namespace

TEST(ExportRulesYaml, PromtoolAcceptsTheRules)
{
    ASSERT_FALSE(QStandardPaths::findExecutable(QStringLiteral("promtool")).isEmpty())
        << "promtool is missing: it comes with Debian's prometheus package "
           "(packaging/install-deps.sh installs it)";
    const Checked c = promtoolCheck(ExportRulesYaml::render(sandboxOptions()));
    EXPECT_EQ(c.exitCode, 0) << c.output.toStdString();
    EXPECT_TRUE(c.output.contains(QStringLiteral("SUCCESS: 16 rules found")))
        << c.output.toStdString();
}

TEST(ExportRulesYaml, PromtoolRefusesABrokenExpression)
{
    // The check above could not fail if promtool accepted anything: a matcher that is not
    // PromQL must be refused.
    ExportRulesYaml::Options o = sandboxOptions();
    o.matchers = {QStringLiteral("scope=hokm-ha")};
    const Checked c = promtoolCheck(ExportRulesYaml::render(o));
    EXPECT_NE(c.exitCode, 0) << c.output.toStdString();
}

TEST(ExportRulesYaml, RulesFireOnTheExportersSeries)
{
    // promtool's rule unit tests (tests/fixtures/prometheus/vigil_rules_test.yml): the killed
    // leader fires VigilPrimaryDown (a downed replica does not), a replica behind the primary
    // fires the lag rule (an idle, caught-up one does not), 95.8 % of max_connections fires
    // both connection rules.
    const Checked c =
        promtool(QStringLiteral("test"), ExportRulesYaml::render(sandboxOptions()), kRulesTest);
    EXPECT_EQ(c.exitCode, 0) << c.output.toStdString();
    EXPECT_TRUE(c.output.contains(QStringLiteral("SUCCESS"))) << c.output.toStdString();
}

TEST(ExportRulesYaml, RuleTestsFailAtOtherThresholds)
{
    // The same series at a 300 s lag threshold: the lag rule must not fire, so the test fails.
    ExportRulesYaml::Options o = sandboxOptions();
    o.thresholds.lagCriticalSeconds = 300;
    const Checked c = promtool(QStringLiteral("test"), ExportRulesYaml::render(o), kRulesTest);
    EXPECT_NE(c.exitCode, 0) << c.output.toStdString();
    EXPECT_TRUE(c.output.contains(QStringLiteral("VigilReplicationLagCritical")))
        << c.output.toStdString();
}

TEST(ExportRulesYaml, UsesTheProfilesThresholdsAndMatchers)
{
    ExportRulesYaml::Options o = sandboxOptions();
    o.thresholds.lagCriticalSeconds = 45;
    o.thresholds.connectionsWarning = 0.7;
    o.thresholds.diskFreeCritical = 0.05;
    o.thresholds.pgbouncerWaitCriticalSeconds = 20;
    o.rwBackend = QStringLiteral("rw");
    o.forDuration = QStringLiteral("10s");
    const QString y = QString::fromUtf8(ExportRulesYaml::render(o));
    EXPECT_TRUE(
        y.contains(QStringLiteral("patroni_xlog_replayed_timestamp{scope=\"hokm-ha\"}) > 45 ")))
        << y.toStdString();
    EXPECT_TRUE(
        y.contains(QStringLiteral("(pg_settings_max_connections{scope=\"hokm-ha\"}) > 0.7")));
    EXPECT_TRUE(y.contains(QStringLiteral("< 0.05")));
    EXPECT_TRUE(y.contains(
        QStringLiteral("haproxy_backend_active_servers{scope=\"hokm-ha\",proxy=\"rw\"} < 1")));
    EXPECT_TRUE(y.contains(QStringLiteral("for: 20s"))); // PgBouncer's wait threshold
    EXPECT_TRUE(y.contains(QStringLiteral("for: 10s")));
    EXPECT_TRUE(y.contains(QStringLiteral("cluster: hokm-ha")));
}

TEST(ExportRulesYaml, ChecksMatchersAndDurations)
{
    EXPECT_TRUE(ExportRulesYaml::isMatcher(QStringLiteral("scope=\"hokm-ha\"")));
    EXPECT_TRUE(ExportRulesYaml::isMatcher(QStringLiteral("job=~\"postgres|patroni\"")));
    EXPECT_FALSE(ExportRulesYaml::isMatcher(QStringLiteral("scope=hokm-ha")));
    EXPECT_FALSE(ExportRulesYaml::isMatcher(QStringLiteral("scope=\"a\"} or vector(1) #\"")));
    EXPECT_TRUE(ExportRulesYaml::isDuration(QStringLiteral("1m")));
    EXPECT_TRUE(ExportRulesYaml::isDuration(QStringLiteral("1h30m")));
    EXPECT_FALSE(ExportRulesYaml::isDuration(QStringLiteral("10")));
    EXPECT_FALSE(ExportRulesYaml::isDuration(QStringLiteral("")));
}
