// HaproxyStatsClient against the sandbox's real HAProxy: the CSV parses, the read-write listen
// section ("rw" in packaging/sandbox/sandbox.sh) has exactly the Patroni leader UP and the
// read-only one ("ro") the two replicas, the HTML page is recognised, and a stopped HAProxy is
// a clear Connect error (HAProxy is started again whatever happens).
#include "services/proxies/haproxystatsclient.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <functional>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::Sandbox;
using vigil::test::waitUntil;

namespace {

const QString kRw = QStringLiteral("rw");
const QString kRo = QStringLiteral("ro");

struct Finally
{
    std::function<void()> fn;
    ~Finally()
    {
        if (fn)
            fn();
    }
};

Result<HaproxyStats> fetch(HaproxyStatsClient &client)
{
    std::optional<Result<HaproxyStats>> got;
    client.fetch([&](const Result<HaproxyStats> &r) { got = r; });
    EXPECT_TRUE(waitUntil([&] { return got.has_value(); }, 10000)) << "no callback";
    if (!got)
        return ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("test"), {}, {},
                                  {});
    return *got;
}

QStringList upServers(const HaproxyStats &s, const QString &proxy)
{
    QStringList up;
    for (const auto &r : s.servers(proxy)) {
        if (r.isUp())
            up << r.name;
    }
    return up;
}

class HaproxyIT : public ::testing::Test
{
protected:
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        // `sandbox.sh up` once per run (it takes seconds even when all is well); every test
        // restores what it changes.
        static bool healthy = false;
        if (!healthy) {
            Sandbox::ensureHealthy();
            healthy = !HasFatalFailure();
        }
    }
    QNetworkAccessManager m_nam;
};

} // namespace

TEST_F(HaproxyIT, RwHasExactlyTheLeaderUpAndRoTheReplicas)
{
    HaproxyStatsClient client(&m_nam, QUrl(Sandbox::haproxyStatsUrl()));
    const QString leader = Sandbox::leaderName();
    ASSERT_FALSE(leader.isEmpty());
    // HAProxy checks every second (fall 2, rise 1): right after `up` it may still catch up.
    std::optional<Result<HaproxyStats>> last;
    const bool settled = waitUntil(
        [&] {
            last = fetch(client);
            return last->ok() && upServers(last->value(), kRw) == QStringList{leader} &&
                   upServers(last->value(), kRo).size() == 2;
        },
        15000);
    ASSERT_TRUE(last->ok()) << last->error().toText().toStdString();
    const HaproxyStats &s = last->value();
    ASSERT_TRUE(settled) << "rw up: " << upServers(s, kRw).join(QLatin1Char(',')).toStdString()
                         << ", ro up: " << upServers(s, kRo).join(QLatin1Char(',')).toStdString();

    ASSERT_EQ(s.servers(kRw).size(), 3);
    ASSERT_EQ(s.servers(kRo).size(), 3);
    EXPECT_FALSE(upServers(s, kRo).contains(leader));
    ASSERT_NE(s.backend(kRw), nullptr);
    EXPECT_TRUE(s.backend(kRw)->isUp());
    EXPECT_TRUE(s.backend(kRo)->isUp());
    for (const auto &r : s.servers(kRw)) {
        if (r.name == leader) {
            EXPECT_EQ(r.checkStatus, QStringLiteral("L7OK"));
        } else {
            EXPECT_EQ(r.checkStatus, QStringLiteral("L7STS")) << "Patroni's /primary says 503";
        }
        EXPECT_TRUE(r.lastChangeSeconds.has_value());
    }
    bool frontend = false;
    for (const auto &r : s.rows)
        frontend |= r.proxy == kRw && r.type == HaproxyStatRow::Type::Frontend &&
                    r.status == QStringLiteral("OPEN");
    EXPECT_TRUE(frontend);
}

TEST_F(HaproxyIT, StatsPageWithoutCsvSuffixIsAClearParseError)
{
    QString url = Sandbox::haproxyStatsUrl();
    url.chop(4); // ";csv"
    HaproxyStatsClient client(&m_nam, QUrl(url));
    const auto r = fetch(client);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ServiceError::Kind::Parse);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral(";csv")));
}

TEST_F(HaproxyIT, StoppedHaproxyIsAConnectErrorNamingTheUrl)
{
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("stop"), QStringLiteral("haproxy")}, &out), 0)
        << out.toStdString();
    Finally restart{[] {
        Sandbox::run({QStringLiteral("start"), QStringLiteral("haproxy")});
    }};

    HaproxyStatsClient client(&m_nam, QUrl(Sandbox::haproxyStatsUrl()));
    QElapsedTimer clock;
    clock.start();
    const auto r = fetch(client);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ServiceError::Kind::Connect);
    EXPECT_TRUE(r.error().message.contains(Sandbox::haproxyStatsUrl()))
        << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("connection refused")));
    EXPECT_LT(clock.elapsed(), 2000);

    ASSERT_EQ(Sandbox::run({QStringLiteral("start"), QStringLiteral("haproxy")}, &out), 0)
        << out.toStdString();
    EXPECT_TRUE(waitUntil([&] { return fetch(client).ok(); }, 10000)) << "HAProxy is back";
}
