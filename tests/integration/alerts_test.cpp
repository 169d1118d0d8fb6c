// The alert engine against the real sandbox: a frozen replica (SIGSTOP of its Patroni and
// PostgreSQL) raises its alerts once through the engine, the alert is acknowledged, and after the
// thaw it clears once, only after alertClearSnapshots snapshots without the finding; the history
// file holds the raised, acknowledged and cleared lines.
#include "services/monitor/alertengine.h"
#include "services/monitor/alerthistory.h"
#include "services/monitor/clustermonitor.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"
#include "support/sandboxprofile.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::Cleanup;
using vigil::test::Sandbox;
using vigil::test::waitUntil;

namespace {

ClusterProfile sandboxProfile()
{
    return vigil::test::sandboxProfile(QStringLiteral("sandbox-alerts"));
}

bool holds(const ClusterSnapshot &s, const QString &key)
{
    for (const Finding &f : s.findings)
        if (f.severity != Finding::Severity::Ok && alertKey(f.code, f.member) == key)
            return true;
    return false;
}

std::string describe(const QList<AlertEvent> &events)
{
    std::string out;
    for (const AlertEvent &e : events)
        out += (alertEventKindName(e.kind) + QLatin1Char(' ') + alertKey(e.code, e.member) +
                QLatin1Char(' ') + severityName(e.severity) + QLatin1Char('\n'))
                   .toStdString();
    return out;
}

} // namespace

TEST(Alerts, FrozenReplicaRaisesOnceIsAcknowledgedAndClearsAfterTheThaw)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    AlertHistory history(dir.filePath(QStringLiteral("alerts.jsonl")));
    const ClusterProfile profile = sandboxProfile();
    QNetworkAccessManager nam;
    ClusterMonitor monitor(&nam, profile);
    AlertEngine engine(profile.name, profile.thresholds);
    engine.setHistory(&history);
    QList<ClusterSnapshotPtr> snapshots;
    QList<AlertEvent> events;
    QObject::connect(&monitor, &ClusterMonitor::snapshotReady, [&](ClusterSnapshotPtr s) {
        snapshots << s;
        engine.ingest(*s);
    });
    QObject::connect(&engine, &AlertEngine::alertEvent, [&](const AlertEvent &e) { events << e; });

    const QString frozen = Sandbox::leaderName() == QLatin1String("node2")
                               ? QStringLiteral("node3")
                               : QStringLiteral("node2");
    monitor.start();
    Cleanup stop{[&] {
        monitor.stop();
    }};
    ASSERT_TRUE(waitUntil([&] { return snapshots.size() >= 3; }, 30000));
    const auto ofFrozen = [&](AlertEvent::Kind kind) {
        QList<AlertEvent> out;
        for (const AlertEvent &e : events)
            if (e.kind == kind && e.member == frozen)
                out << e;
        return out;
    };
    ASSERT_TRUE(ofFrozen(AlertEvent::Kind::Raised).isEmpty()) << describe(events);

    Cleanup thaw{[frozen] {
        Sandbox::run({QStringLiteral("thaw"), frozen});
    }};
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("freeze"), frozen}, &out), 0) << out.toStdString();
    // Raised after alertRaiseSnapshots (3) cycles of about the 2 s member deadline each.
    ASSERT_TRUE(waitUntil([&] { return !ofFrozen(AlertEvent::Kind::Raised).isEmpty(); }, 60000))
        << describe(events);
    const AlertEvent raised = ofFrozen(AlertEvent::Kind::Raised).first();
    const QString key = alertKey(raised.code, raised.member);
    EXPECT_TRUE(raised.code == Finding::Code::MemberUnresponsive ||
                raised.code == Finding::Code::ReplicaDown)
        << describe(events);
    ASSERT_TRUE(engine.acknowledge(key, QStringLiteral("it-dba")));
    EXPECT_EQ(engine.activeAlert(key)->acknowledgedBy, QStringLiteral("it-dba"));

    // Frozen a while longer: the alerts stay, nothing raises twice.
    const qsizetype frozenAt = snapshots.size();
    waitUntil([&] { return snapshots.size() >= frozenAt + 3; }, 30000);
    ASSERT_EQ(Sandbox::run({QStringLiteral("thaw"), frozen}, &out), 0) << out.toStdString();
    const auto allCleared = [&] {
        for (const AlertEvent &r : ofFrozen(AlertEvent::Kind::Raised))
            if (engine.activeAlert(alertKey(r.code, r.member)))
                return false;
        return true;
    };
    ASSERT_TRUE(waitUntil(allCleared, 120000)) << describe(events);
    monitor.stop();

    for (const AlertEvent &r : ofFrozen(AlertEvent::Kind::Raised)) {
        const QString k = alertKey(r.code, r.member);
        int raises = 0, clears = 0;
        for (const AlertEvent &e : events)
            if (alertKey(e.code, e.member) == k) {
                raises += e.kind == AlertEvent::Kind::Raised;
                clears += e.kind == AlertEvent::Kind::Cleared;
            }
        EXPECT_EQ(raises, 1) << k.toStdString() << "\n" << describe(events);
        EXPECT_EQ(clears, 1) << k.toStdString() << "\n" << describe(events);
    }
    // The clear came only after alertClearSnapshots snapshots without the (strict) finding.
    QDateTime clearedWhen;
    for (const AlertEvent &e : ofFrozen(AlertEvent::Kind::Cleared))
        if (alertKey(e.code, e.member) == key)
            clearedWhen = e.at;
    ASSERT_TRUE(clearedWhen.isValid()) << describe(events);
    qsizetype lastHeld = -1, clearedAt = -1;
    for (qsizetype i = 0; i < snapshots.size() && clearedAt < 0; ++i) {
        if (holds(*snapshots.at(i), key))
            lastHeld = i;
        if (snapshots.at(i)->takenAt.toUTC() == clearedWhen)
            clearedAt = i;
    }
    ASSERT_GE(clearedAt, 0);
    ASSERT_GE(lastHeld, 0);
    EXPECT_GE(clearedAt - lastHeld, profile.thresholds.alertClearSnapshots);

    // The history file: raised, acknowledged, cleared of that alert, in that order.
    QStringList kinds;
    for (const AlertEvent &e : history.readAll()) {
        EXPECT_EQ(e.cluster, profile.name);
        if (alertKey(e.code, e.member) == key)
            kinds << alertEventKindName(e.kind);
    }
    EXPECT_EQ(kinds.first(), QStringLiteral("raised"));
    EXPECT_TRUE(kinds.contains(QStringLiteral("acknowledged")));
    EXPECT_EQ(kinds.last(), QStringLiteral("cleared"))
        << kinds.join(QLatin1Char(' ')).toStdString();
    EXPECT_LT(kinds.indexOf(QStringLiteral("raised")),
              kinds.indexOf(QStringLiteral("acknowledged")));
}
