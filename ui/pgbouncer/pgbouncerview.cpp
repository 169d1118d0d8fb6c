#include "ui/pgbouncer/pgbouncerview.h"

#include "models/pgbouncerconfigmodel.h"
#include "models/pgbouncerconnectionsmodel.h"
#include "models/pgbouncerpoolsmodel.h"
#include "models/pgbouncerstatsmodel.h"
#include "services/proxies/pgbouncerclient.h"
#include "ui/widgets/tableview.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

namespace vigil::ui {

namespace {
constexpr int kMinimumIntervalMs = 500;
} // namespace

PgBouncerView::PgBouncerView(QWidget *parent)
    : QWidget(parent)
    , m_pools(new models::PgBouncerPoolsModel(this))
    , m_stats(new models::PgBouncerStatsModel(this))
    , m_clients(new models::PgBouncerConnectionsModel(this))
    , m_servers(new models::PgBouncerConnectionsModel(this))
    , m_config(new models::PgBouncerConfigModel(this))
    , m_message(new QLabel(this))
    , m_updated(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_timer(new QTimer(this))
{
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_updated->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto *pools = new TableView(m_pools, this);
    pools->setObjectName(QStringLiteral("pgbouncerPoolsTable"));
    m_tabs->addTab(new TableView(m_stats, m_tabs), tr("Statistics (per second)"));
    m_tabs->addTab(new TableView(m_clients, m_tabs), tr("Clients"));
    m_tabs->addTab(new TableView(m_servers, m_tabs), tr("Servers"));
    m_tabs->addTab(new TableView(m_config, m_tabs), tr("Failover settings"));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(pools);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto *head = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Pools</b> (SHOW POOLS): waiting clients are highlighted"));
    head->addWidget(title, 1);
    head->addWidget(m_updated);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addLayout(head);
    layout->addWidget(splitter, 1);

    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &PgBouncerView::refresh);
    setTarget({}, {}, {}, 1000);
}

PgBouncerView::~PgBouncerView() = default;

QString PgBouncerView::message() const
{
    return m_message->isVisibleTo(this) ? m_message->text() : QString();
}

int PgBouncerView::intervalMs() const
{
    return m_timer->interval();
}

bool PgBouncerView::isPolling() const
{
    return m_timer->isActive();
}

void PgBouncerView::setTarget(const QString &cluster, const QString &conninfo,
                              const QString &password, int intervalMs)
{
    disconnectConsole();
    m_cluster = cluster;
    m_conninfo = conninfo.trimmed();
    m_password = password;
    m_timer->setInterval(std::max(intervalMs, kMinimumIntervalMs));
    m_pools->setPools({});
    m_stats->clear();
    m_clients->setConnections({});
    m_servers->setConnections({});
    m_config->setConfig({});
    m_updated->clear();
    if (m_cluster.isEmpty())
        setMessage(tr("No cluster is shown."), false);
    else if (m_conninfo.isEmpty())
        setMessage(tr("PgBouncer is not configured for cluster \"%1\": fill in \"PgBouncer "
                      "admin\" (a conninfo such as \"host=… port=6432 dbname=pgbouncer "
                      "user=pgbouncer_admin\") and its password in File → Edit cluster "
                      "(Ctrl+Shift+E).")
                       .arg(m_cluster),
                   true);
    else
        setMessage({}, false);
    if (isVisible())
        refresh();
}

void PgBouncerView::disconnectConsole()
{
    ++m_ticket; // answers in flight are ignored
    m_inFlight = false;
    if (m_client) {
        m_client->close();
        m_client->deleteLater();
        m_client = nullptr;
    }
    m_sinceStats.invalidate();
}

void PgBouncerView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    refresh();
}

void PgBouncerView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
    disconnectConsole();
    m_stats->clear(); // the next read after showing again is a new baseline
}

void PgBouncerView::refresh()
{
    if (m_inFlight || m_conninfo.isEmpty())
        return;
    if (!m_client) {
        m_client = new services::PgBouncerClient(this);
        m_client->open(services::PgConnectionSettings::forApplication(
                           m_conninfo, QStringLiteral("vigil"), m_password),
                       std::chrono::milliseconds(std::max(m_timer->interval() * 3, 3000)));
    }
    m_inFlight = true;
    const quint64 ticket = ++m_ticket;
    m_client->showPools([this, ticket](const services::Result<QList<services::PgBouncerPool>> &r) {
        if (ticket != m_ticket)
            return;
        if (!r.ok()) {
            finish(ticket, r.error());
            return;
        }
        m_pools->setPools(r.value());
        readStats(ticket);
    });
}

void PgBouncerView::readStats(quint64 ticket)
{
    m_client->showStats([this, ticket](const services::Result<QList<services::PgBouncerStats>> &r) {
        if (ticket != m_ticket)
            return;
        if (!r.ok()) {
            finish(ticket, r.error());
            return;
        }
        const double elapsed = m_sinceStats.isValid() ? m_sinceStats.elapsed() / 1000.0 : 0.0;
        m_sinceStats.restart();
        if (elapsed > 0)
            m_stats->setStats(r.value(), elapsed);
        else {
            m_stats->clear();
            m_stats->setStats(r.value(), 1.0); // the baseline: rows without rates yet
        }
        readConnections(ticket);
    });
}

void PgBouncerView::readConnections(quint64 ticket)
{
    using Connections = services::Result<QList<services::PgBouncerConnection>>;
    m_client->showClients([this, ticket](const Connections &clients) {
        if (ticket != m_ticket)
            return;
        if (!clients.ok()) {
            finish(ticket, clients.error());
            return;
        }
        m_clients->setConnections(clients.value());
        m_client->showServers([this, ticket](const Connections &servers) {
            if (ticket != m_ticket)
                return;
            if (!servers.ok()) {
                finish(ticket, servers.error());
                return;
            }
            m_servers->setConnections(servers.value());
            readConfig(ticket);
        });
    });
}

void PgBouncerView::readConfig(quint64 ticket)
{
    m_client->showConfig(
        [this, ticket](const services::Result<QList<services::PgBouncerConfigItem>> &r) {
            if (ticket != m_ticket)
                return;
            if (!r.ok()) {
                finish(ticket, r.error());
                return;
            }
            m_config->setConfig(r.value());
            finish(ticket);
        });
}

void PgBouncerView::finish(quint64 ticket, const services::ServiceError &error)
{
    if (ticket != m_ticket)
        return;
    m_inFlight = false;
    if (error) {
        setMessage(describe(error), true);
        // A broken or refused connection is opened afresh on the next round.
        if (error.kind != services::ServiceError::Kind::Parse &&
            error.kind != services::ServiceError::Kind::Query)
            disconnectConsole();
    } else {
        setMessage({}, false);
        m_updated->setText(
            tr("Updated %1 (every %2 s)")
                .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")))
                .arg(m_timer->interval() / 1000.0));
    }
    Q_EMIT refreshed();
}

QString PgBouncerView::describe(const services::ServiceError &error) const
{
    using Kind = services::ServiceError::Kind;
    switch (error.kind) {
    case Kind::Auth:
        return tr("PgBouncer's console at %1 refused the login: %2. Check the user in \"PgBouncer "
                  "admin\" of cluster \"%3\" (it must be listed in admin_users or stats_users of "
                  "pgbouncer.ini) and the PgBouncer password, in File → Edit cluster.")
            .arg(error.host, error.message, m_cluster);
    case Kind::Connect:
    case Kind::Timeout:
        return tr("PgBouncer's console at %1 did not answer: %2. Check that PgBouncer runs and "
                  "that \"PgBouncer admin\" of cluster \"%3\" names its host and port; Vigil "
                  "tries again at the next refresh.")
            .arg(error.host.isEmpty() ? m_conninfo : error.host, error.message, m_cluster);
    default:
        return tr("%1 failed: %2").arg(error.what, error.toText());
    }
}

void PgBouncerView::setMessage(const QString &text, bool problem)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setStyleSheet(problem ? QStringLiteral("color: #b3261e; font-weight: bold;")
                                     : QString());
}

} // namespace vigil::ui
