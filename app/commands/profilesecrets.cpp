#include "app/commands/profilesecrets.h"

#include "app/tr.h"
#include "services/settings/secretstore.h"

#include <QEventLoop>
#include <QList>
#include <QTimer>
#include <functional>
#include <memory>

namespace vigil::app {

using services::SecretStore;
using Slot = SecretStore::Slot;

namespace {

QString slotName(Slot slot)
{
    switch (slot) {
    case Slot::Sql:
        return Tr::tr("SQL");
    case Slot::Rest:
        return Tr::tr("Patroni REST");
    case Slot::PgBouncer:
        return Tr::tr("PgBouncer");
    case Slot::HaproxyStats:
        return Tr::tr("HAProxy statistics");
    }
    return {};
}

// Why the keychain gave nothing, for a terminal (SecretStore::describe speaks to the window).
QString failureText(const SecretStore::Outcome &o)
{
    switch (o.failure) {
    case SecretStore::Failure::NoBackend:
        return Tr::tr("no keychain service is running (%1)").arg(o.message);
    case SecretStore::Failure::Denied:
        return Tr::tr("the keychain refused access (%1)").arg(o.message);
    default:
        return Tr::tr("the keychain reported an error (%1)").arg(o.message);
    }
}

// Where the password can come from instead.
QString fallbackHint(Slot slot)
{
    if (slot == Slot::Rest)
        return Tr::tr("set VIGIL_REST_PASSWORD for actions");
    return Tr::tr("libpq's own sources still apply: ~/.pgpass, PGPASSFILE, a service file");
}

QString keychainNote(const QString &profile, const SecretStore::Outcome &o)
{
    return Tr::tr("the passwords saved for profile '%1' were not read: %2. Going on without them "
                  "(SQL: libpq's own sources still apply, ~/.pgpass, PGPASSFILE, a service file; "
                  "REST: set VIGIL_REST_PASSWORD for actions).")
        .arg(profile, failureText(o));
}

// What read() collects; shared with the callbacks, which may outlive read() after its deadline.
struct Pending
{
    ProfileSecrets::Result result;
    bool done = false;
};

// Keeps one slot's answer in `result`: the password, or a note. Returns false when the keychain
// itself failed (no service, an error not about this entry): every further slot would fail
// alike, so one note says it for all of them.
bool take(ProfileSecrets::Result &result, const QString &profile, Slot slot,
          const SecretStore::Outcome &o, const QString &secret)
{
    services::ClusterMonitor::Secrets &secrets = result.secrets;
    switch (o.failure) {
    case SecretStore::Failure::None:
        (slot == Slot::Sql    ? secrets.sqlPassword
         : slot == Slot::Rest ? secrets.restPassword
                              : secrets.pgbouncerPassword) = secret;
        return true;
    case SecretStore::Failure::NotFound: // normal: libpq's own sources, or no password at all
        return true;
    case SecretStore::Failure::Denied:
        result.notes << Tr::tr("the %1 password of profile '%2' was not read: %3. Going on "
                               "without it (%4).")
                            .arg(slotName(slot), profile, failureText(o), fallbackHint(slot));
        return true;
    case SecretStore::Failure::NoBackend:
    case SecretStore::Failure::Other:
        result.notes << keychainNote(profile, o);
        return false;
    }
    return true;
}

} // namespace

ProfileSecrets::Result ProfileSecrets::read(SecretStore &store,
                                            const services::ClusterProfile &profile,
                                            const QString &restPassword, int deadlineMs)
{
    auto state = std::make_shared<Pending>();
    state->result.secrets.restPassword = restPassword;
    QList<Slot> wanted{Slot::Sql};
    if (restPassword.isEmpty() && !profile.restUser.isEmpty())
        wanted << Slot::Rest;
    if (!profile.pgbouncerConninfo.isEmpty())
        wanted << Slot::PgBouncer;

    QEventLoop loop;
    // One read after the other, as the window does (a keychain may prompt once per read).
    auto step = std::make_shared<std::function<void(int)>>();
    *step = [&store, &loop, state, step, wanted, name = profile.name](int i) {
        if (state->done)
            return;
        if (i == wanted.size()) {
            state->done = true;
            loop.quit();
            return;
        }
        const Slot slot = wanted.at(i);
        store.read(SecretStore::keyFor(name, slot),
                   [state, step, slot, i, name, n = wanted.size()](const SecretStore::Outcome &o,
                                                                   const QString &s) {
                       if (state->done)
                           return;
                       // After a failure of the keychain itself no further slot is asked.
                       (*step)(take(state->result, name, slot, o, s) ? i + 1 : int(n));
                   });
    };
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        state->done = true;
        state->result.notes << Tr::tr("the keychain did not answer within %1 s; going on without "
                                      "the passwords saved for profile '%2' (libpq's own sources "
                                      "and VIGIL_REST_PASSWORD still apply).")
                                   .arg(deadlineMs / 1000.0)
                                   .arg(profile.name);
        loop.quit();
    });
    deadline.start(deadlineMs);
    (*step)(0);
    if (!state->done)
        loop.exec();
    *step = nullptr; // break the self-reference
    return state->result;
}

} // namespace vigil::app
