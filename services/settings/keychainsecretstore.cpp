#include "services/settings/keychainsecretstore.h"

#include "services/core/version.h"

#include <qt6keychain/keychain.h>

namespace vigil::services {

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : KeychainSecretStore(QLatin1String(vigil::kAppId), parent)
{
}

KeychainSecretStore::KeychainSecretStore(const QString &serviceName, QObject *parent)
    : SecretStore(parent)
    , m_service(serviceName)
{
}

SecretStore::Outcome KeychainSecretStore::outcomeFor(int keychainError, const QString &message)
{
    switch (QKeychain::Error(keychainError)) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        return {Failure::NotFound, message};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return {Failure::NoBackend, message};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return {Failure::Denied, message};
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    // Through libsecret, a missing D-Bus session or Secret Service arrives as OtherError with
    // GLib's text ("Cannot autolaunch D-Bus without X11 $DISPLAY", "The name
    // org.freedesktop.secrets was not provided by any .service files"). For the user that is
    // the same situation as NoBackendAvailable: there is no keychain to talk to.
    // With a session bus address whose socket is gone, GIO says "Could not connect: No such file
    // or directory".
    static const char *const noBackendHints[] = {"D-Bus",
                                                 "DBus",
                                                 "dbus",
                                                 "org.freedesktop.secrets",
                                                 "autolaunch",
                                                 "Secret Service",
                                                 "Could not connect"};
    for (const char *hint : noBackendHints)
        if (message.contains(QLatin1String(hint)))
            return {Failure::NoBackend, message};
    return {Failure::Other, message};
}

void KeychainSecretStore::read(const QString &key, ReadCallback cb)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [cb = std::move(cb)](QKeychain::Job *j) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(j);
        const Outcome outcome = outcomeFor(int(j->error()), j->errorString());
        cb(outcome, outcome.ok() ? readJob->textData() : QString());
    });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &secret, DoneCallback cb)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [cb = std::move(cb)](QKeychain::Job *j) {
        cb(outcomeFor(int(j->error()), j->errorString()));
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &key, DoneCallback cb)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [cb = std::move(cb)](QKeychain::Job *j) {
        // Removing what is not there is success for the caller.
        Outcome o = outcomeFor(int(j->error()), j->errorString());
        if (o.failure == Failure::NotFound)
            o = {};
        cb(o);
    });
    job->start();
}

QString KeychainSecretStore::backendName() const
{
    return Tr::tr("System keychain");
}

} // namespace vigil::services
