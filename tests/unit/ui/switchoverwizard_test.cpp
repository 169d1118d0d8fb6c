// The switchover and failover wizards offscreen, fed with a snapshot recorded on the sandbox
// (no network): page flow, a failed pre-flight keeping Next disabled, the typed confirmation,
// and a screenshot of every page that does not need a live cluster (the execute and report
// pages are shot by tests/integration/operations_test.cpp on the real sandbox).
#include "services/monitor/snapshotjson.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/operations/failoverwizard.h"
#include "ui/operations/switchoverwizard.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;
using vigil::ui::FailoverWizard;
using vigil::ui::SwitchoverWizard;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/") + name);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name;
    return f.readAll();
}

ClusterSnapshot recorded()
{
    auto r = snapshotFromJson(
        QJsonDocument::fromJson(fixture(QStringLiteral("operations/snapshot-healthy.json")))
            .object());
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : ClusterSnapshot{};
}

PreflightInput inputFor(const ClusterSnapshot &s)
{
    PreflightInput in;
    in.snapshot = std::make_shared<ClusterSnapshot>(s);
    in.config = parsePatroniConfig(fixture(QStringLiteral("operations/config.json"))).value();
    in.pgbouncerConfigured = true;
    QMap<QString, QString> cfg;
    for (const QByteArray &line :
         fixture(QStringLiteral("operations/pgbouncer-show-config.tsv")).split('\n')) {
        const auto f = line.split('\t');
        if (f.size() >= 2)
            cfg.insert(QString::fromUtf8(f[0]), QString::fromUtf8(f[1]));
    }
    in.pgbouncerConfig = cfg;
    in.leaderSessions = LeaderActivity{0, 0, 0, 4};
    return in;
}

QString replica(const ClusterSnapshot &s)
{
    for (const auto &m : s.members)
        if (!m.isLeader())
            return m.name;
    return {};
}

void shoot(QWidget *w, const QString &name)
{
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    EXPECT_TRUE(w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

OperationContext context(QNetworkAccessManager *nam)
{
    OperationContext c;
    c.nam = nam;
    c.profile.name = QStringLiteral("sandbox");
    c.profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    c.profile.pgbouncerConninfo = QStringLiteral("service=none");
    c.guard = std::make_shared<ReadOnlyGuard>(false);
    return c;
}

} // namespace

TEST(SwitchoverWizard, GreenPathToTheConfirmationWithScreenshots)
{
    QNetworkAccessManager nam;
    const ClusterSnapshot s = recorded();
    SwitchoverWizard w(context(&nam), std::make_shared<ClusterSnapshot>(s));
    w.setPreflightInput(inputFor(s));
    w.resize(900, 680);
    w.show();
    ASSERT_EQ(w.candidateBox()->count(), 3); // Patroni's choice + two replicas
    w.candidateBox()->setCurrentIndex(w.candidateBox()->findData(replica(s)));
    EXPECT_TRUE(w.pauseClientsBox()->isChecked());
    shoot(&w, QStringLiteral("ui-switchover-1-choose"));
    w.next();
    ASSERT_EQ(w.currentId(), SwitchoverWizard::PreflightPage);
    ASSERT_FALSE(w.checks().isEmpty());
    EXPECT_NE(worstVerdict(w.checks()), PreflightCheck::Verdict::Red);
    EXPECT_TRUE(w.button(QWizard::NextButton)->isEnabled());
    shoot(&w, QStringLiteral("ui-switchover-2-preflight"));
    w.next();
    ASSERT_EQ(w.currentId(), SwitchoverWizard::ConfirmPage);
    EXPECT_FALSE(w.button(QWizard::CommitButton)->isEnabled());
    w.confirmationEdit()->setText(QStringLiteral("hokm-HA"));
    EXPECT_FALSE(w.button(QWizard::CommitButton)->isEnabled());
    w.confirmationEdit()->setText(s.scope);
    EXPECT_TRUE(w.button(QWizard::CommitButton)->isEnabled());
    EXPECT_TRUE(w.plan().summary().contains(replica(s)));
    shoot(&w, QStringLiteral("ui-switchover-3-confirm"));
}

TEST(SwitchoverWizard, FailedPreflightKeepsNextDisabled)
{
    QNetworkAccessManager nam;
    ClusterSnapshot s = recorded();
    const QString cand = replica(s);
    for (auto &m : s.members)
        if (m.name == cand) {
            m.tags.insert(QStringLiteral("nofailover"), true);
            m.lagBytes = 3 * 1024 * 1024;
        }
    SwitchoverWizard w(context(&nam), std::make_shared<ClusterSnapshot>(s));
    w.setPreflightInput(inputFor(s));
    w.resize(900, 680);
    w.show();
    w.candidateBox()->setCurrentIndex(w.candidateBox()->findData(cand));
    w.pauseClientsBox()->setChecked(false);
    w.next();
    ASSERT_EQ(w.currentId(), SwitchoverWizard::PreflightPage);
    EXPECT_EQ(worstVerdict(w.checks()), PreflightCheck::Verdict::Red);
    EXPECT_FALSE(w.button(QWizard::NextButton)->isEnabled());
    shoot(&w, QStringLiteral("ui-switchover-2-preflight-failed"));
}

TEST(FailoverWizard, SituationRanksCandidatesAndConfirmNeedsTheName)
{
    QNetworkAccessManager nam;
    ClusterSnapshot s = recorded();
    const QString leader = s.leader()->name;
    for (auto &m : s.members) {
        if (m.name == leader) {
            m.rest.state = ChannelStatus::State::Unreachable;
            m.rest.error =
                ServiceError::make(ServiceError::Kind::Connect, QStringLiteral("GET /patroni"),
                                   m.apiUrl.authority(), {}, QStringLiteral("Connection refused"));
            if (m.patroni)
                m.patroni->walLocation = 50000000;
        } else if (m.patroni) {
            m.patroni->receivedLocation = m.patroni->replayedLocation =
                m.name == replica(s) ? 49990000 : 49000000;
        }
    }
    FailoverWizard w(context(&nam), std::make_shared<ClusterSnapshot>(s));
    w.resize(900, 640);
    w.show();
    EXPECT_EQ(w.candidate(), replica(s)) << "the best candidate is pre-selected";
    EXPECT_EQ(failoverPreflight(s, w.candidate()).value(2).verdict, PreflightCheck::Verdict::Amber)
        << "10000 bytes behind the last known leader position";
    shoot(&w, QStringLiteral("ui-failover-1-situation"));
    w.next();
    ASSERT_EQ(w.currentId(), FailoverWizard::ConfirmPage);
    EXPECT_FALSE(w.button(QWizard::CommitButton)->isEnabled());
    w.confirmationEdit()->setText(s.scope);
    EXPECT_TRUE(w.button(QWizard::CommitButton)->isEnabled());
    shoot(&w, QStringLiteral("ui-failover-2-confirm"));
}
