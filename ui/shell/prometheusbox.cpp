#include "ui/shell/prometheusbox.h"

#include "models/promchartqueries.h"
#include "services/metrics/prometheusclient.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace vigil::ui {

namespace {
QLineEdit *lineEdit(QWidget *parent, const QString &placeholder, const QString &objectName)
{
    auto *e = new QLineEdit(parent);
    e->setPlaceholderText(placeholder);
    e->setObjectName(objectName);
    e->setClearButtonEnabled(true);
    return e;
}
} // namespace

PrometheusBox::PrometheusBox(QWidget *parent)
    : QGroupBox(tr("Prometheus (charts' history, host figures, alerts)"), parent)
{
    setObjectName(QStringLiteral("prometheusBox"));
    m_url = lineEdit(this, tr("http://host:9090 — optional"), QStringLiteral("prometheusUrl"));
    m_alertmanager =
        lineEdit(this, tr("http://host:9093 — optional: its alerts shown beside Vigil's"),
                 QStringLiteral("alertmanagerUrl"));
    m_matchers = lineEdit(this, tr("scope=\"my-cluster\" — selects this cluster's series"),
                          QStringLiteral("prometheusMatchers"));
    m_user = lineEdit(this, tr("basic auth, optional"), QStringLiteral("prometheusUser"));
    m_secret = lineEdit(this, tr("password, or bearer token without a user; in the keychain"),
                        QStringLiteral("prometheusSecret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_ca = lineEdit(this, tr("CA file for https, optional"), QStringLiteral("prometheusCa"));
    m_cert = lineEdit(this, tr("client certificate, optional"), QStringLiteral("prometheusCert"));
    m_key = lineEdit(this, tr("client key, optional"), QStringLiteral("prometheusKey"));
    m_verifyPeer = new QCheckBox(tr("Verify the server certificate"), this);
    m_verifyPeer->setChecked(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("prometheusStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->hide();
    auto *form = new QFormLayout(this);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Label matchers:"), m_matchers);
    form->addRow(tr("Alertmanager:"), m_alertmanager);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Password or token:"), m_secret);
    form->addRow(tr("CA file:"), m_ca);
    form->addRow(tr("Certificate:"), m_cert);
    form->addRow(tr("Key:"), m_key);
    form->addRow(QString(), m_verifyPeer);
    form->addRow(m_status);
}

void PrometheusBox::setSettings(const services::PrometheusSettings &p)
{
    m_url->setText(p.url.toString(QUrl::RemovePassword));
    m_matchers->setText(p.matchers);
    m_alertmanager->setText(p.alertmanagerUrl.toString(QUrl::RemovePassword));
    m_user->setText(p.user);
    m_ca->setText(p.caFile);
    m_cert->setText(p.certFile);
    m_key->setText(p.keyFile);
    m_verifyPeer->setChecked(p.verifyPeer);
}

services::PrometheusSettings PrometheusBox::settings() const
{
    services::PrometheusSettings p;
    const QString url = m_url->text().trimmed();
    p.url = url.isEmpty() ? QUrl() : QUrl::fromUserInput(url);
    p.matchers = m_matchers->text().trimmed();
    const QString alertmanager = m_alertmanager->text().trimmed();
    p.alertmanagerUrl = alertmanager.isEmpty() ? QUrl() : QUrl::fromUserInput(alertmanager);
    p.user = m_user->text().trimmed();
    p.caFile = m_ca->text().trimmed();
    p.certFile = m_cert->text().trimmed();
    p.keyFile = m_key->text().trimmed();
    p.verifyPeer = m_verifyPeer->isChecked();
    return p;
}

QString PrometheusBox::secret() const
{
    return m_secret->text();
}

QString PrometheusBox::validationError() const
{
    const services::PrometheusSettings p = settings();
    if (!p.url.isEmpty() && (!p.url.isValid() || p.url.host().isEmpty()))
        return tr("The Prometheus URL is not valid; enter e.g. http://10.0.0.9:9090.");
    if (p.hasAlertmanager() && p.alertmanagerUrl.host().isEmpty())
        return tr("The Alertmanager URL is not valid; enter e.g. http://10.0.0.9:9093.");
    if (p.hasAlertmanager() && !p.isSet())
        return tr("An Alertmanager needs the Prometheus URL too (its matchers and credentials are "
                  "the Prometheus ones).");
    if (p.matchers.startsWith(QLatin1Char('{')))
        return tr("Enter the label matchers without braces, e.g. scope=\"hokm-ha\".");
    return {};
}

QString PrometheusBox::statusText() const
{
    return m_status->text();
}

void PrometheusBox::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setStyleSheet(error ? QStringLiteral("color: #b3261e;") : QString());
}

void PrometheusBox::test(QNetworkAccessManager *nam, const QStringList &members)
{
    const services::PrometheusSettings s = settings();
    if (!s.isSet()) {
        setStatus({}, false);
        return;
    }
    if (members.isEmpty()) {
        setStatus(tr("Prometheus not checked: no member answered, so their series cannot be "
                     "looked for."),
                  true);
        return;
    }
    delete m_client.data();
    m_client = new services::PrometheusClient(
        nam, services::PrometheusEndpoint::fromSettings(s, secret()), this);
    setStatus(tr("Looking for the members' series in Prometheus…"), false);
    const QStringList metrics = models::promMemberMetrics();
    m_client->checkSeries(members, metrics, [this, members](const auto &r) {
        if (!r.ok()) {
            setStatus(tr("Prometheus: %1").arg(r.error().toText()), true);
            Q_EMIT tested(false);
            return;
        }
        const QStringList missing = r.value();
        if (missing.isEmpty())
            setStatus(tr("Prometheus has the charts' series of every member (%1).")
                          .arg(members.join(QStringLiteral(", "))),
                      false);
        else
            setStatus(tr("Prometheus lacks %n series the charts read: %1. Check the label "
                         "matchers and the exporters' scrape targets.",
                         nullptr, int(missing.size()))
                          .arg(missing.join(QStringLiteral("; "))),
                      true);
        Q_EMIT tested(missing.isEmpty());
    });
}

} // namespace vigil::ui
