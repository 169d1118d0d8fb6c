#pragma once

// The password rotation tests' fixture (rotation_test.cpp): a role of its own with a known
// password, its line in PgBouncer's auth_file, statement logging on through Patroni, and
// synchronous helpers (tests only) for SQL, discovery and rotation. TearDown restores everything.

#include "services/core/auditlog.h"
#include "services/operations/operationcontext.h"
#include "services/patroni/patroniclient.h"
#include "services/postgres/pgsession.h"
#include "services/proxies/pgbouncerclient.h"
#include "services/security/passwordgenerator.h"
#include "services/security/passwordrotator.h"
#include "services/security/pgbounceruserlist.h"
#include "services/security/rotationdiscovery.h"
#include "services/security/scramverifier.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <iostream>

namespace vigil::test {

class RotationTest : public ::testing::Test
{
protected:
    struct Answer
    {
        services::PgResult result;
        services::ServiceError error;
    };

    static services::PgConnectionSettings settings(const QString &conninfo,
                                                   QList<QPair<QString, QString>> overrides = {})
    {
        services::PgConnectionSettings s;
        s.conninfo = conninfo;
        s.overrides = std::move(overrides);
        return s;
    }

    // One statement on a fresh connection; waits for the answer.
    static Answer run(const services::PgConnectionSettings &s, const QString &sql,
                      bool simple = false)
    {
        services::PgSession session;
        session.open(s, std::chrono::milliseconds(10000));
        std::optional<Answer> answer;
        auto cb = [&](const services::PgResult &r, const services::ServiceError &e) {
            answer = Answer{r, e};
        };
        if (simple)
            session.execSimple(sql, cb, std::chrono::milliseconds(20000));
        else
            session.exec(sql, {}, cb, std::chrono::milliseconds(20000));
        EXPECT_TRUE(waitUntil([&] { return answer.has_value(); }, 40000));
        return answer.value_or(Answer{});
    }

    // As the sandbox's superuser, on the leader (HAProxy's rw port; password from its pgpass).
    static Answer superuser(const QString &sql)
    {
        return run(settings(QStringLiteral("service=vigil-sandbox user=postgres")), sql);
    }

    static Answer bouncerAdmin(const QString &sql)
    {
        return run(settings(QStringLiteral("service=vigil-bouncer-admin")), sql, true);
    }

    // A fresh login as `role` with `password`, on the leader or through PgBouncer.
    static services::ServiceError login(const QString &role, const QString &password,
                                        bool viaPgBouncer)
    {
        const QString base = viaPgBouncer ? QStringLiteral("service=vigil-bouncer-admin")
                                          : QStringLiteral("service=vigil-sandbox");
        return run(settings(base, {{QStringLiteral("dbname"), QStringLiteral("postgres")},
                                   {QStringLiteral("user"), role},
                                   {QStringLiteral("password"), password},
                                   {QStringLiteral("passfile"), QStringLiteral("/dev/null")}}),
                   QStringLiteral("SELECT 1"))
            .error;
    }

    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_auditLog = m_tmp.filePath(QStringLiteral("audit.jsonl"));
        m_role = QStringLiteral("vigil_rotation_%1").arg(QCoreApplication::applicationPid());
        m_password = services::PasswordGenerator::generate();
        m_cluster = clusterName();
        ASSERT_FALSE(m_cluster.isEmpty());
        setStatementLogging(true);
        createRole();
        m_created = true;
    }

    void TearDown() override
    {
        if (!m_created)
            return;
        // Only a userlist read before the test changed it goes back: when createRole() failed
        // before reading it (a CREATE ROLE timed out at load 30, sanitized), writing the empty
        // one would lock every user out of PgBouncer and fail every later test on the sandbox.
        if (!m_userlistBefore.isEmpty()) {
            writeUserlist(m_userlistBefore);
            bouncerAdmin(QStringLiteral("RELOAD"));
        }
        // PgBouncer's pooled server connections of the role go first, then the role.
        superuser(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE usename = '%1'")
                      .arg(m_role));
        const Answer drop = superuser(QStringLiteral("DROP ROLE IF EXISTS %1").arg(m_role));
        EXPECT_FALSE(drop.error) << drop.error.toText().toStdString();
        setStatementLogging(false);
    }

    QString clusterName()
    {
        services::PatroniClient patroni(m_nam.get(), endpoint());
        QString scope;
        bool done = false;
        patroni.getPatroni([&](const services::Result<services::PatroniNodeStatus> &st) {
            if (st.ok())
                scope = st->scope;
            done = true;
        });
        EXPECT_TRUE(waitUntil([&] { return done; }, 20000));
        return scope;
    }

    services::PatroniEndpoint endpoint() const
    {
        services::PatroniEndpoint e;
        e.baseUrl = QUrl(Sandbox::patroniUrl());
        e.user = Sandbox::restUser();
        e.password = Sandbox::restPassword();
        return e;
    }

    // log_statement=all and log_min_duration_statement=0 through Patroni (PATCH /config), or
    // back to what they were (the sandbox keeps log_min_duration_statement in the DCS, so the
    // dynamic configuration decides it). Waits until the leader runs with both.
    void setStatementLogging(bool on)
    {
        auto shown = [this](const QString &name) {
            return superuser(QStringLiteral("SHOW ") + name).result.text(0, name);
        };
        if (on)
            m_savedDuration = shown(QStringLiteral("log_min_duration_statement"));
        services::PatroniClient patroni(m_nam.get(), endpoint());
        const QJsonValue statement = on ? QJsonValue(QStringLiteral("all")) : QJsonValue();
        const QJsonValue duration = on                          ? QJsonValue(0)
                                    : m_savedDuration.isEmpty() ? QJsonValue()
                                                                : QJsonValue(m_savedDuration);
        const QJsonObject patch{
            {QStringLiteral("postgresql"),
             QJsonObject{{QStringLiteral("parameters"),
                          QJsonObject{{QStringLiteral("log_statement"), statement},
                                      {QStringLiteral("log_min_duration_statement"), duration}}}}}};
        // Patroni answers 409 when its cached view of /config is older than the DCS (a PATCH
        // of the test before within its loop): what a DBA does, ask again after a moment.
        for (int attempt = 1;; ++attempt) {
            bool done = false;
            services::ServiceError error;
            patroni.patchConfig(patch,
                                [&](const services::Result<services::PatroniActionResult> &r) {
                                    if (!r.ok())
                                        error = r.error();
                                    done = true;
                                });
            ASSERT_TRUE(waitUntil([&] { return done; }, 20000));
            if (error.isError() && error.code == QLatin1String("409") && attempt < 5) {
                spin(1000);
                continue;
            }
            EXPECT_FALSE(error.isError()) << error.toText().toStdString();
            break;
        }
        const QString wantStatement = on ? QStringLiteral("all") : QStringLiteral("none");
        const QString wantDuration = on ? QStringLiteral("0") : m_savedDuration;
        EXPECT_TRUE(waitUntil(
            [&] {
                spin(500);
                return shown(QStringLiteral("log_statement")) == wantStatement &&
                       (wantDuration.isEmpty() ||
                        shown(QStringLiteral("log_min_duration_statement")) == wantDuration);
            },
            90000))
            << "log_statement did not become " << wantStatement.toStdString()
            << " and log_min_duration_statement " << wantDuration.toStdString();
    }

    QByteArray readUserlist() const
    {
        QFile f(Sandbox::dir() + QStringLiteral("/pgbouncer-users.txt"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    void writeUserlist(const QByteArray &content) const
    {
        const services::ServiceError e = services::PgBouncerUserlist::writeAtomically(
            Sandbox::dir() + QStringLiteral("/pgbouncer-users.txt"), content);
        EXPECT_FALSE(e) << e.toText().toStdString();
    }

    // The role, its first password set the way Vigil sets them (verifier only), its userlist line.
    void createRole()
    {
        services::PgSession session;
        session.open(settings(QStringLiteral("service=vigil-sandbox user=postgres")));
        std::optional<services::ServiceError> created;
        session.exec(
            QStringLiteral("CREATE ROLE %1 LOGIN").arg(m_role), {},
            [&](const services::PgResult &, const services::ServiceError &e) { created = e; });
        ASSERT_TRUE(waitUntil([&] { return created.has_value(); }, 20000));
        ASSERT_FALSE(*created) << created->toText().toStdString();
        QByteArray verifier;
        const services::Result<QString> sql =
            services::rolePasswordSql(session, m_role, m_password.toUtf8(), {}, &verifier);
        ASSERT_TRUE(sql.ok()) << sql.error().toText().toStdString();
        std::optional<services::ServiceError> set;
        session.exec(sql.value(), {},
                     [&](const services::PgResult &, const services::ServiceError &e) { set = e; });
        ASSERT_TRUE(waitUntil([&] { return set.has_value(); }, 20000));
        ASSERT_FALSE(*set) << set->toText().toStdString();
        m_userlistBefore = readUserlist();
        ASSERT_FALSE(m_userlistBefore.isEmpty());
        writeUserlist(services::PgBouncerUserlist::withLine(
            m_userlistBefore, m_role, services::PgBouncerUserlist::line(m_role, verifier)));
        ASSERT_FALSE(bouncerAdmin(QStringLiteral("RELOAD")).error);
        ASSERT_FALSE(login(m_role, m_password, true)) << "the test role cannot use PgBouncer";
    }

    services::OperationContext context() const
    {
        services::OperationContext ctx;
        ctx.nam = m_nam.get();
        ctx.profile.name = QStringLiteral("rotation-test");
        ctx.profile.patroniUrl = QUrl(Sandbox::patroniUrl());
        // Changing another role's password needs CREATEROLE: the sandbox's superuser (pgpass).
        ctx.profile.sqlConninfo = QStringLiteral("service=vigil-sandbox user=postgres");
        ctx.profile.pgbouncerConninfo = QStringLiteral("service=vigil-bouncer-admin");
        ctx.profile.restUser = Sandbox::restUser();
        ctx.profile.memberDeadlineMs = 10000;
        ctx.secrets.restPassword = Sandbox::restPassword();
        ctx.guard = std::make_shared<services::ReadOnlyGuard>(false);
        ctx.audit = std::make_shared<services::AuditLog>(m_auditLog);
        return ctx;
    }

    services::RotationTarget discover() const
    {
        services::RotationDiscovery discovery(context());
        std::optional<services::RotationTarget> target;
        QObject::connect(&discovery, &services::RotationDiscovery::finished,
                         [&](const services::RotationTarget &t) { target = t; });
        discovery.start();
        EXPECT_TRUE(waitUntil([&] { return target.has_value(); }, 60000));
        return target.value_or(services::RotationTarget{});
    }

    services::RotationReport rotate(const services::RotationTarget &target,
                                    const services::RotationRequest &request) const
    {
        services::PasswordRotator rotator(context(), nullptr);
        std::optional<services::RotationReport> report;
        QObject::connect(&rotator, &services::PasswordRotator::finished,
                         [&](const services::RotationReport &r) { report = r; });
        rotator.start(target, request);
        EXPECT_TRUE(waitUntil([&] { return report.has_value(); }, 120000));
        return report.value_or(services::RotationReport{});
    }

    // pg_authid holds a SCRAM verifier (and the expiry when given); the new password logs in on
    // the leader and through PgBouncer; the old one (when given) is refused on both.
    void expectRotated(const QString &oldPassword, const QString &newPassword,
                       const QString &validUntil)
    {
        const Answer a =
            superuser(QStringLiteral("SELECT rolpassword, rolvaliduntil::text FROM pg_authid WHERE "
                                     "rolname = '%1'")
                          .arg(m_role));
        ASSERT_FALSE(a.error) << a.error.toText().toStdString();
        EXPECT_TRUE(services::isScramSha256Verifier(
            a.result.text(0, QStringLiteral("rolpassword")).toLatin1()))
            << a.result.text(0, QStringLiteral("rolpassword")).left(14).toStdString();
        if (!validUntil.isEmpty())
            EXPECT_TRUE(a.result.text(0, QStringLiteral("rolvaliduntil")).startsWith(validUntil))
                << a.result.text(0, QStringLiteral("rolvaliduntil")).toStdString();
        for (const bool viaPgBouncer : {false, true}) {
            const services::ServiceError ok = login(m_role, newPassword, viaPgBouncer);
            EXPECT_FALSE(ok) << (viaPgBouncer ? "PgBouncer: " : "leader: ")
                             << ok.toText().toStdString();
            if (oldPassword.isEmpty())
                continue;
            const services::ServiceError old = login(m_role, oldPassword, viaPgBouncer);
            EXPECT_EQ(old.kind, services::ServiceError::Kind::Auth)
                << (viaPgBouncer ? "PgBouncer: " : "leader: ") << old.toText().toStdString();
        }
    }

    // The logging collector writes asynchronously: give it a moment before reading the files.
    static void flushServerLogs() { spin(1500); }

    std::unique_ptr<QNetworkAccessManager> m_nam;
    QString m_savedDuration; // log_min_duration_statement before setStatementLogging(true)
    QTemporaryDir m_tmp;
    QString m_auditLog, m_role, m_password, m_cluster;
    QByteArray m_userlistBefore;
    bool m_created = false;
};

} // namespace vigil::test
