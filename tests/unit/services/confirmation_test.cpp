#include "services/core/confirmation.h"

#include <gtest/gtest.h>

using vigil::services::confirmationMatches;

TEST(Confirmation, TheNameExactlyApartFromSurroundingBlanks)
{
    const QString cluster = QStringLiteral("hokm-ha");
    EXPECT_TRUE(confirmationMatches(QStringLiteral("hokm-ha"), cluster));
    EXPECT_TRUE(confirmationMatches(QStringLiteral("  hokm-ha\n"), cluster));
    EXPECT_FALSE(confirmationMatches(QStringLiteral("HOKM-HA"), cluster));
    EXPECT_FALSE(confirmationMatches(QStringLiteral("hokm-h"), cluster));
    EXPECT_FALSE(confirmationMatches(QStringLiteral("hokm - ha"), cluster));
    EXPECT_FALSE(confirmationMatches(QString(), cluster));
}

TEST(Confirmation, AnUnknownNameCannotBeConfirmed)
{
    EXPECT_FALSE(confirmationMatches(QString(), QString()));
    EXPECT_FALSE(confirmationMatches(QStringLiteral("  "), QString()));
}
