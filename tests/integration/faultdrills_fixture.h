#pragma once
// The fault drills' harness (faultdrills_test.cpp): the real main window as `vigil-gui
// --patroni` builds it, `vigil status` and sandbox.sh run while the event loop turns, the stall
// probe and detection clock of one drill, and the suite's fixture (one window for all drills).

#include "app/gui/compositionroot.h"
#include "app/gui/guilaunch.h"
#include "models/clusterwatch.h"
#include "models/findingsmodel.h"
#include "models/membersmodel.h"
#include "services/core/stallprobe.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"
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
#include <QPixmap>
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
using test::Cleanup;
using test::ProcessRun;
using test::runInLoop;
using test::Sandbox;
using test::waitUntil;

namespace {

const QString kCluster = QStringLiteral("hokm-ha");
// The UI thread's budget per drill (issue 18: 50 ms), asserted by the plain build (tests/run.sh's
// main run). A sanitized build prints the figures but does not hold them to it: instrumented
// painting and allocation cost from 2 times (MainWindow.Screenshots: 2.0 s plain, 3.8 s
// sanitized) to over 10 times as much (etcd-killed: the loop held 19.8 ms plain, 243 ms on a CPU
// sanitized), so there the figure measures the instrumentation; the sanitized run checks memory
// and undefined behaviour, and every functional check of the drills.
constexpr double kStallBudgetMs = 50.0;
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAssertStallBudget = false;
#else
constexpr bool kAssertStallBudget = true;
#endif

// ---- processes run while the event loop turns ---------------------------------------------

ProcessRun sandbox(const QStringList &args, int timeoutMs = 240000)
{
    return runInLoop(QStringLiteral(VIGIL_SANDBOX_SCRIPT), args, timeoutMs);
}

// `vigil status --json` on the sandbox; `extra` adds options (the TLS drills' CA and
// certificate files).
ProcessRun vigilStatus(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                       const QStringList &extra = {})
{
    return runInLoop(QStringLiteral(VIGIL_BINARY),
                     Sandbox::statusArguments(true) + QStringList{QStringLiteral("--json")} + extra,
                     30000, env);
}

// The JSON finding with `code` ("dcs_unreachable"), optionally of `member`; empty when none.
QJsonObject statusFinding(const ProcessRun &r, const QString &code,
                          const QString &member = QString())
{
    for (const auto &f : r.json.value(QLatin1String("findings")).toArray()) {
        const QJsonObject o = f.toObject();
        if (o.value(QLatin1String("code")).toString() == code &&
            (member.isNull() || o.value(QLatin1String("member")).toString() == member))
            return o;
    }
    return {};
}

QJsonObject statusMember(const ProcessRun &r, const QString &name)
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

// The real main window and composition root, as `vigil-gui --patroni ...` builds them; the
// monitor polls every second (the profile's default). `adjust` changes the profile before it is
// opened, as the Add-cluster dialog would (the TLS drills set the CA and certificate files).
struct Window
{
    using Adjust = std::function<void(services::ClusterProfile &)>;
    explicit Window(const services::ClusterMonitor::Secrets &secrets = {},
                    const Adjust &adjust = {})
        : launch(app::parseGuiArguments(Sandbox::guiArguments(kCluster)))
        , window(launch.options)
        , profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr)
        , session(&window, &secretStore, &profiles)
    {
        window.resize(1440, 900);
        window.show();
        if (adjust)
            adjust(*launch.profile);
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
        probe.setStallThreshold(kStallBudgetMs);
        probe.start();
        // The drill's own children (sandbox.sh breaking and healing, vigil status) hold the
        // loop while they start (see setProcessStartGuard): the harness's, not the window's.
        test::setProcessStartGuard([this](bool starting) {
            if (!probe.running() && starting)
                return;
            if (starting) {
                probe.pause();
                pausedForStart = true;
            } else if (pausedForStart) {
                pausedForStart = false;
                probe.resume();
            }
        });
    }
    ~Drill()
    {
        test::setProcessStartGuard({});
        if (probe.running()) // the drill ended early (a failed assertion): say so
            finish(QStringLiteral(" (drill aborted)"));
    }
    void fault() { sinceFault.start(); }
    void detected() { detectedS = double(sinceFault.elapsed()) / 1000.0; }
    // What the window shows, for people to look at: ARTIFACTS/drill-NAME.png. Grabbing a whole
    // window is the harness's work, so the probe pauses meanwhile.
    void screenshot(QWidget &window)
    {
        probe.pause();
        QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
        window.grab().save(QStringLiteral(VIGIL_ARTIFACTS_DIR "/drill-%1.png").arg(name));
        probe.resume();
    }
    void finish(const QString &note = QString())
    {
        probe.stop();
        std::cout << "drill " << name.toStdString() << ": longest stall " << probe.longestMs()
                  << " ms, detected after " << detectedS << " s" << note.toStdString()
                  << " [of that stall " << probe.longestCpuWaitMs() << " ms waiting for a CPU, "
                  << probe.longestFrozenMs()
                  << " ms the whole process stopped; longest held by the loop itself "
                  << probe.longestOwnMs() << " ms at " << probe.longestOwnAtSeconds() << " s, "
                  << probe.longestOwnOnCpuMs() << " ms of it on a CPU, "
                  << probe.longestOwnHelperWaitMs()
                  << " ms more left out of it (of any stall, up to " << probe.longestHelperWaitMs()
                  << " ms) as the pool threads' wait for a CPU; " << probe.stalls()
                  << " ticks over " << kStallBudgetMs << " ms of " << probe.ticks()
                  << "; longest freeze of the process " << probe.longestFreezeMs() << " ms]"
                  << std::endl;
        if (kAssertStallBudget)
            EXPECT_LT(probe.longestOwnMs(), kStallBudgetMs)
                << name.toStdString() << ": the UI thread's loop was held for "
                << probe.longestOwnMs() << " ms";
        else
            std::cout << "  (sanitized build: the " << kStallBudgetMs
                      << " ms budget is asserted by the plain build only)" << std::endl;
    }

    QString name;
    services::StallProbe probe;
    QElapsedTimer sinceFault;
    double detectedS = -1;
    bool pausedForStart = false; // the probe is paused while the harness starts a child
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
        const ProcessRun up = sandbox({QStringLiteral("up")});
        ASSERT_EQ(up.exitCode, 0) << show(up);
        EXPECT_TRUE(waitUntil([this] { return win().showsHealthy(); }, 90000))
            << drill.name.toStdString() << ": the window did not show the cluster healed:\n"
            << win().describe();
        ProcessRun status;
        waitUntil(
            [&] {
                status = vigilStatus();
                return status.exitCode == 0;
            },
            30000);
        EXPECT_EQ(status.exitCode, 0) << drill.name.toStdString() << " healed?\n" << show(status);
    }

    inline static Window *s_window = nullptr;
    inline static QElapsedTimer s_suite;
};

namespace {

// Opens connections to 127.0.0.1:PORT as hokm_app (a client role, no reserved slot) until the
// server refuses ("too many clients"), prints "filled N: <the refusal>", holds them until its
// stdin closes, and meanwhile takes every slot that comes free again (every 50 ms): a slot
// freed (most likely PgBouncer closing an idle server connection) between the fill and `vigil
// status` let status in (1197 of 1200 in two runs on 2026-12-05). Python's psycopg2 (Patroni's
// own driver, so present wherever the sandbox runs): real backends from a process of their own,
// so the test's event loop never waits on them.
const char *kFiller = R"PY(
import sys, threading, time, psycopg2
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
def keep_full():
    while True:
        try:
            c = psycopg2.connect(host='127.0.0.1', port=port, dbname='postgres', user='hokm_app',
                                 application_name='vigil-drill-filler', connect_timeout=5)
            with lock:
                conns.append(c)
        except psycopg2.OperationalError:
            time.sleep(0.05)
threading.Thread(target=keep_full, daemon=True).start()
sys.stdin.read()
)PY";

} // namespace

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
