#include "services/core/readonlyguard.h"
#include "services/diagnostics/sessionsservice.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;

TEST(ReadOnlyGuard, RefusesOnlyInReadOnlyMode)
{
    ReadOnlyGuard guard(false);
    EXPECT_FALSE(guard.check(QStringLiteral("terminate")).isError());
    guard.setReadOnly(true);
    const ServiceError e = guard.check(QStringLiteral("terminate"));
    EXPECT_EQ(e.kind, ServiceError::Kind::Refused);
    EXPECT_EQ(e.what, QStringLiteral("terminate"));
}

// The guard sits below the UI: a service asked to terminate in read-only mode refuses without
// touching the connection (there is none here: a query would fail differently), and audits it.
TEST(ReadOnlyGuard, SessionsServiceRefusesAndAudits)
{
    QTemporaryDir dir;
    auto audit = std::make_shared<AuditLog>(dir.filePath(QStringLiteral("audit.jsonl")));
    auto guard = std::make_shared<ReadOnlyGuard>(true);
    SessionsService service(nullptr,
                            {QStringLiteral("hokm-ha"), QStringLiteral("node1"), guard, audit});
    int calls = 0;
    ServiceError seen;
    service.signal(SignalAction::Terminate,
                   {{{4711, QStringLiteral("2026-11-27 00:00:00+00")}, {}, {}, {}, {}}},
                   [&](const Result<QList<SignalOutcome>> &r) {
                       ++calls;
                       ASSERT_FALSE(r.ok());
                       seen = r.error();
                   });
    EXPECT_EQ(calls, 0) << "the refusal is an answer from the event loop, as every answer";
    ASSERT_TRUE(vigil::test::waitUntil([&] { return calls > 0; }, 5000));
    QCoreApplication::processEvents();
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(seen.kind, ServiceError::Kind::Refused);
    const auto entries = audit->readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries.at(0).result, QStringLiteral("refused"));
    EXPECT_EQ(entries.at(0).action, QStringLiteral("terminate_backend"));
    EXPECT_EQ(entries.at(0).member, QStringLiteral("node1"));
}

TEST(ReadOnlyGuard, NoGuardMeansRefused)
{
    SessionsService service(nullptr, {});
    ServiceError seen;
    service.signal(
        SignalAction::Cancel, {{{1, QStringLiteral("x")}, {}, {}, {}, {}}},
        [&](const Result<QList<SignalOutcome>> &r) { seen = r.ok() ? ServiceError{} : r.error(); });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return seen.isError(); }, 5000));
    EXPECT_EQ(seen.kind, ServiceError::Kind::Refused);
}
