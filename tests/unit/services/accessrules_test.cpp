// The access view's flag rules: pg_hba methods and addresses, non-TLS connections, ssl settings.
#include "services/security/accessrules.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
HbaRule rule(const char *type, const char *address, const char *netmask, const char *method)
{
    HbaRule r;
    r.line = 1;
    r.type = QLatin1String(type);
    r.database = QStringLiteral("all");
    r.user = QStringLiteral("all");
    r.address = QLatin1String(address);
    r.netmask = QLatin1String(netmask);
    r.method = QLatin1String(method);
    return r;
}
constexpr int kPg15 = 150018;
} // namespace

TEST(AccessRules, ScramOnLoopbackIsFine)
{
    const AccessFlag f =
        access::assessRule(rule("host", "127.0.0.1", "255.255.255.255", "scram-sha-256"), kPg15);
    EXPECT_EQ(f.severity, AccessSeverity::Ok);
    EXPECT_TRUE(f.why.isEmpty());
}

TEST(AccessRules, TrustIsCriticalOverTcpAndAWarningOnTheLocalSocket)
{
    const AccessFlag tcp =
        access::assessRule(rule("host", "10.0.0.0", "255.0.0.0", "trust"), kPg15);
    EXPECT_EQ(tcp.severity, AccessSeverity::Critical);
    EXPECT_TRUE(tcp.why.contains(QStringLiteral("without a password"))) << tcp.why.toStdString();
    const AccessFlag local = access::assessRule(rule("local", "", "", "trust"), kPg15);
    EXPECT_EQ(local.severity, AccessSeverity::Warning);
    EXPECT_TRUE(local.why.contains(QStringLiteral("operating-system user")))
        << local.why.toStdString();
}

TEST(AccessRules, PasswordAndMd5AreFlaggedWhereScramIsPossible)
{
    EXPECT_EQ(access::assessRule(rule("host", "10.0.0.0", "255.0.0.0", "md5"), kPg15).severity,
              AccessSeverity::Warning);
    EXPECT_EQ(
        access::assessRule(rule("hostssl", "10.0.0.0", "255.0.0.0", "password"), kPg15).severity,
        AccessSeverity::Warning);
    // PostgreSQL 9.6 has no SCRAM: md5 is the best it can do.
    EXPECT_EQ(access::assessRule(rule("host", "10.0.0.0", "255.0.0.0", "md5"), 90624).severity,
              AccessSeverity::Ok);
}

TEST(AccessRules, OpenToEveryAddressWithoutHostsslIsFlagged)
{
    // The manual's "hostssl all all 0.0.0.0/0 md5": TLS required, only the md5 finding.
    const AccessFlag ssl =
        access::assessRule(rule("hostssl", "0.0.0.0", "0.0.0.0", "scram-sha-256"), kPg15);
    EXPECT_EQ(ssl.severity, AccessSeverity::Ok);
    for (const auto &[address, netmask] :
         {std::pair{"0.0.0.0", "0.0.0.0"}, {"::", "::"}, {"all", ""}, {"0.0.0.0/0", ""}}) {
        const AccessFlag f =
            access::assessRule(rule("host", address, netmask, "scram-sha-256"), kPg15);
        EXPECT_EQ(f.severity, AccessSeverity::Warning) << address;
        EXPECT_TRUE(f.why.contains(QStringLiteral("hostssl"))) << f.why.toStdString();
    }
    // Open to all, no TLS and no password: the worst case, both findings named.
    const AccessFlag worst = access::assessRule(rule("host", "all", "", "trust"), kPg15);
    EXPECT_EQ(worst.severity, AccessSeverity::Critical);
    EXPECT_TRUE(worst.why.contains(QStringLiteral("trust")));
    EXPECT_TRUE(worst.why.contains(QStringLiteral("every address")));
    // A /8 is not "everyone".
    EXPECT_FALSE(access::isOpenToAll(rule("host", "10.0.0.0", "255.0.0.0", "scram-sha-256")));
    EXPECT_FALSE(access::isOpenToAll(rule("local", "", "", "peer")));
}

TEST(AccessRules, ALineWithAnErrorIsFlagged)
{
    HbaRule r = rule("host", "10.0.0.0", "255.0.0.0", "scram-sha-256");
    r.error = QStringLiteral("invalid IP mask");
    const AccessFlag f = access::assessRule(r, kPg15);
    EXPECT_EQ(f.severity, AccessSeverity::Warning);
    EXPECT_TRUE(f.why.contains(QStringLiteral("invalid IP mask")));
}

TEST(AccessRules, NonTlsConnectionsFromTheNetworkAreFlagged)
{
    SslSession s;
    s.pid = 42;
    s.clientAddr = QStringLiteral("10.1.2.3");
    EXPECT_EQ(access::assessSession(s).severity, AccessSeverity::Warning);
    EXPECT_TRUE(access::assessSession(s).why.contains(QStringLiteral("10.1.2.3")));
    s.ssl = true;
    EXPECT_EQ(access::assessSession(s).severity, AccessSeverity::Ok);
    s.ssl = false;
    for (const char *local : {"", "127.0.0.1", "127.0.0.53", "::1"}) {
        s.clientAddr = QLatin1String(local);
        EXPECT_EQ(access::assessSession(s).severity, AccessSeverity::Ok) << local;
    }
}

TEST(AccessRules, SettingsSslOffOnlyMattersBeyondLoopback)
{
    AccessSnapshot snap;
    snap.settings = {
        {QStringLiteral("listen_addresses"), QStringLiteral("*"), {}, {}, {}},
        {QStringLiteral("password_encryption"), QStringLiteral("md5"), {}, {}, {}},
        {QStringLiteral("server_version_num"), QStringLiteral("150018"), {}, {}, {}},
        {QStringLiteral("ssl"), QStringLiteral("off"), {}, {}, {}},
        {QStringLiteral("ssl_min_protocol_version"), QStringLiteral("TLSv1"), {}, {}, {}}};
    snap.rules = {rule("host", "10.0.0.0", "255.0.0.0", "md5")};
    access::assess(snap);
    EXPECT_EQ(snap.settings.at(0).flag.severity, AccessSeverity::Ok);
    EXPECT_EQ(snap.settings.at(1).flag.severity, AccessSeverity::Warning);
    EXPECT_EQ(snap.settings.at(3).flag.severity, AccessSeverity::Warning);
    EXPECT_EQ(snap.settings.at(4).flag.severity, AccessSeverity::Warning);
    EXPECT_EQ(snap.rules.at(0).flag.severity, AccessSeverity::Warning); // version read: 15
    snap.settings[0].value = QStringLiteral("127.0.0.1,::1");
    access::assess(snap);
    EXPECT_EQ(snap.settings.at(3).flag.severity, AccessSeverity::Ok);
}
