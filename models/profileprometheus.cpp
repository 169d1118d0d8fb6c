#include "models/profileprometheus.h"

#include "services/metrics/prometheusclient.h"
#include "services/settings/secretstore.h"

namespace vigil::models {

ProfilePrometheus::ProfilePrometheus(QNetworkAccessManager *nam, services::SecretStore *secrets,
                                     const QString &profileName,
                                     const services::PrometheusSettings &settings, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_secrets(secrets)
    , m_profileName(profileName)
    , m_settings(settings)
{
}

QString ProfilePrometheus::sourceName() const
{
    return tr("Prometheus at %1")
        .arg(m_settings.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery |
                                     QUrl::RemoveFragment));
}

void ProfilePrometheus::withClient(std::function<void(services::PrometheusClient &)> ready)
{
    if (m_client) {
        ready(*m_client);
        return;
    }
    m_ready = std::move(ready);
    if (m_readingSecret)
        return; // runs when the keychain answers
    if (!m_secrets) {
        make({});
        return;
    }
    m_readingSecret = true;
    m_secrets->read(
        services::SecretStore::keyFor(m_profileName, services::SecretStore::Slot::Prometheus),
        [this](const services::SecretStore::Outcome &, const QString &secret) {
            // No secret (NotFound, or no keychain): Prometheus without authentication.
            m_readingSecret = false;
            make(secret);
        });
}

void ProfilePrometheus::make(const QString &secret)
{
    m_client = new services::PrometheusClient(
        m_nam, services::PrometheusEndpoint::fromSettings(m_settings, secret), this);
    if (auto ready = std::exchange(m_ready, nullptr))
        ready(*m_client);
}

} // namespace vigil::models
