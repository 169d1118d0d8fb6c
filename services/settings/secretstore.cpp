#include "services/settings/secretstore.h"

namespace vigil::services {

QString SecretStore::keyFor(const QString &profileName, Slot slot)
{
    const char *suffix = "sql";
    switch (slot) {
    case Slot::Sql:
        suffix = "sql";
        break;
    case Slot::Rest:
        suffix = "rest";
        break;
    case Slot::PgBouncer:
        suffix = "pgbouncer";
        break;
    case Slot::HaproxyStats:
        suffix = "haproxy";
        break;
    case Slot::Prometheus:
        suffix = "prometheus";
        break;
    }
    return QStringLiteral("profile/%1/%2").arg(profileName, QLatin1String(suffix));
}

QString SecretStore::describe(const Outcome &outcome)
{
    switch (outcome.failure) {
    case Failure::None:
        return Tr::tr("The password was stored in the system keychain.");
    case Failure::NotFound:
        return Tr::tr("No password is stored for this cluster.");
    case Failure::NoBackend:
        return Tr::tr("No keychain service is running on this machine (%1). Vigil does not "
                      "write passwords to disk: you can use the password for this session only, "
                      "or start a keychain (for example GNOME Keyring or KWallet) and try again.")
            .arg(outcome.message);
    case Failure::Denied:
        return Tr::tr("The keychain refused access to the password (%1).").arg(outcome.message);
    case Failure::Other:
        return Tr::tr("The keychain reported an error: %1").arg(outcome.message);
    }
    return outcome.message;
}

} // namespace vigil::services
