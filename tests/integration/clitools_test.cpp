// `vigil edit-config` and `vigil terminate` against the real sandbox, and the pending restart's
// reason (Patroni 3.0.2 sends none; Vigil reads pg_settings): each test restores what it changes.
#include "services/core/auditlog.h"
#include "support/eventloop.h"
#include "support/sandbox.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <functional>
#include <gtest/gtest.h>
#include <memory>

using vigil::test::Sandbox;
using vigil::test::waitUntil;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out, err;
};

std::string show(const CliRun &r)
{
    return "exit " + std::to_string(r.exitCode) + "\nstdout:\n" + r.out.toStdString() +
           "stderr:\n" + r.err.toStdString();
}

CliRun runVigil(const QStringList &args, int timeoutMs = 90000)
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VIGIL_BINARY), args);
    CliRun r;
    if (!p.waitForStarted(5000) || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        r.err = QStringLiteral("did not finish");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// The operation options of every call: node1's REST API, the REST user, SQL as vigil.
QStringList target(const QString &auditLog)
{
    return {QStringLiteral("--patroni"),   Sandbox::patroniUrl(),
            QStringLiteral("--rest-user"), Sandbox::restUser(),
            QStringLiteral("--sql"),       QStringLiteral("dbname=postgres user=vigil"),
            QStringLiteral("--audit-log"), auditLog};
}

// GET PATH on node1's REST API (a read: no credentials needed), as JSON.
QJsonObject restGet(const QString &path)
{
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(
        nam.get(QNetworkRequest(QUrl(Sandbox::patroniUrl() + path))));
    waitUntil([&] { return reply->isFinished(); }, 10000);
    return QJsonDocument::fromJson(reply->readAll()).object();
}

QString scope()
{
    return restGet(QStringLiteral("/patroni"))
        .value(QStringLiteral("patroni"))
        .toObject()
        .value(QStringLiteral("scope"))
        .toString();
}

QJsonValue configValue(const QString &group, const QString &key)
{
    const QJsonObject c = restGet(QStringLiteral("/config"));
    if (group.isEmpty())
        return c.value(key);
    return c.value(QStringLiteral("postgresql")).toObject().value(group).toObject().value(key);
}

QString text(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'g', 15) : v.toString();
}

// psql as hokm_app on the leader (through HAProxy's read-write port), running `sql`.
QString psql(const QString &sql)
{
    QProcess p;
    p.start(QStringLiteral("psql"),
            {QStringLiteral("-XAtq"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
             QStringLiteral("-p"), QString::number(Sandbox::rwPort()), QStringLiteral("-U"),
             QStringLiteral("hokm_app"), QStringLiteral("-d"), QStringLiteral("hokm_game"),
             QStringLiteral("-c"), sql});
    p.waitForFinished(20000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// One idle session: psql connected to the leader, waiting on its standard input.
std::unique_ptr<QProcess> idleSession(const QString &application)
{
    auto p = std::make_unique<QProcess>();
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGAPPNAME"), application);
    p->setProcessEnvironment(env);
    p->start(QStringLiteral("psql"),
             {QStringLiteral("-Xq"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
              QStringLiteral("-p"), QString::number(Sandbox::rwPort()), QStringLiteral("-U"),
              QStringLiteral("hokm_app"), QStringLiteral("-d"), QStringLiteral("hokm_game")});
    p->waitForStarted(5000);
    return p;
}

QStringList pidsOf(const QString &likePattern)
{
    return psql(QStringLiteral("SELECT pid FROM pg_stat_activity WHERE application_name LIKE "
                               "'%1' ORDER BY pid")
                    .arg(likePattern))
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

TEST(EditConfigCli, DryRunThenConfirmedChangeVerifiedAndRestored)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QTemporaryDir dir;
    const QString audit = dir.filePath(QStringLiteral("audit.jsonl"));
    const QString cluster = scope();
    ASSERT_FALSE(cluster.isEmpty());
    const QJsonValue lagBefore = configValue({}, QStringLiteral("maximum_lag_on_failover"));
    const QJsonValue workMemBefore =
        configValue(QStringLiteral("parameters"), QStringLiteral("work_mem"));
    const qint64 lag = qint64(lagBefore.toDouble(1048576)) + 1;
    const QStringList set = {QStringLiteral("edit-config"), QStringLiteral("--set"),
                             QStringLiteral("maximum_lag_on_failover=%1").arg(lag),
                             QStringLiteral("--set"),
                             QStringLiteral("postgresql.parameters.work_mem=5MB")};

    // Without --confirm: the exact diff, nothing sent.
    CliRun r = runVigil(set + target(audit));
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(
        QStringLiteral("  maximum_lag_on_failover: %1 → %2")
            .arg(lagBefore.isUndefined() ? QStringLiteral("(unset)") : text(lagBefore))
            .arg(lag)))
        << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("  postgresql.parameters.work_mem: "))) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("No change needs a restart"))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("--confirm %1").arg(cluster))) << show(r);
    EXPECT_EQ(configValue({}, QStringLiteral("maximum_lag_on_failover")), lagBefore);
    EXPECT_FALSE(QFile::exists(audit)) << "a dry run writes no audit entry";

    // A wrong name refuses.
    r = runVigil(set + target(audit) +
                 QStringList{QStringLiteral("--confirm"), QStringLiteral("not-") + cluster});
    EXPECT_EQ(r.exitCode, 2) << show(r);
    EXPECT_EQ(configValue({}, QStringLiteral("maximum_lag_on_failover")), lagBefore);

    // Confirmed: PATCH /config, audit entry, verified by reading /config back.
    r = runVigil(set + target(audit) + QStringList{QStringLiteral("--confirm"), cluster});
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("Done. GET /config shows every change."))) << show(r);
    EXPECT_EQ(qint64(configValue({}, QStringLiteral("maximum_lag_on_failover")).toDouble()), lag);
    EXPECT_EQ(configValue(QStringLiteral("parameters"), QStringLiteral("work_mem")).toString(),
              QStringLiteral("5MB"));
    const auto entries = vigil::services::AuditLog(audit).readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].action, QStringLiteral("patch_config"));
    EXPECT_EQ(entries[0].result, QStringLiteral("ok"));
    EXPECT_EQ(entries[0].cluster, cluster);

    // Restore: the old value, and work_mem removed again when it was not set before.
    QStringList restore = {QStringLiteral("edit-config")};
    if (lagBefore.isUndefined())
        restore << QStringLiteral("--unset") << QStringLiteral("maximum_lag_on_failover");
    else
        restore << QStringLiteral("--set")
                << QStringLiteral("maximum_lag_on_failover=%1").arg(text(lagBefore));
    if (workMemBefore.isUndefined())
        restore << QStringLiteral("--unset") << QStringLiteral("postgresql.parameters.work_mem");
    else
        restore << QStringLiteral("--set")
                << QStringLiteral("postgresql.parameters.work_mem=%1").arg(text(workMemBefore));
    r = runVigil(restore + target(audit) + QStringList{QStringLiteral("--confirm"), cluster});
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_EQ(configValue({}, QStringLiteral("maximum_lag_on_failover")), lagBefore);
    EXPECT_EQ(configValue(QStringLiteral("parameters"), QStringLiteral("work_mem")), workMemBefore);
}

TEST(EditConfigCli, BadArgumentsSayWhatToType)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const QString audit = dir.filePath(QStringLiteral("audit.jsonl"));
    CliRun r = runVigil(QStringList{QStringLiteral("edit-config")} + target(audit));
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_TRUE(r.err.contains(QLatin1String("--set loop_wait=5"))) << show(r);
    r = runVigil(QStringList{QStringLiteral("edit-config"), QStringLiteral("--set"),
                             QStringLiteral("loop_wait")} +
                 target(audit));
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_TRUE(r.err.contains(QLatin1String("KEY=VALUE"))) << show(r);
    r = runVigil(QStringList{QStringLiteral("edit-config"), QStringLiteral("--set"),
                             QStringLiteral("ttl.x=1")} +
                 target(audit));
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_TRUE(r.err.contains(QLatin1String("not a group of settings"))) << show(r);
}

TEST(TerminateCli, DryRunListsTheIdleSessionsAndConfirmEndsExactlyThose)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QTemporaryDir dir;
    const QString audit = dir.filePath(QStringLiteral("audit.jsonl"));
    const QString cluster = scope();
    std::vector<std::unique_ptr<QProcess>> sessions;
    for (int i = 1; i <= 3; ++i)
        sessions.push_back(idleSession(QStringLiteral("it-idle-%1").arg(i)));
    sessions.push_back(idleSession(QStringLiteral("it-keep")));
    struct Cleanup
    {
        std::vector<std::unique_ptr<QProcess>> &s;
        ~Cleanup()
        {
            for (auto &p : s) {
                p->closeWriteChannel();
                if (!p->waitForFinished(3000))
                    p->kill();
            }
        }
    } cleanup{sessions};
    ASSERT_TRUE(waitUntil([] { return pidsOf(QStringLiteral("it-%")).size() == 4; }, 20000))
        << "the four psql sessions did not connect";
    const QStringList idle = pidsOf(QStringLiteral("it-idle-%"));
    const QStringList keep = pidsOf(QStringLiteral("it-keep"));
    vigil::test::spin(2500); // idle for longer than 2 s
    const QStringList ask = {QStringLiteral("terminate"), QStringLiteral("--idle-longer-than"),
                             QStringLiteral("2s"), QStringLiteral("--application"),
                             QStringLiteral("it-idle-%")};

    CliRun r = runVigil(ask + target(audit));
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.startsWith(QStringLiteral("3 session(s) on "))) << show(r);
    for (const QString &pid : idle)
        EXPECT_TRUE(r.out.contains(QRegularExpression(QStringLiteral("(^|\\n) *%1 ").arg(pid))))
            << pid.toStdString() << "\n"
            << show(r);
    EXPECT_FALSE(r.out.contains(keep.value(0) + QLatin1Char(' '))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("--confirm %1").arg(cluster))) << show(r);
    EXPECT_EQ(pidsOf(QStringLiteral("it-%")).size(), 4) << "a dry run terminates nothing";

    r = runVigil(ask + target(audit) + QStringList{QStringLiteral("--confirm"), cluster});
    ASSERT_EQ(r.exitCode, 0) << show(r);
    for (const QString &pid : idle)
        EXPECT_TRUE(r.out.contains(QStringLiteral("Session %1 (it-idle-").arg(pid))) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("3 session(s) terminated."))) << show(r);
    EXPECT_TRUE(waitUntil([] { return pidsOf(QStringLiteral("it-idle-%")).isEmpty(); }, 10000))
        << "still there: "
        << pidsOf(QStringLiteral("it-idle-%")).join(QLatin1Char(' ')).toStdString();
    EXPECT_EQ(pidsOf(QStringLiteral("it-keep")), keep) << "only the previewed sessions end";
    const auto entries = vigil::services::AuditLog(audit).readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].action, QStringLiteral("terminate_idle_sessions"));
    EXPECT_EQ(entries[0].parameters.value(QStringLiteral("sessions")).toArray().size(), 3);
}

// Patroni 3.0.2 flags the pending restart without a reason: `vigil status` names the parameter
// from pg_settings, with the value waiting from /config.
TEST(PendingRestartCli, StatusNamesTheParameterThatNeedsTheRestart)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QTemporaryDir dir;
    const QString audit = dir.filePath(QStringLiteral("audit.jsonl"));
    const QString cluster = scope();
    const QString before =
        text(configValue(QStringLiteral("parameters"), QStringLiteral("max_connections")));
    ASSERT_FALSE(before.isEmpty());
    const QString changed = QString::number(before.toInt() + 50);
    CliRun r =
        runVigil(QStringList{QStringLiteral("edit-config"), QStringLiteral("--set"),
                             QStringLiteral("postgresql.parameters.max_connections=") + changed,
                             QStringLiteral("--confirm"), cluster} +
                 target(audit));
    struct Restore
    {
        QStringList args;
        ~Restore()
        {
            const CliRun undo = runVigil(args);
            EXPECT_EQ(undo.exitCode, 0) << show(undo);
            EXPECT_TRUE(waitUntil([] { return Sandbox::membersPendingRestart().isEmpty(); }, 90000))
                << "the pending restart did not clear after restoring max_connections";
        }
    } restore{QStringList{QStringLiteral("edit-config"), QStringLiteral("--set"),
                          QStringLiteral("postgresql.parameters.max_connections=") + before,
                          QStringLiteral("--wait"), QStringLiteral("20"),
                          QStringLiteral("--confirm"), cluster} +
              target(audit)};
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("Needs a restart of every member to take effect: "
                                             "max_connections")))
        << show(r);
    ASSERT_TRUE(waitUntil([] { return Sandbox::membersPendingRestart().size() == 3; }, 90000))
        << "the members did not show the pending restart";

    const QStringList status = {QStringLiteral("status"), QStringLiteral("--patroni"),
                                Sandbox::patroniUrl(), QStringLiteral("--user"),
                                QStringLiteral("vigil")};
    r = runVigil(status, 30000);
    EXPECT_EQ(r.exitCode, 1) << show(r);
    const QString reason = QStringLiteral("max_connections: %1 → %2").arg(before, changed);
    const QString named = QStringLiteral("max_connections (running %1)").arg(before);
    for (const char *n : {"node1", "node2", "node3"})
        EXPECT_TRUE(r.out.contains(QStringLiteral("%1 needs a restart to apply changed PostgreSQL "
                                                  "settings (%2)")
                                       .arg(QLatin1String(n), reason)) ||
                    r.out.contains(QStringLiteral("%1 needs a restart to apply changed PostgreSQL "
                                                  "settings (%2)")
                                       .arg(QLatin1String(n), named)))
            << n << "\n"
            << show(r);
    r = runVigil(status + QStringList{QStringLiteral("--json")}, 30000);
    const QJsonArray members =
        QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("members")).toArray();
    ASSERT_EQ(members.size(), 3) << show(r);
    for (const auto &m : members)
        EXPECT_TRUE(m.toObject()
                        .value(QStringLiteral("pending_restart_reason"))
                        .toString()
                        .startsWith(QLatin1String("max_connections")))
            << show(r);
}
