#include "models/formatting.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::models;

TEST(Formatting, BytesAreTheServicesFormatter)
{
    // One formatter for every layer (tests/unit/services/formatbytes_test.cpp has the
    // boundaries): the models show IEC units like the services do.
    EXPECT_EQ(formatBytes(0), QStringLiteral("0 B"));
    EXPECT_EQ(formatBytes(1023), QStringLiteral("1023 B"));
    EXPECT_EQ(formatBytes(1536), QStringLiteral("1.5 KiB"));
    EXPECT_EQ(formatBytes(16LL * 1024 * 1024), QStringLiteral("16 MiB"));
    EXPECT_EQ(formatBytes(-2048), QStringLiteral("-2.0 KiB"));
    EXPECT_EQ(formatBytes(std::optional<qint64>{}), QStringLiteral("\u2014"));
}

TEST(Formatting, Seconds)
{
    EXPECT_EQ(formatSeconds(0.0123), QStringLiteral("12 ms"));
    EXPECT_EQ(formatSeconds(3.24), QStringLiteral("3.2 s"));
    EXPECT_EQ(formatSeconds(42.0), QStringLiteral("42 s"));
    EXPECT_EQ(formatSeconds(245.0), QStringLiteral("4 min 5 s"));
    EXPECT_EQ(formatDuration(7440), QStringLiteral("2 h 4 min"));
    EXPECT_EQ(formatDuration(2 * 86400 + 3 * 3600), QStringLiteral("2 d 3 h"));
    EXPECT_EQ(formatDuration(-1), QStringLiteral("\u2014"));
}
