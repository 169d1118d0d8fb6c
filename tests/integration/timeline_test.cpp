// The incident timeline against the real sandbox: a switchover run by `vigil switchover
// --confirm` and a frozen replica (SIGSTOP, then SIGCONT of its Patroni and PostgreSQL) land in
// the persisted timeline (TimelineStore) with the operator action from the audit log and the
// observed leader change, and `vigil timeline --since 10m --markdown` prints them.
#include "services/core/auditlog.h"
#include "services/monitor/alertengine.h"
#include "services/monitor/clustermonitor.h"
#include "services/timeline/timelinerecorder.h"
#include "services/timeline/timelinestore.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::Cleanup;
using vigil::test::Sandbox;
using vigil::test::waitUntil;
using Kind = TimelineEvent::Kind;

namespace {

// Named as `vigil ... --patroni URL` names it, so the command finds the same stored timeline.
ClusterProfile sandboxProfile()
{
    ClusterProfile p;
    p.patroniUrl = QUrl(Sandbox::patroniUrl());
    p.name = p.patroniUrl.authority();
    p.sqlConninfo = QStringLiteral("dbname=postgres user=vigil");
    p.memberDeadlineMs = 2000;
    return p;
}

std::string describe(const QList<TimelineEvent> &events)
{
    std::string out;
    for (const TimelineEvent &e : events)
        out += (e.at.toString(Qt::ISODate) + QLatin1Char(' ') + timelineKindName(e.kind) +
                QLatin1Char(' ') + e.text + QLatin1Char('\n'))
                   .toStdString();
    return out;
}

bool has(const QList<TimelineEvent> &events, const std::function<bool(const TimelineEvent &)> &f)
{
    return std::any_of(events.begin(), events.end(), f);
}

bool isDown(const QString &state)
{
    return state == QLatin1String("unresponsive") || state == QLatin1String("unreachable") ||
           state == QLatin1String("gone");
}

// `vigil ARGS` with the application data under `home` (XDG_DATA_HOME), without blocking the
// event loop (the monitor keeps polling while it runs).
struct Vigil
{
    QProcess process;
    Vigil(const QStringList &args, const QString &home)
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
        env.insert(QStringLiteral("XDG_DATA_HOME"), home);
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(VIGIL_BINARY), args);
    }
    bool finish(int timeoutMs)
    {
        return waitUntil([this] { return process.state() == QProcess::NotRunning; }, timeoutMs);
    }
    QString out() { return QString::fromUtf8(process.readAllStandardOutput()); }
    QString err() { return QString::fromUtf8(process.readAllStandardError()); }
};

} // namespace

TEST(Timeline, SwitchoverAndFrozenReplicaArePersistedAndPrinted)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());
    const QString data = home.filePath(QStringLiteral("Vigil/vigil")); // the command's AppData
    const ClusterProfile profile = sandboxProfile();
    const TimelineStore store(profile.name, data + QStringLiteral("/timeline"));
    const AuditLog audit(data + QStringLiteral("/audit.jsonl"));
    TimelineRecorder recorder(profile.name, &store);
    AlertEngine engine(profile.name, profile.thresholds);
    QObject::connect(&engine, &AlertEngine::alertEvent, &recorder, &TimelineRecorder::ingestAlert);
    QNetworkAccessManager nam;
    ClusterMonitor monitor(&nam, profile);
    int snapshots = 0;
    QObject::connect(&monitor, &ClusterMonitor::snapshotReady, [&](ClusterSnapshotPtr s) {
        ++snapshots;
        engine.ingest(*s);
        recorder.ingest(*s);
        recorder.importAuditFile(audit);
    });
    monitor.start();
    Cleanup stop{[&] {
        monitor.stop();
    }};
    ASSERT_TRUE(waitUntil([&] { return snapshots >= 3; }, 30000));

    const QString leader = Sandbox::leaderName();
    QStringList replicas = {QStringLiteral("node1"), QStringLiteral("node2"),
                            QStringLiteral("node3")};
    replicas.removeAll(leader);
    const QString candidate = replicas.at(0), frozen = replicas.at(1);
    Vigil switchover({QStringLiteral("switchover"), QStringLiteral("--patroni"),
                      Sandbox::patroniUrl(), QStringLiteral("--rest-user"), Sandbox::restUser(),
                      QStringLiteral("--sql"), QStringLiteral("dbname=postgres user=vigil"),
                      QStringLiteral("--candidate"), candidate, QStringLiteral("--confirm"),
                      QStringLiteral("hokm-ha"), QStringLiteral("--audit-log"), audit.filePath()},
                     home.path());
    ASSERT_TRUE(switchover.finish(240000));
    ASSERT_EQ(switchover.process.exitCode(), 0)
        << switchover.out().toStdString() << switchover.err().toStdString();
    const auto leaderIs = [&](const TimelineEvent &e) {
        return e.kind == Kind::LeaderObserved && e.from == leader && e.to == candidate;
    };
    const auto action = [&](const TimelineEvent &e) {
        return e.kind == Kind::OperatorAction && e.key == QLatin1String("switchover") &&
               e.to == QLatin1String("ok") && !e.who.isEmpty();
    };
    ASSERT_TRUE(waitUntil([&] { return has(recorder.events(), leaderIs); }, 60000))
        << describe(recorder.events());
    ASSERT_TRUE(waitUntil([&] { return has(recorder.events(), action); }, 30000))
        << describe(recorder.events());

    Cleanup thaw{[frozen] {
        Sandbox::run({QStringLiteral("thaw"), frozen});
    }};
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("freeze"), frozen}, &out), 0) << out.toStdString();
    const auto frozenDown = [&](const TimelineEvent &e) {
        return e.kind == Kind::MemberState && e.member == frozen && isDown(e.to);
    };
    ASSERT_TRUE(waitUntil([&] { return has(recorder.events(), frozenDown); }, 60000))
        << describe(recorder.events());
    ASSERT_EQ(Sandbox::run({QStringLiteral("thaw"), frozen}, &out), 0) << out.toStdString();
    const auto frozenBack = [&](const TimelineEvent &e) {
        return e.kind == Kind::MemberState && e.member == frozen && isDown(e.from) && !isDown(e.to);
    };
    ASSERT_TRUE(waitUntil([&] { return has(recorder.events(), frozenBack); }, 120000))
        << describe(recorder.events());
    monitor.stop();

    // Persisted: a new reader of the file sees all of it.
    const QList<TimelineEvent> stored = store.readAll();
    EXPECT_TRUE(has(stored, leaderIs)) << describe(stored);
    EXPECT_TRUE(has(stored, action)) << describe(stored);
    EXPECT_TRUE(has(stored, frozenDown)) << describe(stored);
    EXPECT_TRUE(has(stored, frozenBack)) << describe(stored);

    Vigil timeline({QStringLiteral("timeline"), QStringLiteral("--patroni"), Sandbox::patroniUrl(),
                    QStringLiteral("--since"), QStringLiteral("10m"), QStringLiteral("--markdown")},
                   home.path());
    ASSERT_TRUE(timeline.finish(60000));
    const QString md = timeline.out();
    EXPECT_EQ(timeline.process.exitCode(), 0) << md.toStdString() << timeline.err().toStdString();
    EXPECT_TRUE(md.startsWith(QStringLiteral("# Incident timeline: ") + profile.name))
        << md.toStdString();
    EXPECT_TRUE(
        md.contains(QStringLiteral("the leader changed from %1 to %2").arg(leader, candidate)))
        << md.toStdString();
    EXPECT_TRUE(md.contains(QStringLiteral("## Who did what"))) << md.toStdString();
    EXPECT_TRUE(md.contains(QRegularExpression(QStringLiteral(": switchover .*→ ok"))))
        << md.toStdString();
    EXPECT_TRUE(md.contains(QRegularExpression(
        QStringLiteral("\\| %1 \\| (unresponsive|unreachable|gone) \\|").arg(frozen))))
        << md.toStdString();

    // Nothing recorded, only the audit log, whose switchover names the Patroni scope
    // ("hokm-ha") while the command's cluster is named after its URL: the command learns the
    // scope from /patroni and still shows the operator's switchover.
    QTemporaryDir bare;
    ASSERT_TRUE(bare.isValid());
    const QString bareData = bare.filePath(QStringLiteral("Vigil/vigil"));
    ASSERT_TRUE(QDir().mkpath(bareData));
    ASSERT_TRUE(QFile::copy(audit.filePath(), bareData + QStringLiteral("/audit.jsonl")));
    Vigil onlyAudit({QStringLiteral("timeline"), QStringLiteral("--patroni"), Sandbox::patroniUrl(),
                     QStringLiteral("--since"), QStringLiteral("10m")},
                    bare.path());
    ASSERT_TRUE(onlyAudit.finish(60000));
    const QString table = onlyAudit.out();
    EXPECT_EQ(onlyAudit.process.exitCode(), 0) << table.toStdString();
    EXPECT_TRUE(table.contains(QLatin1String("switchover"))) << table.toStdString();
    EXPECT_TRUE(table.contains(candidate)) << table.toStdString();
}
