#pragma once

#include "services/settings/prometheussettings.h"

#include <QObject>
#include <QPointer>
#include <functional>

class QNetworkAccessManager;

namespace vigil::services {
class PrometheusClient;
class SecretStore;
} // namespace vigil::services

namespace vigil::models {

// A profile's Prometheus client for the models that read it (ChartBackfill, CapacityModel):
// made once the password or bearer token is read from the keychain (none found, or no keychain:
// Prometheus without authentication). Lives on the UI thread; never blocks.
class ProfilePrometheus : public QObject
{
    Q_OBJECT
public:
    // `secrets` (may be null) holds the password or token under Slot::Prometheus.
    ProfilePrometheus(QNetworkAccessManager *nam, services::SecretStore *secrets,
                      const QString &profileName, const services::PrometheusSettings &settings,
                      QObject *parent = nullptr);

    // Runs `ready` with the client: now when it exists (or no keychain is asked), else when the
    // keychain answers. Only the last `ready` given while the keychain is read runs.
    void withClient(std::function<void(services::PrometheusClient &)> ready);
    const services::PrometheusSettings &settings() const { return m_settings; }
    QString sourceName() const; // "Prometheus at http://127.0.0.1:9090"

private:
    void make(const QString &secret);

    QNetworkAccessManager *m_nam;
    QPointer<services::SecretStore> m_secrets;
    QString m_profileName;
    services::PrometheusSettings m_settings;
    services::PrometheusClient *m_client = nullptr;
    bool m_readingSecret = false;
    std::function<void(services::PrometheusClient &)> m_ready;
};

} // namespace vigil::models
