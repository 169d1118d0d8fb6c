#pragma once
// Shared by the sessions, locks and statements integration tests: the sandbox's leader, a
// MemberSessionPool on it (as the GUI builds it), sessions with a chosen application name,
// ground truth through the sandbox's own psql, and offscreen screenshots.

#include "services/diagnostics/membersessionpool.h"
#include "services/postgres/pgsession.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"

#include <QDir>
#include <QPixmap>
#include <QTemporaryDir>
#include <QWidget>
#include <gtest/gtest.h>
#include <memory>
#include <optional>

namespace vigil::test {

inline int leaderPort()
{
    const QString leader = Sandbox::leaderName();
    if (!leader.startsWith(QLatin1String("node")))
        return 0;
    return Sandbox::portBase() + 10 + leader.mid(4).toInt() - 1;
}

// Ground truth, independent of Vigil's code: psql as postgres on the leader.
inline QString psqlLeader(const QString &sql, const QString &db = QStringLiteral("hokm_game"))
{
    QString out;
    Sandbox::run({QStringLiteral("psql"), QStringLiteral("leader"), QStringLiteral("-d"), db,
                  QStringLiteral("-XAtq"), QStringLiteral("-c"), sql},
                 &out, 30000);
    return out.trimmed();
}

inline std::unique_ptr<services::MemberSessionPool> makeContext(const QString &auditPath)
{
    services::ClusterProfile profile;
    profile.name = QStringLiteral("sandbox");
    profile.patroniUrl = QUrl(Sandbox::patroniUrl());
    profile.sqlConninfo = QStringLiteral("dbname=postgres user=vigil");
    auto context = std::make_unique<services::MemberSessionPool>(
        profile, QString(), std::make_shared<services::ReadOnlyGuard>(false),
        std::make_shared<services::AuditLog>(auditPath));
    context->setMembers({{Sandbox::leaderName(), QStringLiteral("127.0.0.1"), leaderPort(), true}},
                        QStringLiteral("hokm-ha"));
    return context;
}

// An open session on the leader with the given application name (test-only wait).
inline std::unique_ptr<services::PgSession>
openSession(const QString &application, const QString &db = QStringLiteral("hokm_game"),
            const QString &user = QStringLiteral("vigil"))
{
    auto session = std::make_unique<services::PgSession>();
    services::PgConnectionSettings settings;
    settings.conninfo =
        QStringLiteral("host=127.0.0.1 port=%1 dbname=%2 user=%3").arg(leaderPort()).arg(db, user);
    settings.overrides = {{QStringLiteral("application_name"), application}};
    bool done = false, ok = false;
    QObject::connect(session.get(), &services::PgSession::opened, [&] { done = ok = true; });
    QObject::connect(session.get(), &services::PgSession::failed,
                     [&](const services::ServiceError &) { done = true; });
    session->open(settings, std::chrono::milliseconds(5000));
    waitUntil([&] { return done; }, 10000);
    EXPECT_TRUE(ok) << "could not open a session as " << application.toStdString();
    return session;
}

struct SqlAnswer
{
    services::PgResult result;
    services::ServiceError error;
    bool answered = false;
};

inline SqlAnswer exec(services::PgSession &session, const QString &sql,
                      const QVariantList &params = {}, int timeoutMs = 15000)
{
    SqlAnswer a;
    session.exec(
        sql, params,
        [&](const services::PgResult &r, const services::ServiceError &e) {
            a.result = r;
            a.error = e;
            a.answered = true;
        },
        std::chrono::milliseconds(timeoutMs));
    waitUntil([&] { return a.answered; }, timeoutMs + 5000);
    return a;
}

// Waits for a service call's single callback (test-only).
template <typename T, typename Call>
std::optional<services::Result<T>> await(Call call, int timeoutMs = 15000)
{
    std::optional<services::Result<T>> out;
    call([&](const services::Result<T> &r) { out.emplace(r); });
    waitUntil([&] { return out.has_value(); }, timeoutMs);
    return out;
}

inline QString saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name;
    EXPECT_TRUE(widget->grab().save(path)) << "could not save " << path.toStdString();
    return path;
}

// Starts the sandbox's workload (blocking tree, idle sessions, game traffic, slow queries) for
// the test and stops it afterwards.
class WorkloadTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        QString out;
        const int rc = Sandbox::run(
            {QStringLiteral("workload"), QStringLiteral("--seconds"), QStringLiteral("300")}, &out,
            120000);
        ASSERT_EQ(rc, 0) << "workload did not start:\n" << out.toStdString();
        m_workload = true;
        ASSERT_GT(leaderPort(), 0);
        ASSERT_TRUE(m_audit.isValid());
        m_context = makeContext(m_audit.filePath(QStringLiteral("audit.jsonl")));
    }
    void TearDown() override
    {
        m_context.reset();
        if (m_workload)
            Sandbox::run({QStringLiteral("workload"), QStringLiteral("stop")});
    }

    bool m_workload = false;
    QTemporaryDir m_audit;
    std::unique_ptr<services::MemberSessionPool> m_context;
};

} // namespace vigil::test
