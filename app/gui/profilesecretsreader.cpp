#include "app/gui/profilesecretsreader.h"

#include "services/settings/secretstore.h"

#include <QPointer>
#include <memory>

namespace vigil::app {

void readProfileSecrets(
    QObject *context, services::SecretStore *sessionStore, services::SecretStore *keychain,
    const services::ClusterProfile &profile,
    std::function<void(const services::ClusterMonitor::Secrets &, const QString &problem)> done)
{
    struct Pending
    {
        services::ClusterMonitor::Secrets secrets;
        QStringList problems;
    };
    auto state = std::make_shared<Pending>();
    using Slot = services::SecretStore::Slot;
    const QList<Slot> slotList = {Slot::Sql, Slot::Rest, Slot::PgBouncer, Slot::Prometheus};
    auto step = std::make_shared<std::function<void(int)>>();
    QPointer<QObject> alive(context);
    *step = [alive, sessionStore, keychain, profile, state, slotList, step, done](int i) {
        if (!alive)
            return;
        if (i == slotList.size()) {
            done(state->secrets, state->problems.value(0));
            *step = nullptr; // break the self-reference
            return;
        }
        const QString key = services::SecretStore::keyFor(profile.name, slotList.at(i));
        auto assign = [state, slot = slotList.at(i)](const QString &s) {
            if (slot == Slot::Sql)
                state->secrets.sqlPassword = s;
            else if (slot == Slot::Rest)
                state->secrets.restPassword = s;
            else if (slot == Slot::PgBouncer)
                state->secrets.pgbouncerPassword = s;
            else
                state->secrets.prometheusSecret = s;
        };
        sessionStore->read(key, [alive, keychain, key, state, step, i,
                                 assign](const services::SecretStore::Outcome &o,
                                         const QString &secret) {
            if (!alive)
                return;
            if (o.ok()) {
                assign(secret);
                (*step)(i + 1);
                return;
            }
            keychain->read(key, [alive, state, step, i, assign](
                                    const services::SecretStore::Outcome &o2, const QString &s2) {
                if (!alive)
                    return;
                if (o2.ok())
                    assign(s2);
                else if (o2.failure != services::SecretStore::Failure::NotFound &&
                         state->problems.isEmpty())
                    state->problems << services::SecretStore::describe(o2);
                (*step)(i + 1);
            });
        });
    };
    (*step)(0);
}

} // namespace vigil::app
