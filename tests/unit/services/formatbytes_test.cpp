// The one byte formatter of every layer (services/core/formatting.h): IEC units, 1 KiB = 1024 B.
#include "services/core/formatting.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using vigil::services::formatBytes;

TEST(FormatBytes, ExactBelowOneKibibyte)
{
    EXPECT_EQ(formatBytes(0), QStringLiteral("0 B"));
    EXPECT_EQ(formatBytes(1), QStringLiteral("1 B"));
    EXPECT_EQ(formatBytes(1023), QStringLiteral("1023 B"));
    EXPECT_EQ(formatBytes(-1023), QStringLiteral("-1023 B"));
}

TEST(FormatBytes, EachUnitStartsAt1024OfThePreviousOne)
{
    const qint64 kib = 1024, mib = kib * 1024, gib = mib * 1024, tib = gib * 1024;
    EXPECT_EQ(formatBytes(kib), QStringLiteral("1.0 KiB"));
    EXPECT_EQ(formatBytes(1536), QStringLiteral("1.5 KiB"));
    EXPECT_EQ(formatBytes(mib), QStringLiteral("1.0 MiB"));
    EXPECT_EQ(formatBytes(16 * mib), QStringLiteral("16 MiB"));
    EXPECT_EQ(formatBytes(gib), QStringLiteral("1.0 GiB"));
    EXPECT_EQ(formatBytes(tib), QStringLiteral("1.0 TiB"));
    // TiB is the last unit.
    EXPECT_EQ(formatBytes(2048 * tib), QStringLiteral("2048 TiB"));
}

TEST(FormatBytes, OneDecimalBelowTenNoneFromTenOn)
{
    EXPECT_EQ(formatBytes(10188), QStringLiteral("9.9 KiB")); // 9.949 KiB
    EXPECT_EQ(formatBytes(10189), QStringLiteral("10 KiB"));  // 9.950 KiB rounds to 10
    EXPECT_EQ(formatBytes(10240), QStringLiteral("10 KiB"));
    EXPECT_EQ(formatBytes(40LL * 1024 * 1024), QStringLiteral("40 MiB"));
    EXPECT_EQ(formatBytes(5LL * 1024 * 1024 + 512 * 1024), QStringLiteral("5.5 MiB"));
}

TEST(FormatBytes, AValueThatRoundsTo1024ShowsInTheNextUnit)
{
    EXPECT_EQ(formatBytes(1024 * 1024 - 1), QStringLiteral("1.0 MiB"));
    EXPECT_EQ(formatBytes(1023 * 1024), QStringLiteral("1023 KiB"));
    EXPECT_EQ(formatBytes(1024LL * 1024 * 1024 - 1), QStringLiteral("1.0 GiB"));
}

TEST(FormatBytes, NegativeKeepsItsSignAndUnknownIsADash)
{
    EXPECT_EQ(formatBytes(-2048), QStringLiteral("-2.0 KiB"));
    EXPECT_EQ(formatBytes(-16LL * 1024 * 1024), QStringLiteral("-16 MiB"));
    EXPECT_EQ(formatBytes(std::optional<qint64>{}), QStringLiteral("\u2014"));
    EXPECT_EQ(formatBytes(std::optional<qint64>{2048}), QStringLiteral("2.0 KiB"));
}
