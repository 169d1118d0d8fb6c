#include "services/diagnostics/lockservice.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::services;

TEST(LockService, ParsesTheServerAggregatedTree)
{
    PgResult r;
    r.columns = {
        QStringLiteral("root"),      QStringLiteral("pid"),        QStringLiteral("parent"),
        QStringLiteral("depth"),     QStringLiteral("in_cycle"),   QStringLiteral("direct"),
        QStringLiteral("total"),     QStringLiteral("blocked_by"), QStringLiteral("backend_start"),
        QStringLiteral("lock_mode"), QStringLiteral("wait_s"),     QStringLiteral("relation")};
    r.rows = {{QStringLiteral("100"), QStringLiteral("100"), QVariant(), QStringLiteral("0"),
               QStringLiteral("f"), QStringLiteral("2"), QStringLiteral("3"), QVariant(),
               QStringLiteral("t0"), QVariant(), QStringLiteral("15.3"), QVariant()},
              {QStringLiteral("100"), QStringLiteral("101"), QStringLiteral("100"),
               QStringLiteral("1"), QStringLiteral("f"), QStringLiteral("0"), QStringLiteral("0"),
               QStringLiteral("{100}"), QStringLiteral("t1"), QStringLiteral("ShareLock"),
               QStringLiteral("14"), QStringLiteral("game_sessions")}};
    const auto parsed = LockService::parse(r);
    ASSERT_TRUE(parsed.ok());
    const auto &s = parsed.value();
    ASSERT_EQ(s.nodes.size(), 2);
    EXPECT_TRUE(s.nodes.at(0).isRoot());
    EXPECT_FALSE(s.nodes.at(0).isWaiting());
    EXPECT_EQ(s.nodes.at(0).direct, 2);
    EXPECT_EQ(s.nodes.at(0).total, 3);
    EXPECT_EQ(s.nodes.at(1).parent, 100);
    EXPECT_EQ(s.nodes.at(1).blockedBy, QList<int>{100});
    EXPECT_EQ(s.nodes.at(1).lockMode, QStringLiteral("ShareLock"));
    EXPECT_EQ(s.rootCount(), 1);
    EXPECT_EQ(s.waitingCount(), 1);
}
