#pragma once

#include "services/core/error.h"
#include "services/proxies/haproxytypes.h"

#include <QObject>
#include <QString>
#include <QUrl>
#include <chrono>
#include <functional>

class QNetworkAccessManager;

namespace vigil::services {

// Fetches the stats CSV over the shared QNetworkAccessManager (basic auth optional).
class HaproxyStatsClient : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;
    HaproxyStatsClient(QNetworkAccessManager *nam, QUrl csvUrl, QObject *parent = nullptr);
    void setCredentials(const QString &user, const QString &password);
    void setTimeout(Millis timeout) { m_timeout = timeout; }
    QUrl url() const { return m_url; }
    void fetch(std::function<void(const Result<HaproxyStats> &)> cb);

private:
    QNetworkAccessManager *m_nam;
    QUrl m_url;
    QString m_user, m_password;
    Millis m_timeout{2000};
};

} // namespace vigil::services
