#pragma once

#include "services/settings/secretstore.h"

namespace vigil::services {

// The OS keychain through QtKeychain (Secret Service / GNOME Keyring or KWallet on Linux,
// Keychain on macOS, Credential Store on Windows), under the service name of the application ID.
//
// QtKeychain's insecure fallback (a plaintext QSettings file) is explicitly switched off: when no
// keychain service runs, calls fail with Failure::NoBackend and the caller must say so and offer
// a session-only password. The jobs are children of this store: destroying it drops the callbacks.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QObject *parent = nullptr);
    // A separate service name keeps tests' entries apart from the user's.
    KeychainSecretStore(const QString &serviceName, QObject *parent);

    void read(const QString &key, ReadCallback cb) override;
    void write(const QString &key, const QString &secret, DoneCallback cb) override;
    void remove(const QString &key, DoneCallback cb) override;
    QString backendName() const override;

    QString serviceName() const { return m_service; }

    // Maps QtKeychain's error code and message to a Failure (exposed for tests).
    static Outcome outcomeFor(int keychainError, const QString &message);

private:
    QString m_service;
};

} // namespace vigil::services
