#include "services/security/passwordgenerator.h"

#include "services/core/error.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace vigil::services {

QString PasswordGenerator::characters(Alphabet alphabet)
{
    QString chars =
        QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    // No quote, backslash, space, '#', '=', '@', ':' or '/': the password can be pasted into a
    // conninfo, a .pgpass line, a URI or a userlist without escaping.
    if (alphabet == Alphabet::AlphanumericSymbols)
        chars += QStringLiteral("-_.,;+*!?%&()[]{}<>^~");
    return chars;
}

QString PasswordGenerator::generate(int length, Alphabet alphabet)
{
    length = std::clamp(length, kMinimumLength, kMaximumLength);
    const QString chars = characters(alphabet);
    QRandomGenerator *rng = QRandomGenerator::system();
    QString password;
    password.reserve(length);
    for (int i = 0; i < length; ++i)
        password.append(chars.at(int(rng->bounded(quint32(chars.size())))));
    return password;
}

double PasswordGenerator::entropyBits(int length, Alphabet alphabet)
{
    return std::clamp(length, kMinimumLength, kMaximumLength) *
           std::log2(double(characters(alphabet).size()));
}

QString PasswordGenerator::describe(int length, Alphabet alphabet)
{
    const int n = int(characters(alphabet).size());
    const QString name = alphabet == Alphabet::Alphanumeric
                             ? Tr::tr("Letters and digits (%1 characters)").arg(n)
                             : Tr::tr("Letters, digits and symbols (%1 characters)").arg(n);
    return Tr::tr("%1, %2 characters long: %3 bits of entropy, from the system's CSPRNG.")
        .arg(name)
        .arg(std::clamp(length, kMinimumLength, kMaximumLength))
        .arg(int(entropyBits(length, alphabet)));
}

PasswordGenerator::Strength PasswordGenerator::strength(const QString &password)
{
    if (password.size() < kMinimumLength)
        return Strength::Weak;
    bool lower = false, upper = false, digit = false, other = false;
    for (const QChar c : password) {
        lower |= c.isLower();
        upper |= c.isUpper();
        digit |= c.isDigit();
        other |= !c.isLetterOrNumber();
    }
    const int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 32 : 0);
    const double bits = password.size() * std::log2(double(std::max(pool, 2)));
    return bits >= 100 ? Strength::Strong : bits >= 60 ? Strength::Fair : Strength::Weak;
}

QString PasswordGenerator::strengthText(Strength strength)
{
    switch (strength) {
    case Strength::Weak:
        return Tr::tr("Weak: use at least %1 characters of mixed kinds, or generate one.")
            .arg(kMinimumLength);
    case Strength::Fair:
        return Tr::tr("Fair: longer is better; a generated password has about 190 bits.");
    case Strength::Strong:
        return Tr::tr("Strong.");
    }
    return {};
}

} // namespace vigil::services
