#pragma once

#include "services/settings/secretstore.h"

#include <QHash>

namespace vigil::services {

// Secrets in process memory only: for tests, and for the session-only passwords offered when no
// keychain is available. Callbacks are queued to the event loop (like the real keychain's), so
// code written against it does not come to depend on synchronous answers.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString &key, ReadCallback cb) override;
    void write(const QString &key, const QString &secret, DoneCallback cb) override;
    void remove(const QString &key, DoneCallback cb) override;
    QString backendName() const override;

    // Tests: make every following call fail like a machine without a keychain service.
    void simulateNoBackend(bool on) { m_noBackend = on; }
    int size() const { return int(m_secrets.size()); }

private:
    QHash<QString, QString> m_secrets;
    bool m_noBackend = false;
};

} // namespace vigil::services
