#pragma once

#include "services/settings/prometheussettings.h"

#include <QGroupBox>
#include <QPointer>

class QCheckBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;

namespace vigil::services {
class PrometheusClient;
}

namespace vigil::ui {

// The Prometheus part of the profile dialog: URL, label matchers, basic-auth user and its
// password or a bearer token (the keychain's Slot::Prometheus), TLS files. test() checks that
// every member has the series the charts read (models/promchartqueries.h) and names the missing
// ones in the box's own status line; asynchronous, with the client's deadline.
class PrometheusBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit PrometheusBox(QWidget *parent = nullptr);

    void setSettings(const services::PrometheusSettings &settings);
    services::PrometheusSettings settings() const;
    QString secret() const; // password (with a user) or bearer token; empty: keep/none
    QString validationError() const;

    // Checks `members` against the Prometheus of the fields (does nothing without a URL).
    void test(QNetworkAccessManager *nam, const QStringList &members);
    QString statusText() const;

Q_SIGNALS:
    void tested(bool ok);

private:
    void setStatus(const QString &text, bool error);

    QLineEdit *m_url, *m_alertmanager, *m_matchers, *m_user, *m_secret, *m_ca, *m_cert, *m_key;
    QCheckBox *m_verifyPeer;
    QLabel *m_status;
    QPointer<services::PrometheusClient> m_client;
};

} // namespace vigil::ui
