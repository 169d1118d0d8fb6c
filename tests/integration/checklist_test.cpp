// `vigil checklist` against the real sandbox: --run records "Check cluster health status" as
// passed on the healthy cluster and as failed, naming the member, while a replica is frozen
// (SIGSTOP of its Patroni and PostgreSQL; thawed however the test ends); --tick records a hand
// tick with its comment; the history file holds every result.
#include "services/maintenance/checkliststore.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::Cleanup;
using vigil::test::ProcessRun;
using vigil::test::Sandbox;

namespace {

QStringList checklistArguments(const QStringList &extra)
{
    // Every member's REST URL, as a DBA configures a cluster: the frozen replica may be node1,
    // and with only its URL nothing could be seen at all ("unknown", not "failed").
    QStringList args = Sandbox::statusArguments(true);
    args[0] = QStringLiteral("checklist");
    return args + QStringList{QStringLiteral("--timeout"), QStringLiteral("2000")} + extra;
}

ProcessRun runVigil(const QStringList &args, const QString &home)
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
    env.insert(QStringLiteral("XDG_DATA_HOME"), home);
    return vigil::test::runInLoop(QStringLiteral(VIGIL_BINARY), args, 60000, env);
}

// The last record of `id` in `vigil checklist --json`'s output.
QJsonObject lastOf(const ProcessRun &r, const QString &id)
{
    for (const QJsonValue &v : r.json.value(QStringLiteral("items")).toArray())
        if (v.toObject().value(QStringLiteral("id")).toString() == id)
            return v.toObject().value(QStringLiteral("last")).toObject();
    return {};
}

// Runs the checks until the health check's outcome is `outcome` (at most `tries` runs, 2 s
// apart: a healthy sandbox may show a passing warning, a frozen member takes a cycle to show).
QJsonObject runUntilHealth(const QString &outcome, const QString &home, int tries)
{
    QJsonObject health;
    for (int i = 0; i < tries; ++i) {
        const ProcessRun r =
            runVigil(checklistArguments({QStringLiteral("--run"), QStringLiteral("--json")}), home);
        EXPECT_TRUE(r.exitCode == 0 || r.exitCode == 1) << vigil::test::show(r);
        health = lastOf(r, QStringLiteral("daily.health"));
        if (health.value(QStringLiteral("outcome")).toString() == outcome)
            return health;
        vigil::test::waitUntil([] { return false; }, 2000);
    }
    return health;
}

} // namespace

TEST(ChecklistCli, HealthPassesOnTheHealthySandboxAndFailsWithAFrozenReplica)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    // A workload another test left running (its blocking tree, its session idle in
    // transaction) is a real WARNING the health check must fail on: end it first.
    Sandbox::run({QStringLiteral("workload"), QStringLiteral("stop")});
    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());

    QJsonObject health = runUntilHealth(QStringLiteral("passed"), home.path(), 5);
    ASSERT_EQ(health.value(QStringLiteral("outcome")).toString(), QStringLiteral("passed"))
        << QJsonDocument(health).toJson().toStdString();
    EXPECT_TRUE(
        health.value(QStringLiteral("evidence")).toString().contains(QStringLiteral("leader")));

    QStringList replicas = {QStringLiteral("node1"), QStringLiteral("node2"),
                            QStringLiteral("node3")};
    replicas.removeAll(Sandbox::leaderName());
    const QString frozen = replicas.first();
    Cleanup thaw{[frozen] {
        Sandbox::run({QStringLiteral("thaw"), frozen});
    }};
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("freeze"), frozen}, &out), 0) << out.toStdString();
    health = runUntilHealth(QStringLiteral("failed"), home.path(), 10);
    ASSERT_EQ(health.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"))
        << QJsonDocument(health).toJson().toStdString();
    EXPECT_TRUE(health.value(QStringLiteral("evidence")).toString().contains(frozen))
        << QJsonDocument(health).toJson().toStdString();
    ASSERT_EQ(Sandbox::run({QStringLiteral("thaw"), frozen}, &out), 0) << out.toStdString();

    // A hand tick, then the table: the ticked task is no longer overdue.
    ProcessRun r =
        runVigil(checklistArguments({QStringLiteral("--tick"), QStringLiteral("Review error logs"),
                                     QStringLiteral("--comment"),
                                     QStringLiteral("read node1-3's logs: nothing new")}),
                 home.path());
    ASSERT_EQ(r.exitCode, 0) << vigil::test::show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("read node1-3's logs: nothing new")))
        << vigil::test::show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("OVERDUE (never done)"))) << vigil::test::show(r);

    // Every result is in the history, under the name the command gave the cluster.
    const QString dir = home.filePath(QStringLiteral("Vigil/vigil/checklists"));
    const QList<ChecklistRecord> stored =
        ChecklistStore(QUrl(Sandbox::patroniUrl()).authority(), dir).readAll();
    const auto count = [&](const QString &item, ChecklistRecord::Outcome o) {
        return std::count_if(stored.begin(), stored.end(), [&](const ChecklistRecord &x) {
            return x.item == item && x.outcome == o;
        });
    };
    EXPECT_GE(count(QStringLiteral("daily.health"), ChecklistRecord::Outcome::Passed), 1);
    EXPECT_GE(count(QStringLiteral("daily.health"), ChecklistRecord::Outcome::Failed), 1);
    EXPECT_EQ(count(QStringLiteral("daily.error-logs"), ChecklistRecord::Outcome::Ticked), 1);
}
