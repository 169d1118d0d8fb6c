// Fault drills (issue 18 §3): each test breaks the real sandbox the way an incident does while the
// real main window (offscreen, its ClusterMonitor polling every second) and the built `vigil
// status` watch, and asserts a clear state on screen (read from the window's models) and in
// `vigil status` (exit code and the JSON naming the failed layer), no crash, and the UI thread's
// longest stall under 50 ms, measured by an event-loop probe (support/stallprobe.h) over the whole
// drill: fault, detection, restore and heal. Every process the harness runs (sandbox.sh, vigil)
// runs while the event loop turns, so the probe measures Vigil's stalls, not the harness's.
//
// Each drill restores the sandbox and checks that the cluster healed and that the window and
// `vigil status` show it healed. One line per drill is printed:
//   drill <name>: longest stall X ms, detected after Y s
// and the suite's duration at the end. Left out: a member's disk filling (no tiny filesystem for
// one member of a sandbox whose members share a host), TLS mismatch (covered by tls_test on the
// TLS sandbox) — see README, "Fault drills".
#include "app/gui/compositionroot.h"
#include "app/gui/guilaunch.h"
#include "models/clusterwatch.h"
#include "models/findingsmodel.h"
#include "models/membersmodel.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"
#include "support/stallprobe.h"
#include "ui/overview/alertsview.h"
#include "ui/shell/mainwindow.h"
#include "ui/widgets/tableview.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <functional>
#include <gtest/gtest.h>
#include <iostream>
#include <memory>

using namespace vigil;
using services::ChannelStatus;
using services::ClusterSnapshot;
using services::Finding;
using test::Sandbox;
using test::waitUntil;

namespace {

const QString kCluster = QStringLiteral("hokm-ha");
constexpr double kStallBudgetMs = 50.0;

struct Cleanup
{
    std::function<void()> undo;
    ~Cleanup()
    {
        if (undo)
            undo();
    }
};

// ---- processes run while the event loop turns ---------------------------------------------

struct Run
{
    int exitCode = -1;
    qint64 ms = 0;
    QString out, err;
    QJsonObject json; // stdout as JSON, when it is
};

std::string show(const Run &r)
{
    return "exit " + std::to_string(r.exitCode) + " after " + std::to_string(r.ms) +
           " ms\nstdout:\n" + r.out.toStdString() + "\nstderr:\n" + r.err.toStdString();
}

Run runInLoop(const QString &program, const QStringList &args, int timeoutMs,
              const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    Run r;
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    p.closeWriteChannel();
    if (!waitUntil([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        r.err = QStringLiteral("did not finish within %1 ms").arg(timeoutMs);
        return r;
    }
    r.ms = t.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    r.json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    return r;
}

Run sandbox(const QStringList &args, int timeoutMs = 240000)
{
    return runInLoop(QStringLiteral(VIGIL_SANDBOX_SCRIPT), args, timeoutMs);
}

QStringList statusArgs()
{
    QStringList args = {QStringLiteral("status"),
                        QStringLiteral("--json"),
                        QStringLiteral("--user"),
                        QStringLiteral("vigil"),
                        QStringLiteral("--haproxy-stats"),
                        Sandbox::haproxyStatsUrl(),
                        QStringLiteral("--pgbouncer"),
                        QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=vigil")
                            .arg(Sandbox::pgbouncerPort())};
    for (const QString &url : Sandbox::patroniUrls())
        args << QStringLiteral("--patroni") << url;
    return args;
}

Run vigilStatus(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    return runInLoop(QStringLiteral(VIGIL_BINARY), statusArgs(), 30000, env);
}

// The JSON finding with `code` ("dcs_unreachable"), optionally of `member`; empty when none.
QJsonObject statusFinding(const Run &r, const QString &code, const QString &member = QString())
{
    for (const auto &f : r.json.value(QLatin1String("findings")).toArray()) {
        const QJsonObject o = f.toObject();
        if (o.value(QLatin1String("code")).toString() == code &&
            (member.isNull() || o.value(QLatin1String("member")).toString() == member))
            return o;
    }
    return {};
}

QJsonObject statusMember(const Run &r, const QString &name)
{
    for (const auto &m : r.json.value(QLatin1String("members")).toArray())
        if (m.toObject().value(QLatin1String("name")).toString() == name)
            return m.toObject();
    return {};
}

QString channelState(const QJsonObject &member, const char *channel)
{
    return member.value(QLatin1String(channel)).toObject().value(QLatin1String("state")).toString();
}

// ---- the window ---------------------------------------------------------------------------

QStringList windowArguments()
{
    return {QStringLiteral("vigil"),
            QStringLiteral("--patroni"),
            Sandbox::patroniUrl(),
            QStringLiteral("--sql"),
            QStringLiteral("dbname=postgres user=vigil"),
            QStringLiteral("--haproxy-stats"),
            Sandbox::haproxyStatsUrl(),
            QStringLiteral("--haproxy-backend"),
            QStringLiteral("rw"),
            QStringLiteral("--pgbouncer"),
            QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=pgbouncer_admin")
                .arg(Sandbox::pgbouncerPort()),
            QStringLiteral("--name"),
            kCluster};
}

// The real main window and composition root, as `vigil-gui --patroni ...` builds them; the
// monitor polls every second (the profile's default).
struct Window
{
    explicit Window(const services::ClusterMonitor::Secrets &secrets = {})
        : launch(app::parseGuiArguments(windowArguments()))
        , window(launch.options)
        , profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr)
        , session(&window, &secretStore, &profiles)
    {
        window.resize(1440, 900);
        window.show();
        session.openProfile(*launch.profile, secrets);
    }
    services::ClusterSnapshotPtr last() const
    {
        const models::ClusterWatch *w = window.watch(kCluster);
        return w ? w->lastSnapshot() : nullptr;
    }
    // The members table's cell of `member` in `column`, as the screen shows it.
    QString memberCell(const QString &member, models::MembersModel::Column column) const
    {
        const models::MembersModel *m = window.membersModel();
        const int row = m->rowOf(member);
        return row < 0 ? QString() : m->index(row, column).data().toString();
    }
    // The member whose Role cell reads "Leader".
    QString leaderShown() const
    {
        const models::MembersModel *m = window.membersModel();
        for (int row = 0; row < m->rowCount(); ++row)
            if (m->index(row, models::MembersModel::Role).data().toString() ==
                QLatin1String("Leader"))
                return m->keyAt(row);
        return {};
    }
    // The Message column of the alerts dock's findings table.
    QStringList findingsShown() const
    {
        const QAbstractItemModel *m = window.alertsView()->findingsTable()->model();
        QStringList texts;
        for (int row = 0; row < m->rowCount(); ++row)
            texts << m->index(row, models::FindingsModel::Message).data().toString();
        return texts;
    }
    // The current snapshot has a finding `code` (of `member`), and the findings table shows its
    // message: the state is on screen, not only in the model behind it.
    bool showsFinding(Finding::Code code, const QString &member = QString(),
                      const QString &word = QString()) const
    {
        const auto s = last();
        if (!s)
            return false;
        for (const auto &f : s->findings)
            if (f.code == code && (member.isNull() || f.member == member) &&
                (word.isEmpty() || f.message.contains(word)) && findingsShown().contains(f.message))
                return true;
        return false;
    }
    // Three members, a leader, every channel answering, nothing found: on screen too.
    bool showsHealthy() const
    {
        const auto s = last();
        if (!s || s->members.size() != 3 || !s->leader() || !s->discovery.ok() ||
            !s->haproxy.channel.ok() || !s->pgbouncer.channel.ok() ||
            s->worstSeverity() != Finding::Severity::Ok)
            return false;
        for (const auto &m : s->members)
            if (!m.rest.ok() || !m.sql.ok() ||
                !memberCell(m.name, models::MembersModel::Rest).startsWith(QLatin1String("OK")) ||
                !memberCell(m.name, models::MembersModel::Sql).startsWith(QLatin1String("OK")))
                return false;
        return leaderShown() == s->leader()->name;
    }
    std::string describe() const
    {
        const auto s = last();
        if (!s)
            return "no snapshot yet";
        std::string out = "snapshot " + std::to_string(s->sequence) + "\n";
        for (const auto &m : s->members)
            out += m.name.toStdString() +
                   " role=" + memberCell(m.name, models::MembersModel::Role).toStdString() +
                   " rest=" + memberCell(m.name, models::MembersModel::Rest).toStdString() +
                   " sql=" + memberCell(m.name, models::MembersModel::Sql).toStdString() + "\n";
        for (const QString &f : findingsShown())
            out += "finding: " + f.toStdString() + "\n";
        return out;
    }

    QTemporaryDir dir;
    app::GuiLaunch launch;
    ui::MainWindow window;
    services::MemorySecretStore secretStore;
    services::ProfileStore profiles;
    app::CompositionRoot session;
};

// ---- the drill ----------------------------------------------------------------------------

// One drill's account: the stall probe over the whole drill and the time from the fault to the
// window showing it. finish() (at the end of the drill, before the guards of the test run their
// blocking undo) stops the probe and prints the drill's line.
struct Drill
{
    explicit Drill(QString drillName)
        : name(std::move(drillName))
    {
        probe.start();
    }
    ~Drill()
    {
        if (probe.running()) // the drill ended early (a failed assertion): say so
            finish(QStringLiteral(" (drill aborted)"));
    }
    void fault() { sinceFault.start(); }
    void detected() { detectedS = double(sinceFault.elapsed()) / 1000.0; }
    void finish(const QString &note = QString())
    {
        probe.stop();
        std::cout << "drill " << name.toStdString() << ": longest stall " << probe.longestMs()
                  << " ms, detected after " << detectedS << " s" << note.toStdString() << std::endl;
        EXPECT_LT(probe.longestMs(), kStallBudgetMs)
            << name.toStdString() << ": the UI thread stalled at " << probe.longestAtSeconds()
            << " s into the drill (" << probe.stallsOver(kStallBudgetMs) << " stalls over "
            << kStallBudgetMs << " ms in " << probe.ticks() << " ticks)";
    }

    QString name;
    test::StallProbe probe;
    QElapsedTimer sinceFault;
    double detectedS = -1;
};

QString aReplica(const ClusterSnapshot &s)
{
    for (const auto &m : s.members)
        if (!m.isLeader())
            return m.name;
    return {};
}

} // namespace

// One window for the whole suite, as a console on a wall stays open through every incident.
class FaultDrill : public ::testing::Test
{
protected:
    static void SetUpTestSuite() { s_suite.start(); }
    static void TearDownTestSuite()
    {
        delete s_window;
        s_window = nullptr;
        std::cout << "fault drills: suite took " << s_suite.elapsed() / 1000 << " s" << std::endl;
    }
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        Sandbox::ensureHealthy();
        if (!s_window)
            s_window = new Window;
        ASSERT_TRUE(waitUntil([] { return s_window->showsHealthy(); }, 60000))
            << "the window did not show a healthy cluster before the drill:\n"
            << s_window->describe();
    }
    Window &win() { return *s_window; }

    // The fault undone: the sandbox healthy again, and the window and `vigil status` saying so.
    void expectHealed(Drill &drill)
    {
        const Run up = sandbox({QStringLiteral("up")});
        ASSERT_EQ(up.exitCode, 0) << show(up);
        EXPECT_TRUE(waitUntil([this] { return win().showsHealthy(); }, 90000))
            << drill.name.toStdString() << ": the window did not show the cluster healed:\n"
            << win().describe();
        Run status;
        waitUntil(
            [&] {
                status = vigilStatus();
                return status.exitCode == 0;
            },
            30000);
        EXPECT_EQ(status.exitCode, 0) << drill.name.toStdString() << " healed?\n" << show(status);
    }

    static Window *s_window;
    static QElapsedTimer s_suite;
};
Window *FaultDrill::s_window = nullptr;
QElapsedTimer FaultDrill::s_suite;

TEST_F(FaultDrill, HaproxyKilled)
{
    Drill drill(QStringLiteral("haproxy-killed"));
    Cleanup restart{[] {
        Sandbox::run({QStringLiteral("start"), QStringLiteral("haproxy")});
    }};
    ASSERT_GT(Sandbox::killService(QStringLiteral("haproxy")), 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::HaproxyUnreachable, {},
                                      QStringLiteral("HAProxy"));
        },
        15000))
        << win().describe();
    drill.detected();
    EXPECT_TRUE(win().last()->pgbouncer.channel.ok()) << "only HAProxy failed";
    const Run status = vigilStatus();
    EXPECT_EQ(status.exitCode, 2) << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("haproxy_unreachable")).isEmpty())
        << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("start"), QStringLiteral("haproxy")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

TEST_F(FaultDrill, PgBouncerKilled)
{
    Drill drill(QStringLiteral("pgbouncer-killed"));
    Cleanup restart{[] {
        Sandbox::run({QStringLiteral("start"), QStringLiteral("pgbouncer")});
    }};
    ASSERT_GT(Sandbox::killService(QStringLiteral("pgbouncer")), 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::PgBouncerUnreachable, {},
                                      QStringLiteral("PgBouncer"));
        },
        15000))
        << win().describe();
    drill.detected();
    EXPECT_TRUE(win().last()->haproxy.channel.ok()) << "only PgBouncer failed";
    const Run status = vigilStatus();
    EXPECT_EQ(status.exitCode, 2) << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("pgbouncer_unreachable")).isEmpty())
        << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("start"), QStringLiteral("pgbouncer")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// A member action with a wrong REST password: Patroni 3.0.2 checks credentials on unsafe methods
// only, so the monitor's reads (and the window) stay healthy, and the action gets the real
// Patroni's 401, named as the REST credential. `vigil reload` is the harmless action.
TEST_F(FaultDrill, RestUnauthorized)
{
    Drill drill(QStringLiteral("rest-401"));
    const QString member = aReplica(*win().last());
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), QStringLiteral("drill-wrong-password"));
    drill.fault();
    const Run reload =
        runInLoop(QStringLiteral(VIGIL_BINARY),
                  {QStringLiteral("reload"), member, QStringLiteral("--patroni"),
                   Sandbox::patroniUrl(), QStringLiteral("--rest-user"), Sandbox::restUser(),
                   QStringLiteral("--sql"), QStringLiteral("dbname=postgres user=vigil"),
                   QStringLiteral("--audit-log"), dir.filePath(QStringLiteral("audit.jsonl"))},
                  60000, env);
    drill.detected();
    const QString said = reload.out + reload.err;
    EXPECT_NE(reload.exitCode, 0) << show(reload);
    EXPECT_TRUE(said.contains(QLatin1String("401"))) << show(reload);
    EXPECT_TRUE(said.contains(QLatin1String("REST user or password"))) << show(reload);
    EXPECT_FALSE(said.contains(QLatin1String("drill-wrong-password"))) << "never echo a secret";
    // Nothing on screen changed: no false alarm from a refused action.
    EXPECT_TRUE(waitUntil([this] { return win().showsHealthy(); }, 10000)) << win().describe();
    EXPECT_EQ(vigilStatus().exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// Patroni itself answers 503 (the real one, no fake): a reinitialize of the leader is refused
// with "I am the leader, can not reinitialize". Vigil must say Patroni refused, and nothing moves.
TEST_F(FaultDrill, RestServiceUnavailable)
{
    Drill drill(QStringLiteral("rest-503"));
    const QString leader = win().last()->leader()->name;
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
    drill.fault();
    const Run reinit = runInLoop(
        QStringLiteral(VIGIL_BINARY),
        {QStringLiteral("reinit"), leader, QStringLiteral("--force"), QStringLiteral("--confirm"),
         kCluster, QStringLiteral("--wait"), QStringLiteral("10"), QStringLiteral("--patroni"),
         Sandbox::patroniUrl(), QStringLiteral("--rest-user"), Sandbox::restUser(),
         QStringLiteral("--sql"), QStringLiteral("dbname=postgres user=vigil"),
         QStringLiteral("--audit-log"), dir.filePath(QStringLiteral("audit.jsonl"))},
        60000, env);
    drill.detected();
    const QString said = reinit.out + reinit.err;
    EXPECT_EQ(reinit.exitCode, 2) << "refused\n" << show(reinit);
    EXPECT_TRUE(said.contains(QLatin1String("can not reinitialize"))) << show(reinit);
    EXPECT_TRUE(said.contains(QLatin1String("Patroni"))) << show(reinit);
    EXPECT_TRUE(waitUntil([this] { return win().showsHealthy(); }, 10000)) << win().describe();
    EXPECT_EQ(win().leaderShown(), leader) << "nothing moved";
    EXPECT_EQ(vigilStatus().exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// A window opened with a wrong SQL password (and `vigil status` with a pgpass that has one): every
// member's SQL column says the login was refused and why; REST still answers.
TEST_F(FaultDrill, WrongSqlPassword)
{
    Drill drill(QStringLiteral("wrong-sql-password"));
    services::ClusterMonitor::Secrets wrong;
    wrong.sqlPassword = QStringLiteral("drill-wrong-password");
    drill.fault();
    auto second = std::make_unique<Window>(wrong);
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto s = second->last();
            if (!s || s->members.size() != 3)
                return false;
            for (const auto &m : s->members)
                if (!second->memberCell(m.name, models::MembersModel::Sql)
                         .contains(QLatin1String("password authentication failed")) ||
                    !m.rest.ok())
                    return false;
            return second->showsFinding(Finding::Code::MemberUnreachable, {},
                                        QStringLiteral("could not log in"));
        },
        20000))
        << second->describe();
    drill.detected();
    EXPECT_TRUE(win().showsHealthy()) << "the first window, with the right password, is unmoved";

    QTemporaryDir dir;
    QFile pgpass(dir.filePath(QStringLiteral("pgpass")));
    ASSERT_TRUE(pgpass.open(QIODevice::WriteOnly));
    pgpass.write("*:*:*:vigil:drill-wrong-password\n");
    pgpass.close();
    pgpass.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSFILE"), pgpass.fileName());
    env.remove(QStringLiteral("PGPASSWORD"));
    env.remove(QStringLiteral("PGSERVICE"));
    const Run status = vigilStatus(env);
    EXPECT_EQ(status.exitCode, 3) << show(status);
    const QJsonObject f = statusFinding(status, QStringLiteral("member_unreachable"));
    EXPECT_TRUE(f.value(QLatin1String("message"))
                    .toString()
                    .contains(QLatin1String("password authentication failed")))
        << show(status);
    EXPECT_FALSE(status.out.contains(QLatin1String("drill-wrong-password")));
    second.reset();
    expectHealed(drill);
    drill.finish();
}

namespace {

// Opens connections to 127.0.0.1:PORT as hokm_app (a client role, no reserved slot) until the
// server refuses ("too many clients"), prints "filled N: <the refusal>", holds them until its
// stdin closes. Python's psycopg2 (Patroni's own driver, so present wherever the sandbox runs):
// real backends from a process of their own, so the test's event loop never waits on them.
const char *kFiller = R"PY(
import sys, threading, psycopg2
port, want = int(sys.argv[1]), int(sys.argv[2])
conns, errors, lock = [], [], threading.Lock()
def work(n):
    for _ in range(n):
        if errors:
            return
        try:
            c = psycopg2.connect(host='127.0.0.1', port=port, dbname='postgres', user='hokm_app',
                                 application_name='vigil-drill-filler', connect_timeout=20)
        except psycopg2.OperationalError as e:
            errors.append(' '.join(str(e).split()))
            return
        with lock:
            conns.append(c)
threads = [threading.Thread(target=work, args=(want // 8 + 1,)) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print('filled %d: %s' % (len(conns), errors[0] if errors else 'no refusal'), flush=True)
sys.stdin.read()
)PY";

} // namespace

// max_connections (1200 in the sandbox) filled with real backends on a replica: the window's
// monitor, whose session was open before, shows the member at ~100 % of max_connections; a fresh
// connection (`vigil status`) is refused by the server, and status names that member's SQL.
TEST_F(FaultDrill, TooManyConnections)
{
    Drill drill(QStringLiteral("too-many-connections"));
    const auto before = win().last();
    const QString member = aReplica(*before);
    const int port = before->member(member)->port;
    ASSERT_GT(port, 0);
    QProcess filler;
    Cleanup close{[&filler] {
        filler.closeWriteChannel();
        if (!filler.waitForFinished(30000))
            filler.kill();
    }};
    filler.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"), QString::fromLatin1(kFiller), QString::number(port),
                  QStringLiteral("1300")});
    QString filled;
    ASSERT_TRUE(waitUntil(
        [&] {
            filled += QString::fromUtf8(filler.readAllStandardOutput());
            return filled.contains(QLatin1String("filled")) ||
                   filler.state() == QProcess::NotRunning;
        },
        180000))
        << "the filler did not finish";
    drill.fault();
    ASSERT_TRUE(filled.contains(QLatin1String("too many clients")) ||
                filled.contains(QLatin1String("reserved")))
        << filled.toStdString() << filler.readAllStandardError().toStdString();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::ConnectionsHigh, member,
                                      QStringLiteral("max_connections")) ||
                   win()
                       .memberCell(member, models::MembersModel::Sql)
                       .contains(QLatin1String("too many clients"));
        },
        30000))
        << win().describe();
    drill.detected();
    const Run status = vigilStatus();
    EXPECT_NE(status.exitCode, 0) << show(status);
    const QJsonObject m = statusMember(status, member);
    EXPECT_EQ(channelState(m, "sql"), QStringLiteral("unreachable")) << show(status);
    const QString error = QString::fromUtf8(
        QJsonDocument(m.value(QLatin1String("sql")).toObject()).toJson(QJsonDocument::Compact));
    EXPECT_TRUE(error.contains(QLatin1String("too many clients")) ||
                error.contains(QLatin1String("reserved")))
        << show(status);
    filler.closeWriteChannel();
    ASSERT_TRUE(waitUntil([&] { return filler.state() == QProcess::NotRunning; }, 60000));
    expectHealed(drill);
    drill.finish();
}

// A replica frozen (SIGSTOP of its Patroni and PostgreSQL: its TCP connections hang): it goes
// "no answer" at its deadline, the other members' figures and the cycle keep their pace.
TEST_F(FaultDrill, ReplicaFrozen)
{
    Drill drill(QStringLiteral("replica-sigstop"));
    const QString frozen = aReplica(*win().last());
    const int deadlineMs = win().launch.profile->memberDeadlineMs;
    const int intervalMs = win().launch.profile->stateIntervalMs;
    Cleanup thaw{[frozen] {
        Sandbox::run({QStringLiteral("thaw"), frozen});
    }};
    QList<qint64> arrivals;
    QElapsedTimer clock;
    clock.start();
    const QMetaObject::Connection feed = QObject::connect(
        win().session.monitor(kCluster), &services::ClusterMonitor::snapshotReady,
        [&](const services::ClusterSnapshotPtr &) { arrivals << clock.elapsed(); });
    Cleanup disconnect{[feed] {
        QObject::disconnect(feed);
    }};
    ASSERT_EQ(sandbox({QStringLiteral("freeze"), frozen}).exitCode, 0);
    drill.fault();
    const qsizetype fromArrival = arrivals.size();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win()
                       .memberCell(frozen, models::MembersModel::Rest)
                       .startsWith(QLatin1String("No answer")) &&
                   win()
                       .memberCell(frozen, models::MembersModel::Sql)
                       .startsWith(QLatin1String("No answer")) &&
                   win().showsFinding(Finding::Code::MemberUnresponsive, frozen);
        },
        20000))
        << win().describe();
    drill.detected();
    EXPECT_LE(drill.detectedS * 1000, intervalMs + deadlineMs + 1500) << "at its deadline";
    test::spin(2 * (intervalMs + deadlineMs)); // a few more cycles with the member frozen
    qint64 longestGap = 0;
    for (qsizetype i = std::max<qsizetype>(fromArrival, 1); i < arrivals.size(); ++i)
        longestGap = std::max(longestGap, arrivals[i] - arrivals[i - 1]);
    std::cout << "[ figures  ] longest gap between snapshots while frozen: " << longestGap
              << " ms\n";
    EXPECT_LE(longestGap, intervalMs + deadlineMs + 1000) << "the cycle waits for nobody";
    for (const auto &m : win().last()->members)
        if (m.name != frozen) {
            EXPECT_TRUE(m.rest.ok() && m.sql.ok()) << win().describe();
            EXPECT_TRUE(win()
                            .memberCell(m.name, models::MembersModel::Sql)
                            .startsWith(QLatin1String("OK")));
        }
    const Run status = vigilStatus();
    EXPECT_EQ(status.exitCode, 1) << show(status);
    EXPECT_LE(status.ms, 4000) << "status waits for the deadline, no longer";
    EXPECT_EQ(channelState(statusMember(status, frozen), "rest"), QStringLiteral("unresponsive"))
        << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("member_unresponsive"), frozen).isEmpty())
        << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("thaw"), frozen}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

namespace {

// Every member's SQL still answers with the window showing it: the truth from PostgreSQL itself
// while the DCS (Patroni's view) is gone.
bool showsSqlTruth(const Window &w)
{
    const auto s = w.last();
    if (!s || s->members.size() != 3)
        return false;
    int answering = 0;
    for (const auto &m : s->members)
        if (m.sql.ok() && m.inRecovery.has_value() &&
            w.memberCell(m.name, models::MembersModel::Sql).startsWith(QLatin1String("OK")))
            ++answering;
    return answering >= 2; // a demoting leader may restart its PostgreSQL meanwhile
}

} // namespace

// etcd killed (SIGKILL: connections refused): GET /cluster fails on every member while their own
// REST APIs and PostgreSQL answer; the DCS is named as the failed layer.
TEST_F(FaultDrill, EtcdKilled)
{
    Drill drill(QStringLiteral("etcd-killed"));
    Cleanup restart{[] {
        Sandbox::run({QStringLiteral("start"), QStringLiteral("etcd")});
        Sandbox::ensureHealthy();
    }};
    ASSERT_GT(Sandbox::killService(QStringLiteral("etcd")), 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::DcsUnreachable, {}, QStringLiteral("DCS"));
        },
        30000))
        << win().describe();
    drill.detected();
    EXPECT_TRUE(showsSqlTruth(win())) << win().describe();
    const Run status = vigilStatus();
    EXPECT_NE(status.exitCode, 0) << show(status);
    EXPECT_NE(status.exitCode, 3) << "the members answer: not UNKNOWN\n" << show(status);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("dcs_unreachable")).isEmpty())
        << show(status);
    EXPECT_EQ(status.json.value(QLatin1String("members")).toArray().size(), 3) << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("start"), QStringLiteral("etcd")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

// etcd frozen (SIGSTOP: its connections hang). Patroni's etcd v3 watch cache keeps answering for
// a while (statuscli_test's FrozenDcs says why), so the DCS is named once the leader's own
// contact is lost or GET /cluster stops answering: the same bound as there, 3 x loop_wait + 13 s.
TEST_F(FaultDrill, EtcdFrozen)
{
    Drill drill(QStringLiteral("etcd-sigstop"));
    Cleanup thaw{[] {
        Sandbox::run({QStringLiteral("thaw"), QStringLiteral("etcd")});
        Sandbox::ensureHealthy();
    }};
    const int loopWait = std::max(qEnvironmentVariableIntValue("VIGIL_SANDBOX_LOOP_WAIT"), 10);
    ASSERT_EQ(sandbox({QStringLiteral("freeze"), QStringLiteral("etcd")}).exitCode, 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::DcsUnreachable, {}, QStringLiteral("DCS"));
        },
        (3 * loopWait + 13) * 1000))
        << win().describe();
    drill.detected();
    EXPECT_TRUE(showsSqlTruth(win())) << win().describe();
    Run status;
    waitUntil(
        [&] {
            status = vigilStatus();
            return !statusFinding(status, QStringLiteral("dcs_unreachable")).isEmpty();
        },
        (3 * loopWait + 13) * 1000);
    EXPECT_FALSE(statusFinding(status, QStringLiteral("dcs_unreachable")).isEmpty())
        << show(status);
    EXPECT_NE(status.exitCode, 0) << show(status);
    EXPECT_NE(status.exitCode, 3) << "the members answer: not UNKNOWN\n" << show(status);
    EXPECT_EQ(status.json.value(QLatin1String("members")).toArray().size(), 3) << show(status);
    ASSERT_EQ(sandbox({QStringLiteral("thaw"), QStringLiteral("etcd")}).exitCode, 0);
    expectHealed(drill);
    drill.finish();
}

namespace {

// Watches Patroni's own DCS view (GET /cluster on each member in turn, every 100 ms, on a
// QNetworkAccessManager of its own) for the moment a leader other than `old` appears: when
// Patroni promoted, as the yardstick for the window.
class PromotionWatch
{
public:
    explicit PromotionWatch(QString old)
        : m_old(std::move(old))
    {
        m_nam.setTransferTimeout(1000);
    }
    // Call from a waitUntil predicate: sends the next request when none is out, reads answers.
    // Returns the new leader once seen.
    QString poll()
    {
        if (m_reply && m_reply->isFinished()) {
            const auto members = QJsonDocument::fromJson(m_reply->readAll())
                                     .object()
                                     .value(QLatin1String("members"))
                                     .toArray();
            for (const auto &m : members) {
                const QJsonObject o = m.toObject();
                const QString name = o.value(QLatin1String("name")).toString();
                if (o.value(QLatin1String("role")).toString() == QLatin1String("leader") &&
                    name != m_old && m_leader.isEmpty())
                    m_leader = name;
            }
            m_reply.reset();
            m_next.start();
        }
        if (!m_reply && (!m_next.isValid() || m_next.elapsed() >= 100)) {
            const QStringList urls = Sandbox::patroniUrls();
            const QString url = urls.at(m_turn++ % urls.size());
            m_reply.reset(m_nam.get(QNetworkRequest(QUrl(url + QStringLiteral("/cluster")))));
        }
        return m_leader;
    }

private:
    QString m_old, m_leader;
    QNetworkAccessManager m_nam;
    std::unique_ptr<QNetworkReply> m_reply;
    QElapsedTimer m_next;
    int m_turn = 0;
};

} // namespace

// The leader crashes (SIGKILL of its Patroni and PostgreSQL): the window shows the crash at once
// and the new leader within a poll interval + 0.5 s of Patroni promoting it.
TEST_F(FaultDrill, LeaderKilled)
{
    Drill drill(QStringLiteral("leader-sigkill"));
    const QString old = win().last()->leader()->name;
    const int intervalMs = win().launch.profile->stateIntervalMs;
    Cleanup heal{[] {
        Sandbox::ensureHealthy();
    }};
    PromotionWatch watch(old);
    ASSERT_EQ(sandbox({QStringLiteral("kill-leader")}).exitCode, 0);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            watch.poll();
            return win()
                       .memberCell(old, models::MembersModel::Rest)
                       .startsWith(QLatin1String("Unreachable")) &&
                   win()
                       .memberCell(old, models::MembersModel::Sql)
                       .startsWith(QLatin1String("Unreachable"));
        },
        15000))
        << win().describe();
    drill.detected();
    const Run status = vigilStatus();
    EXPECT_NE(status.exitCode, 0) << show(status);
    EXPECT_EQ(channelState(statusMember(status, old), "rest"), QStringLiteral("unreachable"))
        << show(status);

    QString promoted;
    ASSERT_TRUE(waitUntil([&] { return !(promoted = watch.poll()).isEmpty(); }, 90000))
        << "Patroni promoted nobody within 90 s";
    QElapsedTimer sincePromotion;
    sincePromotion.start();
    ASSERT_TRUE(waitUntil([&] { return win().leaderShown() == promoted; }, 30000))
        << win().describe();
    const qint64 shownMs = sincePromotion.elapsed();
    std::cout << "[ figures  ] " << promoted.toStdString() << " promoted "
              << drill.sinceFault.elapsed() / 1000.0 - shownMs / 1000.0
              << " s after the crash, shown " << shownMs << " ms after Patroni promoted it\n";
    EXPECT_LE(shownMs, intervalMs + 500) << "failover shown within a poll interval + 0.5 s";
    expectHealed(drill);
    drill.finish();
}
