#include "services/proxies/haproxystatsclient.h"

#include "services/http/httpcall.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>

namespace vigil::services {

using Kind = ServiceError::Kind;

HaproxyStatsClient::HaproxyStatsClient(QNetworkAccessManager *nam, QUrl csvUrl, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_url(std::move(csvUrl))
{
}

void HaproxyStatsClient::setCredentials(const QString &user, const QString &password)
{
    m_user = user;
    m_password = password;
}

void HaproxyStatsClient::fetch(std::function<void(const Result<HaproxyStats> &)> cb)
{
    const QUrl url = m_url.adjusted(QUrl::RemoveUserInfo);
    const QString what = QStringLiteral("GET %1").arg(
        url.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment));
    const auto timeout = m_timeout;
    if (!url.isValid() || url.host().isEmpty()) {
        QTimer::singleShot(0, this, [cb, what, url] {
            cb(ServiceError::make(Kind::Connect, what, {}, {},
                                  Tr::tr("The HAProxy stats URL \"%1\" is not a valid URL.")
                                      .arg(http::displayUrl(url))));
        });
        return;
    }
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "text/csv, text/plain");
    if (!m_user.isEmpty())
        request.setRawHeader("Authorization", http::basicAuthorization(m_user, m_password));
    http::send(
        m_nam, request, "GET", {}, timeout, this,
        [cb, what, url, timeout](const http::Outcome &out) {
            const QString host = http::hostOf(url);
            if (!out.answered()) {
                cb(http::transportError(out, what, url, timeout));
                return;
            }
            if (out.status == 401 || out.status == 403) {
                cb(ServiceError::make(Kind::Auth, what, host, QString::number(out.status),
                                      Tr::tr("HAProxy refused the stats user or password (it "
                                             "answered %1); set them in the cluster profile.")
                                          .arg(out.status)));
                return;
            }
            if (out.status != 200) {
                cb(ServiceError::make(
                    Kind::Http, what, host, QString::number(out.status),
                    Tr::tr("HAProxy answered %1 instead of the stats CSV: %2")
                        .arg(QString::number(out.status), http::readableBody(out.body))));
                return;
            }
            auto parsed = parseHaproxyCsv(out.body);
            if (!parsed.ok()) {
                ServiceError e = parsed.error();
                e.host = host;
                cb(e);
                return;
            }
            cb(parsed);
        });
}

} // namespace vigil::services
