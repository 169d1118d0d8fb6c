// The role wizard's SQL: the statements of the manual's two application roles, every identifier
// quoted (odd names included), the password statement only where a role is created, and an audit
// form without secrets.
#include "services/security/applicationroleplan.h"
#include "services/security/applicationroleservice.h"
#include "support/qtprinters.h"

#include <QJsonDocument>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
// PQescapeIdentifier's rule for UTF-8 (what PgSession::escapeIdentifier returns): double quotes
// around, inner double quotes doubled. The integration test runs the real one.
QString quote(const QString &id)
{
    QString inner = id;
    inner.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + inner + QLatin1Char('"');
}

ApplicationRolePlan reporting()
{
    ApplicationRolePlan p;
    p.kind = ApplicationRolePlan::Kind::Reporting;
    p.role = QStringLiteral("hokm_reports");
    p.database = QStringLiteral("hokm_game");
    return p;
}
} // namespace

TEST(ApplicationRolePlan, ReportingRoleIsTheManualsGrantsPlusReadOnlyDefault)
{
    const QStringList sql = applicationRoleStatements(
        reporting(), quote, QStringLiteral("ALTER ROLE \"hokm_reports\" PASSWORD 'SCRAM'"));
    EXPECT_EQ(sql,
              (QStringList{
                  QStringLiteral("CREATE ROLE \"hokm_reports\" WITH LOGIN NOSUPERUSER NOCREATEDB "
                                 "NOCREATEROLE NOREPLICATION"),
                  QStringLiteral("ALTER ROLE \"hokm_reports\" PASSWORD 'SCRAM'"),
                  QStringLiteral("ALTER ROLE \"hokm_reports\" SET default_transaction_read_only "
                                 "= on"),
                  QStringLiteral("GRANT CONNECT ON DATABASE \"hokm_game\" TO \"hokm_reports\""),
                  QStringLiteral("GRANT USAGE ON SCHEMA \"public\" TO \"hokm_reports\""),
                  QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA \"public\" TO "
                                 "\"hokm_reports\"")}));
}

TEST(ApplicationRolePlan, GameRoleGetsExactlyTheChosenTablesAndTheirSequences)
{
    ApplicationRolePlan p = reporting();
    p.kind = ApplicationRolePlan::Kind::Game;
    p.role = QStringLiteral("hokm_game_user");
    TableGrant sessions{QStringLiteral("public"),
                        QStringLiteral("game_sessions"),
                        true,
                        true,
                        true,
                        true,
                        {{QStringLiteral("public"), QStringLiteral("game_sessions_id_seq")}}};
    TableGrant readOnly{QStringLiteral("public"),
                        QStringLiteral("players"),
                        true,
                        false,
                        false,
                        false,
                        {{QStringLiteral("public"), QStringLiteral("players_id_seq")}}};
    TableGrant untouched{
        QStringLiteral("public"), QStringLiteral("secrets"), false, false, false, false, {}};
    p.tables = {sessions, readOnly, untouched};
    const QStringList sql = applicationRoleStatements(p, quote);
    // No password statement given: none in the output.
    EXPECT_FALSE(sql.join(QLatin1Char('\n')).contains(QStringLiteral("PASSWORD")));
    EXPECT_FALSE(sql.join(QLatin1Char('\n')).contains(QStringLiteral("read_only")));
    EXPECT_TRUE(sql.contains(QStringLiteral("GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "
                                            "\"public\".\"game_sessions\" TO \"hokm_game_user\"")));
    EXPECT_TRUE(sql.contains(QStringLiteral("GRANT USAGE, SELECT ON SEQUENCE "
                                            "\"public\".\"game_sessions_id_seq\" TO "
                                            "\"hokm_game_user\"")));
    EXPECT_TRUE(sql.contains(
        QStringLiteral("GRANT SELECT ON TABLE \"public\".\"players\" TO \"hokm_game_user\"")));
    // SELECT only: no sequence; a table without privileges: not mentioned at all.
    EXPECT_FALSE(sql.join(QLatin1Char('\n')).contains(QStringLiteral("players_id_seq")));
    EXPECT_FALSE(sql.join(QLatin1Char('\n')).contains(QStringLiteral("secrets")));
    EXPECT_EQ(p.problem(), QString());
}

TEST(ApplicationRolePlan, OddNamesAreQuotedAndNeverTakenAsPlaceholders)
{
    ApplicationRolePlan p;
    p.kind = ApplicationRolePlan::Kind::Game;
    p.role = QStringLiteral("Game \"%1\" user; DROP ROLE postgres");
    p.database = QStringLiteral("db %2");
    p.schema = QStringLiteral("Sch\"ema");
    p.tables = {
        {QStringLiteral("Sch\"ema"), QStringLiteral("t%3;"), false, false, true, false, {}}};
    const QStringList sql = applicationRoleStatements(p, quote, QStringLiteral("PW"));
    const QString role = QStringLiteral("\"Game \"\"%1\"\" user; DROP ROLE postgres\"");
    EXPECT_EQ(sql.at(0), QStringLiteral("CREATE ROLE %1 WITH LOGIN NOSUPERUSER NOCREATEDB "
                                        "NOCREATEROLE NOREPLICATION")
                             .arg(role));
    EXPECT_EQ(sql.at(2), QStringLiteral("GRANT CONNECT ON DATABASE \"db %2\" TO ") + role);
    EXPECT_EQ(sql.at(3), QStringLiteral("GRANT USAGE ON SCHEMA \"Sch\"\"ema\" TO ") + role);
    EXPECT_EQ(sql.at(4),
              QStringLiteral("GRANT UPDATE ON TABLE \"Sch\"\"ema\".\"t%3;\" TO ") + role);
    const QString script = applicationRoleScript(sql);
    EXPECT_TRUE(script.startsWith(QStringLiteral("BEGIN;\n")));
    EXPECT_TRUE(script.endsWith(QStringLiteral(";\nCOMMIT;")));
}

TEST(ApplicationRolePlan, OnlyGrantLeavesTheRoleAndItsPasswordAlone)
{
    ApplicationRolePlan p = reporting();
    p.createRole = false;
    const QStringList sql = applicationRoleStatements(p, quote, QStringLiteral("PW"));
    EXPECT_FALSE(sql.join(QLatin1Char('\n')).contains(QStringLiteral("CREATE ROLE")));
    EXPECT_FALSE(sql.contains(QStringLiteral("PW")));
    EXPECT_TRUE(sql.first().startsWith(QStringLiteral("ALTER ROLE \"hokm_reports\" SET")));
}

TEST(ApplicationRolePlan, ProblemsAreSaid)
{
    ApplicationRolePlan p = reporting();
    p.role.clear();
    EXPECT_FALSE(p.problem().isEmpty());
    p.role = QStringLiteral("pg_reader");
    EXPECT_TRUE(p.problem().contains(QStringLiteral("pg_")));
    p = reporting();
    p.kind = ApplicationRolePlan::Kind::Game;
    EXPECT_TRUE(p.problem().contains(QStringLiteral("at least one privilege")));
}

TEST(ApplicationRolePlan, AuditFormHasThePlanAndNoSecret)
{
    ApplicationRolePlan p = reporting();
    p.kind = ApplicationRolePlan::Kind::Game;
    p.tables = {
        {QStringLiteral("public"), QStringLiteral("game_moves"), true, true, false, false, {}}};
    const QByteArray json = QJsonDocument(p.toAuditJson()).toJson(QJsonDocument::Compact);
    EXPECT_EQ(json, QByteArray("{\"create_role\":true,\"database\":\"hokm_game\",\"kind\":\"game\","
                               "\"role\":\"hokm_reports\",\"schema\":\"public\",\"tables\":{"
                               "\"public.game_moves\":[\"SELECT\",\"INSERT\"]}}"));
}

TEST(ApplicationRolePlan, PreviewMasksTheVerifier)
{
    const QString masked = ApplicationRoleService::maskVerifier(QStringLiteral(
        "ALTER ROLE \"r\" PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy'"));
    EXPECT_EQ(masked,
              QStringLiteral(
                  "ALTER ROLE \"r\" PASSWORD 'SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>'"));
}
