// The members' host figures from node_exporter's series, on answers recorded from the sandbox's
// real Prometheus 2.42 and node_exporter 1.5 (tests/fixtures/record_prometheus.sh host: the
// four queries of HostQueries::make with scope="hokm-ha"), plus made-up answers for what one
// host cannot show (a member label, several file systems, a foreign instance). And the disk
// rule and the channel's findings they feed.
#include "services/metrics/hostmetrics.h"
#include "services/monitor/findings.h"
#include "services/monitor/workloadfindings.h"
#include "support/fixturefile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::fixtureFile;

namespace {

QList<PromSeries> recorded(const QString &name)
{
    const Result<QList<PromSeries>> r =
        parsePrometheusAnswer(200, fixtureFile(QStringLiteral("prometheus/%1-200.json").arg(name)),
                              QStringLiteral("GET /api/v1/query"), QStringLiteral("127.0.0.1"));
    EXPECT_TRUE(r.ok()) << name.toStdString();
    return r.ok() ? r.value() : QList<PromSeries>{};
}

// The recorded value of the series of `name` whose labels include `label`=`value`, read
// straight from the JSON (not through the parser under test).
double recordedValue(const QString &name, const QString &label, const QString &value)
{
    const QJsonDocument doc =
        QJsonDocument::fromJson(fixtureFile(QStringLiteral("prometheus/%1-200.json").arg(name)));
    for (const QJsonValue &r : doc[QStringLiteral("data")][QStringLiteral("result")].toArray())
        if (r[QStringLiteral("metric")][label].toString() == value)
            return r[QStringLiteral("value")].toArray().at(1).toString().toDouble();
    ADD_FAILURE() << "no " << label.toStdString() << "=" << value.toStdString() << " in "
                  << name.toStdString();
    return -1;
}

HostAnswers recordedAnswers()
{
    return {recorded(QStringLiteral("host_filesystems")), recorded(QStringLiteral("host_cpu")),
            recorded(QStringLiteral("host_memory")), recorded(QStringLiteral("host_io"))};
}

PromSeries series(QMap<QString, QString> labels, double value)
{
    return {std::move(labels), {QPointF(1.7e12, value)}};
}

PromSeries filesystem(const QString &instance, const QString &mount, const char *metric,
                      double bytes, const QString &member = {})
{
    QMap<QString, QString> l{{QStringLiteral("__name__"), QLatin1String(metric)},
                             {QStringLiteral("instance"), instance},
                             {QStringLiteral("mountpoint"), mount}};
    if (!member.isEmpty())
        l.insert(QStringLiteral("member"), member);
    return series(l, bytes);
}

} // namespace

TEST(HostMetrics, QueriesCarryTheProfilesMatchers)
{
    const HostQueries q = HostQueries::make(QStringLiteral("scope=\"hokm-ha\""));
    for (const QString &e : {q.filesystems, q.cpu, q.memory, q.io})
        EXPECT_TRUE(e.contains(QStringLiteral("scope=\"hokm-ha\""))) << e.toStdString();
    EXPECT_EQ(q.filesystems, QStringLiteral("{__name__=~\"node_filesystem_avail_bytes|"
                                            "node_filesystem_size_bytes\",scope=\"hokm-ha\"}"));
    EXPECT_EQ(q.io.count(QStringLiteral("scope=\"hokm-ha\"")), 2);
    const HostQueries bare = HostQueries::make({});
    EXPECT_EQ(
        bare.cpu,
        QStringLiteral("1 - avg by (instance, member) (rate(node_cpu_seconds_total{mode=\"idle\"}"
                       "[2m]))"));
}

TEST(HostMetrics, InstanceHostStripsThePort)
{
    EXPECT_EQ(instanceHost(QStringLiteral("127.0.0.1:9100")), QStringLiteral("127.0.0.1"));
    EXPECT_EQ(instanceHost(QStringLiteral("db1.example:9100")), QStringLiteral("db1.example"));
    EXPECT_EQ(instanceHost(QStringLiteral("[::1]:9100")), QStringLiteral("::1"));
    EXPECT_EQ(instanceHost(QStringLiteral("fe80::1")), QStringLiteral("fe80::1"));
    EXPECT_EQ(instanceHost(QStringLiteral("db1")), QStringLiteral("db1"));
}

TEST(HostMetrics, TheRecordedSandboxGivesEveryMemberItsHostsFigures)
{
    const HostAnswers a = recordedAnswers();
    QList<HostTarget> targets;
    for (const char *n : {"node1", "node2", "node3"})
        targets.append({QLatin1String(n), QStringLiteral("127.0.0.1"),
                        QStringLiteral("/tmp/vigil-sb-63000/%1/data").arg(QLatin1String(n))});
    QStringList unmatched;
    const QHash<QString, HostFigures> figures = hostFiguresFor(targets, a, &unmatched);
    EXPECT_TRUE(unmatched.isEmpty()) << unmatched.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(figures.size(), 3);
    const HostFigures &f = figures.value(QStringLiteral("node2"));
    EXPECT_EQ(f.instance, QStringLiteral("127.0.0.1:63052"));
    EXPECT_EQ(f.mountPoint, QStringLiteral("/"));
    const QString name = QStringLiteral("__name__");
    ASSERT_TRUE(f.dataFreeBytes && f.dataSizeBytes);
    EXPECT_EQ(double(*f.dataFreeBytes),
              recordedValue(QStringLiteral("host_filesystems"), name,
                            QStringLiteral("node_filesystem_avail_bytes")));
    EXPECT_EQ(double(*f.dataSizeBytes),
              recordedValue(QStringLiteral("host_filesystems"), name,
                            QStringLiteral("node_filesystem_size_bytes")));
    EXPECT_GT(*f.dataFreeFraction(), 0.0);
    EXPECT_LT(*f.dataFreeFraction(), 1.0);
    ASSERT_TRUE(f.memoryTotalBytes && f.memoryAvailableBytes);
    EXPECT_EQ(double(*f.memoryTotalBytes),
              recordedValue(QStringLiteral("host_memory"), name,
                            QStringLiteral("node_memory_MemTotal_bytes")));
    EXPECT_GT(*f.memoryUsedFraction(), 0.0);
    ASSERT_TRUE(f.cpuBusy);
    EXPECT_DOUBLE_EQ(*f.cpuBusy,
                     recordedValue(QStringLiteral("host_cpu"), QStringLiteral("instance"),
                                   QStringLiteral("127.0.0.1:63052")));
    ASSERT_TRUE(f.readBytesPerSecond && f.writtenBytesPerSecond);
    EXPECT_DOUBLE_EQ(*f.writtenBytesPerSecond,
                     recordedValue(QStringLiteral("host_io"), QStringLiteral("direction"),
                                   QStringLiteral("written")));
}

TEST(HostMetrics, AMemberLabelWinsAndTheLongestMountHoldsTheData)
{
    HostAnswers a;
    // db1 has its own node_exporter labelled member="node1"; the data is on /var/lib/postgresql.
    a.filesystems = {
        filesystem(QStringLiteral("db1:9100"), QStringLiteral("/"), "node_filesystem_avail_bytes",
                   9e9, QStringLiteral("node1")),
        filesystem(QStringLiteral("db1:9100"), QStringLiteral("/var/lib/postgresql"),
                   "node_filesystem_avail_bytes", 1e9, QStringLiteral("node1")),
        filesystem(QStringLiteral("db1:9100"), QStringLiteral("/var/lib/postgresql"),
                   "node_filesystem_size_bytes", 20e9, QStringLiteral("node1")),
        filesystem(QStringLiteral("db1:9100"), QStringLiteral("/var/lib/postgres"),
                   "node_filesystem_avail_bytes", 5e9, QStringLiteral("node1")),
        // Another member's host, same address as node1's SQL host: not node1's (it has a label).
        filesystem(QStringLiteral("10.0.0.1:9100"), QStringLiteral("/"),
                   "node_filesystem_avail_bytes", 7e9, QStringLiteral("node9"))};
    QStringList unmatched;
    const auto figures = hostFiguresFor(
        {{QStringLiteral("node1"), QStringLiteral("10.0.0.1"),
          QStringLiteral("/var/lib/postgresql/15/main")},
         {QStringLiteral("node2"), QStringLiteral("10.0.0.2"), QStringLiteral("/data")}},
        a, &unmatched);
    ASSERT_TRUE(figures.contains(QStringLiteral("node1")));
    const HostFigures &f = figures.value(QStringLiteral("node1"));
    EXPECT_EQ(f.mountPoint, QStringLiteral("/var/lib/postgresql"));
    EXPECT_EQ(f.dataFreeBytes, qint64(1e9));
    EXPECT_DOUBLE_EQ(*f.dataFreeFraction(), 0.05);
    EXPECT_FALSE(f.cpuBusy); // no CPU series: unknown, not 0
    // node2: no series at all, said with the instances seen and what to do.
    EXPECT_FALSE(figures.contains(QStringLiteral("node2")));
    ASSERT_EQ(unmatched.size(), 1);
    EXPECT_TRUE(unmatched[0].contains(QStringLiteral("node2"))) << unmatched[0].toStdString();
    EXPECT_TRUE(unmatched[0].contains(QStringLiteral("10.0.0.1:9100, db1:9100")))
        << unmatched[0].toStdString();
    EXPECT_TRUE(unmatched[0].contains(QStringLiteral("member=\"node2\"")));
}

TEST(HostMetrics, ADataDirectoryOnNoListedFileSystemIsSaid)
{
    HostAnswers a;
    a.filesystems = {filesystem(QStringLiteral("127.0.0.1:9100"), QStringLiteral("/boot"),
                                "node_filesystem_avail_bytes", 1e8)};
    a.cpu = {series({{QStringLiteral("instance"), QStringLiteral("127.0.0.1:9100")}}, 0.25)};
    QStringList unmatched;
    const auto figures = hostFiguresFor(
        {{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), QStringLiteral("/srv/pg")}}, a,
        &unmatched);
    ASSERT_TRUE(figures.contains(QStringLiteral("node1")));
    EXPECT_FALSE(figures.value(QStringLiteral("node1")).dataFreeFraction());
    EXPECT_EQ(figures.value(QStringLiteral("node1")).cpuBusy, 0.25);
    ASSERT_EQ(unmatched.size(), 1);
    EXPECT_TRUE(unmatched[0].contains(QStringLiteral("/srv/pg")));
    EXPECT_TRUE(unmatched[0].contains(QStringLiteral("fs-types-exclude")));
}

namespace {

MemberSnapshot replicaWithFree(double freeFraction)
{
    MemberSnapshot m;
    m.name = QStringLiteral("node2");
    m.sql.state = ChannelStatus::State::Ok;
    m.inRecovery = true;
    HostFigures f;
    f.instance = QStringLiteral("127.0.0.1:9100");
    f.mountPoint = QStringLiteral("/");
    f.dataSizeBytes = qint64(100) << 30;
    f.dataFreeBytes = qint64(double(*f.dataSizeBytes) * freeFraction);
    m.hostFigures = f;
    return m;
}

QList<Finding> diskOnly(const QList<Finding> &all)
{
    QList<Finding> out;
    for (const Finding &f : all)
        if (f.code == Finding::Code::DiskSpace)
            out << f;
    return out;
}

} // namespace

TEST(HostMetrics, NodeExportersFreeSpaceDrivesTheDiskRuleOnAnyMember)
{
    FindingThresholds t; // warning below 20 %, critical below 10 %
    EXPECT_TRUE(diskOnly(workloadFindings(replicaWithFree(0.25), t)).isEmpty());
    const QList<Finding> warn = diskOnly(workloadFindings(replicaWithFree(0.15), t));
    ASSERT_EQ(warn.size(), 1);
    EXPECT_EQ(warn[0].severity, Finding::Severity::Warning);
    EXPECT_EQ(warn[0].member, QStringLiteral("node2"));
    EXPECT_TRUE(warn[0].message.contains(QStringLiteral("node_exporter"))) // the source named
        << warn[0].message.toStdString();
    EXPECT_TRUE(warn[0].message.contains(QStringLiteral("15.0 %")));
    const QList<Finding> crit = diskOnly(workloadFindings(replicaWithFree(0.05), t));
    ASSERT_EQ(crit.size(), 1);
    EXPECT_EQ(crit[0].severity, Finding::Severity::Critical);
    // A threshold raised above today's free space makes it fire (what the sandbox test does).
    t.diskFreeWarning = 0.30;
    EXPECT_EQ(diskOnly(workloadFindings(replicaWithFree(0.25), t)).size(), 1);
}

TEST(HostMetrics, WithoutNodeExporterTheDiskRuleGoesBySqlSizes)
{
    FindingThresholds t;
    t.diskCapacityBytes = qint64(10) << 30;
    MemberSnapshot m = replicaWithFree(0.5);
    m.hostFigures.reset();
    m.inRecovery = false; // the SQL rule judges the primary
    m.databaseSizes = {{QStringLiteral("hokm_game"), qint64(19) << 29}}; // 9.5 GiB of 10
    const QList<Finding> f = diskOnly(workloadFindings(m, t));
    ASSERT_EQ(f.size(), 1);
    EXPECT_EQ(f[0].severity, Finding::Severity::Critical);
    EXPECT_TRUE(f[0].message.contains(QStringLiteral("pg_database_size()")));
    // With node_exporter's figures, those win: 50 % free is fine.
    m.hostFigures = replicaWithFree(0.5).hostFigures;
    EXPECT_TRUE(diskOnly(workloadFindings(m, t)).isEmpty());
}

TEST(HostMetrics, PrometheusFailingIsOneWarningAfterAGracePeriod)
{
    ClusterSnapshot s;
    s.takenAt = QDateTime::currentDateTimeUtc();
    s.hosts.source = QStringLiteral("node_exporter through Prometheus at http://127.0.0.1:9090");
    s.hosts.channel.state = ChannelStatus::State::Unreachable;
    s.hosts.channel.error =
        ServiceError::make(ServiceError::Kind::Connect, QStringLiteral("GET /api/v1/query"),
                           QStringLiteral("127.0.0.1:9090"), {}, QStringLiteral("refused"));
    s.hosts.channel.lastOk = s.takenAt.addSecs(-10); // a blip
    EXPECT_TRUE(hostMetricsFindings(s).isEmpty());
    s.hosts.channel.lastOk = s.takenAt.addSecs(-(kHostMetricsGraceSeconds + 1));
    QList<Finding> f = hostMetricsFindings(s);
    ASSERT_EQ(f.size(), 1);
    EXPECT_EQ(f[0].severity, Finding::Severity::Warning);
    EXPECT_EQ(f[0].code, Finding::Code::HostMetrics);
    EXPECT_TRUE(f[0].message.contains(QStringLiteral("127.0.0.1:9090")));
    EXPECT_TRUE(f[0].message.contains(QStringLiteral("refused")));
    s.hosts.channel.lastOk = {}; // never answered
    EXPECT_EQ(hostMetricsFindings(s).size(), 1);
    // Answering, with a member it has no series for: a note, not an alert.
    s.hosts.channel.state = ChannelStatus::State::Ok;
    s.hosts.unmatched = {QStringLiteral("node3 (host 10.0.0.3): no node_exporter series")};
    f = hostMetricsFindings(s);
    ASSERT_EQ(f.size(), 1);
    EXPECT_EQ(f[0].severity, Finding::Severity::Ok);
    // No Prometheus in the profile: nothing.
    EXPECT_TRUE(hostMetricsFindings(ClusterSnapshot{}).isEmpty());
    EXPECT_EQ(findingCodeName(Finding::Code::HostMetrics), QStringLiteral("host_metrics"));
}
