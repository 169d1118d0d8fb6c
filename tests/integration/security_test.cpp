// Issue 14 section 3 on the real sandbox: the access view reads the sandbox's actual pg_hba
// rules, connections and ssl settings; the role wizard creates the manual's two application
// roles, and a login as each proves the privileges (the reporting role reads but cannot write,
// the game role does only what was granted). Screenshots of the access view and every wizard
// page go to VIGIL_ARTIFACTS_DIR. The roles are dropped afterwards.
#include "models/accessmodel.h"
#include "services/security/accessservice.h"
#include "troubleshooting_fixture.h"
#include "ui/security/accessview.h"
#include "ui/security/applicationrolewizard.h"

#include <QFile>
#include <QTabWidget>

using namespace vigil;
using namespace vigil::test;

namespace {
const QString kReports = QStringLiteral("it_hokm_reports");
// An odd name on purpose: quotes, a space and a placeholder, quoted by PQescapeIdentifier.
const QString kGame = QStringLiteral("it game \"user\" %1");
const QString kCluster = QStringLiteral("hokm-ha");

std::unique_ptr<services::MemberSessionPool> contextAs(const QString &user, const QString &audit)
{
    services::ClusterProfile profile;
    profile.name = QStringLiteral("sandbox");
    profile.patroniUrl = QUrl(Sandbox::patroniUrl());
    profile.sqlConninfo = QStringLiteral("dbname=postgres user=%1").arg(user);
    auto context = std::make_unique<services::MemberSessionPool>(
        profile, QString(), std::make_shared<services::ReadOnlyGuard>(false),
        std::make_shared<services::AuditLog>(audit));
    context->setMembers({{Sandbox::leaderName(), QStringLiteral("127.0.0.1"), leaderPort(), true}},
                        kCluster);
    return context;
}

void dropTestRoles()
{
    for (const QString &role : {kReports, kGame}) {
        const QString lit = QString(role).replace(QLatin1Char('\''), QStringLiteral("''"));
        const QString ident = QLatin1Char('"') +
                              QString(role).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                              QLatin1Char('"');
        psqlLeader(QStringLiteral("DO $$BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                                  "'%1') THEN EXECUTE 'DROP OWNED BY %2'; END IF; END$$")
                       .arg(lit, QString(ident).replace(QLatin1Char('\''), QStringLiteral("''"))));
        psqlLeader(QStringLiteral("DROP ROLE IF EXISTS %1").arg(ident), QStringLiteral("postgres"));
    }
}

// A fresh login as `user` with `password` on the leader's hokm_game (test-only wait).
std::unique_ptr<services::PgSession> loginAs(const QString &user, const QString &password)
{
    auto session = std::make_unique<services::PgSession>();
    services::PgConnectionSettings s;
    s.conninfo = QStringLiteral("host=127.0.0.1 dbname=hokm_game");
    s.overrides = {{QStringLiteral("port"), QString::number(leaderPort())},
                   {QStringLiteral("user"), user},
                   {QStringLiteral("password"), password},
                   {QStringLiteral("passfile"), QStringLiteral("/nonexistent")}};
    bool done = false, ok = false;
    QObject::connect(session.get(), &services::PgSession::opened, [&] { done = ok = true; });
    QObject::connect(session.get(), &services::PgSession::failed,
                     [&](const services::ServiceError &) { done = true; });
    session->open(s, std::chrono::milliseconds(8000));
    waitUntil([&] { return done; }, 15000);
    EXPECT_TRUE(ok) << "could not log in as " << user.toStdString();
    return session;
}

class SecurityTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        ASSERT_GT(leaderPort(), 0);
        ASSERT_TRUE(m_dir.isValid());
        m_auditPath = m_dir.filePath(QStringLiteral("audit.jsonl"));
        dropTestRoles();
    }
    void TearDown() override
    {
        if (Sandbox::available())
            dropTestRoles();
    }
    QTemporaryDir m_dir;
    QString m_auditPath;
};
} // namespace

TEST_F(SecurityTest, AccessViewShowsTheSandboxsRealRules)
{
    auto context = contextAs(QStringLiteral("postgres"), m_auditPath);
    // Ground truth: psql's own reading of pg_hba_file_rules on the leader.
    const QStringList truth =
        psqlLeader(QStringLiteral("SELECT line_number || ' ' || type || ' ' || auth_method || ' ' "
                                  "|| coalesce(address, '') FROM pg_hba_file_rules ORDER BY 1"),
                   QStringLiteral("postgres"))
            .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_FALSE(truth.isEmpty());
    // The sandbox's patroni.yml rules, as Patroni wrote them.
    EXPECT_TRUE(
        truth.join(QLatin1Char('\n')).contains(QStringLiteral("host scram-sha-256 127.0.0.1")));

    ui::AccessView view(context.get());
    view.resize(1200, 520);
    view.show();
    ASSERT_TRUE(waitUntil([&] { return view.rulesModel()->rowCount() > 0; }, 20000))
        << view.statusText().toStdString();
    const models::AccessModel *rules = view.rulesModel();
    QStringList shown;
    for (int r = 0; r < rules->rowCount(); ++r)
        shown << QStringLiteral("%1 %2 %3 %4")
                     .arg(rules->index(r, 0).data().toString(),
                          rules->index(r, 1).data().toString(),
                          rules->index(r, 6).data().toString(),
                          rules->index(r, 4).data().toString());
    shown.sort();
    QStringList expected = truth;
    expected.sort();
    EXPECT_EQ(shown, expected);
    // scram-sha-256 on loopback only: nothing to flag in the sandbox's rules.
    EXPECT_EQ(rules->flaggedCount(), 0);
    // Connections: ours is among them, over TCP on loopback without TLS, not flagged.
    ASSERT_TRUE(waitUntil([&] { return view.sessionsModel()->rowCount() > 0; }, 5000));
    EXPECT_EQ(view.sessionsModel()->flaggedCount(), 0);
    bool sawSsl = false;
    for (int r = 0; r < view.settingsModel()->rowCount(); ++r)
        sawSsl =
            sawSsl || view.settingsModel()->index(r, 0).data().toString() == QLatin1String("ssl");
    EXPECT_TRUE(sawSsl);
    spin(200);
    saveScreenshot(&view, QStringLiteral("security-access-rules.png"));
    view.tabs()->setCurrentIndex(1);
    spin(100);
    saveScreenshot(&view, QStringLiteral("security-access-connections.png"));
    view.tabs()->setCurrentIndex(2);
    spin(100);
    saveScreenshot(&view, QStringLiteral("security-access-settings.png"));
}

TEST_F(SecurityTest, WithoutSuperuserTheRulesPartSaysWhatIsMissing)
{
    auto context = contextAs(QStringLiteral("vigil"), m_auditPath);
    services::AccessService service(context->session(Sandbox::leaderName()));
    const auto r = await<services::AccessSnapshot>([&](auto cb) { service.fetch(cb); }, 20000);
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->ok()) << r->error().toText().toStdString();
    EXPECT_TRUE(r->value().rules.isEmpty());
    EXPECT_TRUE(r->value().rulesError.contains(QStringLiteral("GRANT EXECUTE ON FUNCTION "
                                                              "pg_hba_file_rules()")))
        << r->value().rulesError.toStdString();
    EXPECT_FALSE(r->value().sessions.isEmpty()); // pg_monitor sees the connections
    EXPECT_FALSE(r->value().settings.isEmpty());
}

namespace {
// Walks the wizard from the role page to the result, saving a screenshot of every page.
void runWizard(ui::ApplicationRoleWizard &wizard, const QString &shotPrefix)
{
    wizard.setTypedConfirmation(QString());
    for (int page = ui::ApplicationRoleWizard::RolePage;
         page != ui::ApplicationRoleWizard::ResultPage;) {
        if (page == ui::ApplicationRoleWizard::ConfirmPage)
            wizard.setTypedConfirmation(kCluster);
        spin(150);
        ASSERT_TRUE(wizard.currentPage()->isComplete())
            << "page " << wizard.currentId()
            << " incomplete: " << wizard.roleProblem().toStdString();
        if (!shotPrefix.isEmpty())
            saveScreenshot(&wizard, QStringLiteral("%1-%2.png").arg(shotPrefix).arg(page));
        wizard.next();
        ASSERT_NE(wizard.currentId(), page) << "the wizard did not move on from page " << page;
        page = wizard.currentId();
    }
    ASSERT_TRUE(waitUntil([&] { return wizard.executed(); }, 20000));
    spin(150);
    if (!shotPrefix.isEmpty())
        saveScreenshot(&wizard, QStringLiteral("%1-%2.png")
                                    .arg(shotPrefix)
                                    .arg(int(ui::ApplicationRoleWizard::ResultPage)));
}

bool waitForCatalog(ui::ApplicationRoleWizard &wizard)
{
    return waitUntil(
        [&] {
            return wizard.catalogLoaded() && wizard.plan().database == QLatin1String("hokm_game");
        },
        20000);
}

QString sqlstateOf(services::PgSession &session, const QString &sql)
{
    const SqlAnswer a = exec(session, sql);
    return a.error ? a.error.code : QStringLiteral("ok");
}
} // namespace

TEST_F(SecurityTest, RoleWizardCreatesTheReportingAndGameRoles)
{
    auto context = contextAs(QStringLiteral("postgres"), m_auditPath);
    const QString reportsPw = QStringLiteral("it-Reports-pw-7f3c9a1e5b2d4c6e8a0b");
    const QString gamePw = QStringLiteral("it-Game-pw-2b4d6f8a0c1e3a5b7d9f");

    // Reporting role: SELECT on every table of public, nothing else.
    {
        ui::ApplicationRoleWizard wizard(context.get());
        wizard.show();
        ASSERT_TRUE(waitForCatalog(wizard)) << wizard.roleProblem().toStdString();
        EXPECT_TRUE(wizard.catalog().roles.contains(QStringLiteral("hokm_app")));
        wizard.setRoleName(kReports);
        wizard.setTypedPassword(reportsPw);
        runWizard(wizard, QStringLiteral("security-role-wizard-reporting"));
        EXPECT_TRUE(wizard.resultText().startsWith(QStringLiteral("Done")))
            << wizard.resultText().toStdString();
        EXPECT_TRUE(wizard.previewText().contains(QStringLiteral(
            "GRANT SELECT ON ALL TABLES IN SCHEMA \"public\" TO \"it_hokm_reports\"")))
            << wizard.previewText().toStdString();
        EXPECT_FALSE(wizard.previewText().contains(reportsPw));
    }
    // Game role (odd name): SELECT and INSERT on game_moves only.
    {
        ui::ApplicationRoleWizard wizard(context.get());
        wizard.show();
        ASSERT_TRUE(waitForCatalog(wizard));
        wizard.setKind(services::ApplicationRolePlan::Kind::Game);
        wizard.setRoleName(kGame);
        wizard.next(); // to the privileges page
        wizard.setTablePrivileges(QStringLiteral("game_sessions"), false, false, false, false);
        wizard.setTablePrivileges(QStringLiteral("game_moves"), true, true, false, false);
        wizard.back();
        wizard.setTypedPassword(gamePw);
        runWizard(wizard, QStringLiteral("security-role-wizard-game"));
        EXPECT_TRUE(wizard.resultText().startsWith(QStringLiteral("Done")))
            << wizard.resultText().toStdString();
    }
    // The catalog agrees, independently of Vigil: a SCRAM verifier is stored.
    EXPECT_EQ(psqlLeader(QStringLiteral("SELECT left(rolpassword, 14) FROM pg_authid WHERE "
                                        "rolname = '%1'")
                             .arg(kReports),
                         QStringLiteral("postgres")),
              QStringLiteral("SCRAM-SHA-256$"));

    // Logins prove the privileges.
    auto reports = loginAs(kReports, reportsPw);
    EXPECT_EQ(sqlstateOf(*reports, QStringLiteral("SELECT count(*) FROM game_sessions")),
              QStringLiteral("ok"));
    EXPECT_EQ(sqlstateOf(*reports, QStringLiteral("SELECT count(*) FROM game_moves")),
              QStringLiteral("ok"));
    // Read-only by default (25006); and with that switched off, no privilege to write (42501).
    EXPECT_EQ(sqlstateOf(*reports, QStringLiteral("DELETE FROM game_moves WHERE false")),
              QStringLiteral("25006"));
    EXPECT_EQ(sqlstateOf(*reports, QStringLiteral("SET default_transaction_read_only = off")),
              QStringLiteral("ok"));
    EXPECT_EQ(sqlstateOf(*reports, QStringLiteral("DELETE FROM game_moves WHERE false")),
              QStringLiteral("42501"));
    EXPECT_EQ(sqlstateOf(*reports, QStringLiteral("INSERT INTO game_sessions (player_id) "
                                                  "VALUES (1)")),
              QStringLiteral("42501"));

    auto game = loginAs(kGame, gamePw);
    EXPECT_EQ(sqlstateOf(*game, QStringLiteral("SELECT count(*) FROM game_moves")),
              QStringLiteral("ok"));
    const QString gameId = psqlLeader(QStringLiteral("SELECT min(id) FROM game_sessions"));
    ASSERT_FALSE(gameId.isEmpty());
    // INSERT works, including the bigserial's sequence.
    EXPECT_EQ(sqlstateOf(*game, QStringLiteral("INSERT INTO game_moves (game_id, player_id, move) "
                                               "VALUES (%1, 1, 'it-security-move')")
                                    .arg(gameId)),
              QStringLiteral("ok"));
    EXPECT_EQ(sqlstateOf(*game, QStringLiteral("UPDATE game_moves SET move = 'x' WHERE false")),
              QStringLiteral("42501"));
    EXPECT_EQ(sqlstateOf(*game, QStringLiteral("SELECT count(*) FROM game_sessions")),
              QStringLiteral("42501"));
    psqlLeader(QStringLiteral("DELETE FROM game_moves WHERE move = 'it-security-move'"));

    // An existing name is refused on the role page, with what to do.
    {
        ui::ApplicationRoleWizard again(context.get());
        ASSERT_TRUE(waitForCatalog(again));
        again.setRoleName(kReports);
        EXPECT_TRUE(again.roleProblem().contains(QStringLiteral("exists already")));
        again.setOnlyGrant(true);
        EXPECT_EQ(again.roleProblem(), QString());
    }

    // The audit log has both creations and neither password nor verifier.
    QFile audit(m_auditPath);
    ASSERT_TRUE(audit.open(QIODevice::ReadOnly));
    const QByteArray log = audit.readAll();
    EXPECT_EQ(log.count("\"create_application_role\""), 2) << log.toStdString();
    EXPECT_FALSE(log.contains(reportsPw.toUtf8()));
    EXPECT_FALSE(log.contains(gamePw.toUtf8()));
    EXPECT_FALSE(log.contains("SCRAM-SHA-256$"));
}
