#pragma once

#include <QString>

namespace vigil::services {

// New passwords from the operating system's CSPRNG (QRandomGenerator::system(): getrandom(2) or
// /dev/urandom on Linux), every character drawn uniformly from the alphabet (bounded(), no modulo
// bias). And a strength hint for typed passwords.
class PasswordGenerator
{
public:
    enum class Alphabet
    {
        Alphanumeric,        // A-Z a-z 0-9: safe in every config file and URI without quoting
        AlphanumericSymbols, // plus symbols that need no quoting in libpq conninfo or userlists
    };

    static constexpr int kDefaultLength = 32;
    static constexpr int kMinimumLength = 16;
    static constexpr int kMaximumLength = 128;

    static QString characters(Alphabet alphabet);
    // `length` is clamped to [kMinimumLength, kMaximumLength].
    static QString generate(int length = kDefaultLength,
                            Alphabet alphabet = Alphabet::Alphanumeric);
    // Bits of entropy of a generated password: length * log2(alphabet size).
    static double entropyBits(int length, Alphabet alphabet);
    // "Alphanumeric (62 characters), 32 characters long: 190 bits of entropy."
    static QString describe(int length, Alphabet alphabet);

    enum class Strength
    {
        Weak,
        Fair,
        Strong
    };
    // A rough estimate for a typed password: length times the log2 of the character classes
    // used; Strong from 100 bits, Fair from 60 bits. Shorter than kMinimumLength is Weak.
    static Strength strength(const QString &password);
    static QString strengthText(Strength strength);
};

} // namespace vigil::services
