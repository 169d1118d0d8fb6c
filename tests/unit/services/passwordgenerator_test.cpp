// New passwords (services/security/passwordgenerator.h): length, alphabet, no repeats across
// draws, and the strength hint for typed passwords.
#include "services/security/passwordgenerator.h"
#include "support/qtprinters.h"

#include <QSet>
#include <gtest/gtest.h>

using namespace vigil::services;
using Alphabet = PasswordGenerator::Alphabet;

TEST(PasswordGenerator, LengthAndAlphabet)
{
    for (const Alphabet a : {Alphabet::Alphanumeric, Alphabet::AlphanumericSymbols}) {
        const QString chars = PasswordGenerator::characters(a);
        const QString pw = PasswordGenerator::generate(40, a);
        EXPECT_EQ(pw.size(), 40);
        for (const QChar c : pw)
            EXPECT_TRUE(chars.contains(c)) << pw.toStdString();
    }
    EXPECT_EQ(PasswordGenerator::generate(4).size(), PasswordGenerator::kMinimumLength);
    EXPECT_EQ(PasswordGenerator::generate().size(), PasswordGenerator::kDefaultLength);
    EXPECT_GE(PasswordGenerator::kDefaultLength, 32);
}

TEST(PasswordGenerator, NoQuotingNeeded)
{
    const QString chars = PasswordGenerator::characters(Alphabet::AlphanumericSymbols);
    for (const QChar c : QStringLiteral("'\"\\ #=@:/"))
        EXPECT_FALSE(chars.contains(c)) << QString(c).toStdString();
}

TEST(PasswordGenerator, DrawsDiffer)
{
    QSet<QString> seen;
    for (int i = 0; i < 200; ++i)
        seen.insert(PasswordGenerator::generate());
    EXPECT_EQ(seen.size(), 200);
    // Every character of the alphabet shows up over many draws (no truncated range).
    QSet<QChar> used;
    for (int i = 0; i < 200; ++i)
        for (const QChar c : PasswordGenerator::generate(64))
            used.insert(c);
    EXPECT_EQ(used.size(), PasswordGenerator::characters(Alphabet::Alphanumeric).size());
}

TEST(PasswordGenerator, EntropyAndStrength)
{
    EXPECT_NEAR(PasswordGenerator::entropyBits(32, Alphabet::Alphanumeric), 190.5, 0.5);
    EXPECT_TRUE(
        PasswordGenerator::describe(32, Alphabet::Alphanumeric).contains(QLatin1String("190")));
    using S = PasswordGenerator::Strength;
    EXPECT_EQ(PasswordGenerator::strength(QStringLiteral("short")), S::Weak);
    EXPECT_EQ(PasswordGenerator::strength(QStringLiteral("aaaaaaaaaaaaaaaa")), S::Fair);
    EXPECT_EQ(PasswordGenerator::strength(PasswordGenerator::generate()), S::Strong);
}
