#include "services/settings/memorysecretstore.h"

#include <QMetaObject>

namespace vigil::services {

namespace {
SecretStore::Outcome noBackend()
{
    return {SecretStore::Failure::NoBackend,
            QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY (simulated)")};
}
} // namespace

void MemorySecretStore::read(const QString &key, ReadCallback cb)
{
    Outcome outcome;
    QString secret;
    if (m_noBackend)
        outcome = noBackend();
    else if (auto it = m_secrets.constFind(key); it != m_secrets.constEnd())
        secret = *it;
    else
        outcome = {Failure::NotFound, Tr::tr("No password is stored under %1.").arg(key)};
    QMetaObject::invokeMethod(
        this, [cb = std::move(cb), outcome, secret] { cb(outcome, secret); }, Qt::QueuedConnection);
}

void MemorySecretStore::write(const QString &key, const QString &secret, DoneCallback cb)
{
    Outcome outcome;
    if (m_noBackend)
        outcome = noBackend();
    else
        m_secrets.insert(key, secret);
    QMetaObject::invokeMethod(
        this, [cb = std::move(cb), outcome] { cb(outcome); }, Qt::QueuedConnection);
}

void MemorySecretStore::remove(const QString &key, DoneCallback cb)
{
    Outcome outcome;
    if (m_noBackend)
        outcome = noBackend();
    else
        m_secrets.remove(key);
    QMetaObject::invokeMethod(
        this, [cb = std::move(cb), outcome] { cb(outcome); }, Qt::QueuedConnection);
}

QString MemorySecretStore::backendName() const
{
    return Tr::tr("Memory (this session only)");
}

} // namespace vigil::services
