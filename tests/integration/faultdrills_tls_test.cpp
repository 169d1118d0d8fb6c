// TLS mismatch drills (issue 18 §3), on the TLS sandbox (`sandbox.sh up --tls`; tests/run.sh runs
// CTest label "tls" there): the real main window watches the cluster with a profile that verifies
// everything (verify-full SQL with the sandbox CA, https REST with the CA and the client
// certificate), then the profile is edited the way an incident starts (a CA renewed on one side
// only, a client certificate the REST API does not trust): the SQL CA wrong, the REST CA wrong, a
// client certificate from a foreign CA. For each: a clear state on screen (the members table's SQL
// or REST column and the alerts dock) and in `vigil status` (the failed channel, "certificate"),
// no crash, the UI thread's longest stall under 50 ms; then the profile gets the right files back
// and the window and `vigil status` show the cluster healed. One line per drill, as the other
// drills print it:
//   drill <name>: longest stall X ms, detected after Y s
#include "faultdrills_fixture.h"
#include "services/postgres/conninfo.h"
#include "support/foreignca.h"

namespace {

// The TLS files of a profile: the CA trusted for SQL and for REST, the REST client certificate.
struct TlsFiles
{
    QString sqlCa, restCa, restCert, restKey;
};

TlsFiles sandboxFiles()
{
    return {Sandbox::caFile(), Sandbox::caFile(), Sandbox::clientCert(), Sandbox::clientKey()};
}

// The window's profile with `f`, as the Add-cluster dialog saves it (a CA means verify-full).
void useTlsFiles(services::ClusterProfile &p, const TlsFiles &f)
{
    p.sqlConninfo = QStringLiteral("dbname=postgres user=vigil sslmode=verify-full sslrootcert=%1")
                        .arg(services::quotedConninfoValue(f.sqlCa));
    p.pgbouncerConninfo =
        QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=pgbouncer_admin "
                       "sslmode=verify-full sslrootcert=%2")
            .arg(Sandbox::pgbouncerPort())
            .arg(services::quotedConninfoValue(Sandbox::caFile()));
    p.restCaFile = f.restCa;
    p.restCertFile = f.restCert;
    p.restKeyFile = f.restKey;
}

// `vigil status --json` with the same files.
ProcessRun tlsStatus(const TlsFiles &f)
{
    return vigilStatus(QProcessEnvironment::systemEnvironment(),
                       {QStringLiteral("--rest-cacert"), f.restCa, QStringLiteral("--rest-cert"),
                        f.restCert, QStringLiteral("--rest-key"), f.restKey,
                        QStringLiteral("--sslrootcert"), f.sqlCa});
}

QString channelMessage(const QJsonObject &member, const char *channel)
{
    return member.value(QLatin1String(channel))
        .toObject()
        .value(QLatin1String("error"))
        .toObject()
        .value(QLatin1String("message"))
        .toString();
}

// Every member of `status` has `channel` unreachable with `words` in its error.
bool everyMemberFails(const ProcessRun &status, const char *channel, const QString &words)
{
    const QJsonArray members = status.json.value(QLatin1String("members")).toArray();
    if (members.isEmpty())
        return false;
    for (const auto &m : members)
        if (channelState(m.toObject(), channel) != QLatin1String("unreachable") ||
            !channelMessage(m.toObject(), channel).contains(words))
            return false;
    return true;
}

} // namespace

// One window for the TLS drills, opened with the right files; each drill edits its profile.
class TlsDrill : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_suite.start();
        s_dir = new QTemporaryDir;
        s_foreign = test::ForeignCa::make(s_dir->path());
    }
    static void TearDownTestSuite()
    {
        delete s_window;
        s_window = nullptr;
        delete s_dir;
        s_dir = nullptr;
        std::cout << "TLS drills: suite took " << s_suite.elapsed() / 1000 << " s" << std::endl;
    }
    void SetUp() override
    {
        VIGIL_REQUIRE_TLS_SANDBOX();
        ASSERT_TRUE(s_foreign.ok()) << s_foreign.error.toStdString();
        Sandbox::ensureHealthy();
        if (!s_window)
            s_window =
                new Window({}, [](services::ClusterProfile &p) { useTlsFiles(p, sandboxFiles()); });
        ASSERT_TRUE(waitUntil([] { return s_window->showsHealthy(); }, 60000))
            << "the window did not show a healthy cluster before the drill:\n"
            << s_window->describe();
    }
    Window &win() { return *s_window; }
    const test::ForeignCa &foreign() const { return s_foreign; }

    // The profile edited to `f` and saved: the window watches with those files from now on.
    void edit(const TlsFiles &f)
    {
        services::ClusterProfile p = *win().launch.profile;
        useTlsFiles(p, f);
        win().session.openProfile(p);
    }

    // The right files back: the window and `vigil status` show the cluster healed.
    void expectHealed(Drill &drill)
    {
        edit(sandboxFiles());
        EXPECT_TRUE(waitUntil([this] { return win().showsHealthy(); }, 30000))
            << drill.name.toStdString() << ": the window did not show the cluster healed:\n"
            << win().describe();
        const ProcessRun status = tlsStatus(sandboxFiles());
        EXPECT_EQ(status.exitCode, 0) << drill.name.toStdString() << " healed?\n" << show(status);
    }

    inline static Window *s_window = nullptr;
    inline static QTemporaryDir *s_dir = nullptr;
    inline static test::ForeignCa s_foreign;
    inline static QElapsedTimer s_suite;
};

// The profile trusts another CA than the one that signed the PostgreSQL servers' certificates
// (verify-full): every member's SQL column says libpq refused the certificate and what to change;
// REST (with the right CA) still answers, so the members and roles stay known.
//
// With SQL failing every cycle asks each member's GET /patroni (RestPoll::SqlFailed), so this
// drill found that Vigil left every https connection it had ended open and occupied: after a
// few cycles Qt's six connections per host were used up and every REST request of the window
// waited for its deadline (fixed in services/http/httpcall.cpp; unit test
// PatroniClientTls.HeldConnectionsAreClosedOnceTheExchangeEnds).
TEST_F(TlsDrill, SqlTrustsAnotherCa)
{
    Drill drill(QStringLiteral("tls-sql-wrong-ca"));
    const TlsFiles wrong{foreign().caFile, Sandbox::caFile(), Sandbox::clientCert(),
                         Sandbox::clientKey()};
    edit(wrong);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto s = win().last();
            if (!s || s->members.size() != 3)
                return false;
            for (const auto &m : s->members)
                if (!m.rest.ok() || !win()
                                         .memberCell(m.name, models::MembersModel::Sql)
                                         .contains(QLatin1String("certificate verify failed")))
                    return false;
            return win().showsFinding(Finding::Code::MemberUnreachable, {},
                                      QStringLiteral("certificate"));
        },
        20000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    EXPECT_FALSE(win().leaderShown().isEmpty()) << "REST still names the leader";

    const ProcessRun status = tlsStatus(wrong);
    EXPECT_NE(status.exitCode, 0) << show(status);
    EXPECT_TRUE(everyMemberFails(status, "sql", QStringLiteral("certificate verify failed")))
        << show(status);
    const QJsonObject f = statusFinding(status, QStringLiteral("member_unreachable"));
    EXPECT_TRUE(f.value(QLatin1String("message")).toString().contains(QLatin1String("sslrootcert")))
        << show(status);
    for (const auto &m : status.json.value(QLatin1String("members")).toArray())
        EXPECT_EQ(channelState(m.toObject(), "rest"), QStringLiteral("ok")) << show(status);
    expectHealed(drill);
    drill.finish();
}

// The profile trusts another CA for the Patroni REST API: no member answers REST (the handshake
// fails), the window says the cluster view could not be read and why; `vigil status` is UNKNOWN
// and names the certificate on every member's REST channel.
TEST_F(TlsDrill, RestTrustsAnotherCa)
{
    Drill drill(QStringLiteral("tls-rest-wrong-ca"));
    const TlsFiles wrong{Sandbox::caFile(), foreign().caFile, Sandbox::clientCert(),
                         Sandbox::clientKey()};
    edit(wrong);
    drill.fault();
    ASSERT_TRUE(waitUntil(
        [&] {
            return win().showsFinding(Finding::Code::DcsUnreachable, {},
                                      QStringLiteral("not a trusted CA"));
        },
        20000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    for (const auto &m : win().last()->members)
        EXPECT_TRUE(win()
                        .memberCell(m.name, models::MembersModel::Rest)
                        .contains(QLatin1String("certificate")))
            << win().describe();

    const ProcessRun status = tlsStatus(wrong);
    EXPECT_EQ(status.exitCode, 3) << "nothing answers: UNKNOWN\n" << show(status);
    EXPECT_TRUE(everyMemberFails(status, "rest", QStringLiteral("not a trusted CA")))
        << show(status);
    EXPECT_TRUE(statusFinding(status, QStringLiteral("dcs_unreachable"))
                    .value(QLatin1String("message"))
                    .toString()
                    .contains(QLatin1String("certificate")))
        << show(status);
    expectHealed(drill);
    drill.finish();
}

// The profile presents a client certificate from a CA the REST API does not trust: Patroni's
// server refuses the handshake (verify_client optional checks a certificate that is sent), so
// reads fail too. Vigil names the refused client certificate, not a network failure.
TEST_F(TlsDrill, RestRefusesTheClientCertificate)
{
    Drill drill(QStringLiteral("tls-rest-client-cert"));
    const TlsFiles wrong{Sandbox::caFile(), Sandbox::caFile(), foreign().clientCert,
                         foreign().clientKey};
    edit(wrong);
    drill.fault();
    // Every member's error names the client certificate: the TLS alert "unknown ca", or, when
    // the server's reset overtook its alert, the closed connection with the certificate named as
    // the likely reason (http::transportError).
    const QString refused = QStringLiteral("refused Vigil's TLS client certificate");
    ASSERT_TRUE(waitUntil(
        [&] { return win().showsFinding(Finding::Code::DcsUnreachable, {}, refused); }, 20000))
        << win().describe();
    drill.detected();
    drill.screenshot(win().window);
    for (const auto &m : win().last()->members)
        EXPECT_TRUE(win().memberCell(m.name, models::MembersModel::Rest).contains(refused))
            << win().describe();

    const ProcessRun status = tlsStatus(wrong);
    EXPECT_EQ(status.exitCode, 3) << "nothing answers: UNKNOWN\n" << show(status);
    EXPECT_TRUE(everyMemberFails(status, "rest", refused)) << show(status);
    EXPECT_TRUE(statusFinding(status, QStringLiteral("dcs_unreachable"))
                    .value(QLatin1String("message"))
                    .toString()
                    .contains(refused))
        << show(status);
    expectHealed(drill);
    drill.finish();
}
