#include "ui/overview/alertsview.h"

#include "models/alertshistorymodel.h"
#include "models/alertsmodel.h"
#include "models/externalalertsmodel.h"
#include "models/findingsmodel.h"
#include "models/swatchiconengine.h"
#include "ui/widgets/tableview.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
QWidget *labelled(const QString &title, QWidget *content, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(new QLabel(title, w));
    l->addWidget(content);
    return w;
}
} // namespace

AlertsView::AlertsView(models::FindingsModel *findings, models::AlertsModel *alerts,
                       models::AlertsHistoryModel *history, QWidget *parent)
    : QWidget(parent)
    , m_alertsModel(alerts)
    , m_tabs(new QTabWidget(this))
    , m_alerts(new TableView(alerts, this))
    , m_findings(new TableView(findings, this))
    , m_history(new TableView(history, this))
    , m_acknowledge(new QAction(tr("&Acknowledge alert"), this))
    , m_ageTimer(new QTimer(this))
    , m_events(new QListWidget(this))
{
    setObjectName(QStringLiteral("AlertsView"));
    m_findings->sortByColumn(models::FindingsModel::Severity, Qt::DescendingOrder);
    m_acknowledge->setObjectName(QStringLiteral("acknowledgeAlert"));
    m_acknowledge->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_acknowledge->setToolTip(tr("Record that you have seen the selected alert (Ctrl+K). It "
                                 "stays acknowledged until it clears or gets worse."));
    connect(m_acknowledge, &QAction::triggered, this, &AlertsView::acknowledgeSelected);
    m_tabs->setObjectName(QStringLiteral("alertTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildAlertsTab(), tr("Active"));
    m_tabs->addTab(labelled(tr("What the rules find in the shown cluster now, before the raise "
                               "and clear counts."),
                            m_findings, m_tabs),
                   tr("Findings now"));
    m_tabs->addTab(buildHistoryTab(), tr("History"));

    m_events->setObjectName(QStringLiteral("eventLog"));
    m_events->setAlternatingRowColors(true);
    m_events->setWordWrap(true);
    m_events->setTextElideMode(Qt::ElideNone);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tabs);
    split->addWidget(labelled(tr("<b>Events</b> (newest first)"), m_events, split));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    // The ages move on between snapshots (and a cluster whose snapshots stopped still ages).
    m_ageTimer->setInterval(5000);
    connect(m_ageTimer, &QTimer::timeout, this, [this] { m_alertsModel->refreshAges(); });
    m_ageTimer->start();
}

QWidget *AlertsView::buildAlertsTab()
{
    auto *tab = new QWidget(this);
    m_alerts->setObjectName(QStringLiteral("activeAlerts"));
    m_alerts->sortByColumn(models::AlertsModel::Severity, Qt::DescendingOrder);
    m_alerts->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_alerts->setSelectionMode(QAbstractItemView::SingleSelection);
    m_alerts->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_alerts->addAction(m_acknowledge);
    m_ackButton = new QPushButton(tr("Acknowledge"), tab);
    m_ackButton->setObjectName(QStringLiteral("acknowledgeButton"));
    m_ackButton->setToolTip(m_acknowledge->toolTip());
    connect(m_ackButton, &QPushButton::clicked, m_acknowledge, &QAction::trigger);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("<b>Active alerts</b> of every watched cluster"), tab), 1);
    bar->addWidget(m_ackButton);
    auto *l = new QVBoxLayout(tab);
    l->setContentsMargins(0, 4, 0, 0);
    l->addLayout(bar);
    l->addWidget(m_alerts);
    connect(m_alerts->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AlertsView::updateAcknowledgeEnabled);
    connect(m_alertsModel, &QAbstractItemModel::dataChanged, this,
            &AlertsView::updateAcknowledgeEnabled);
    connect(m_alertsModel, &QAbstractItemModel::rowsRemoved, this,
            &AlertsView::updateAcknowledgeEnabled);
    updateAcknowledgeEnabled();
    return tab;
}

void AlertsView::setExternalAlerts(models::ExternalAlertsModel *model)
{
    if (m_externalModel || !model)
        return;
    m_externalModel = model;
    auto *tab = new QWidget(this);
    m_external = new TableView(model, tab);
    m_external->setObjectName(QStringLiteral("externalAlerts"));
    m_external->sortByColumn(models::ExternalAlertsModel::Severity, Qt::DescendingOrder);
    m_external->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_externalStatus = new QLabel(tab);
    m_externalStatus->setObjectName(QStringLiteral("externalAlertsStatus"));
    m_externalStatus->setWordWrap(true);
    m_externalStatus->setTextFormat(Qt::PlainText);
    auto *l = new QVBoxLayout(tab);
    l->setContentsMargins(0, 4, 0, 0);
    l->addWidget(m_externalStatus);
    l->addWidget(m_external);
    m_tabs->insertTab(1, tab, tr("Alertmanager"));
    connect(model, &models::ExternalAlertsModel::statusChanged, this,
            &AlertsView::updateExternalStatus);
    connect(model, &QAbstractItemModel::rowsInserted, this, &AlertsView::updateExternalStatus);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &AlertsView::updateExternalStatus);
    updateExternalStatus();
}

// The tab says whose alerts these are, how many, and which Alertmanager could not be read.
void AlertsView::updateExternalStatus()
{
    if (!m_externalModel)
        return;
    const int n = m_externalModel->rowCount();
    m_tabs->setTabText(m_tabs->indexOf(m_external->parentWidget()),
                       n > 0 ? tr("Alertmanager (%1)").arg(n) : tr("Alertmanager"));
    QString text = m_externalModel->anyConfigured()
                       ? tr("Active alerts of the clusters' Alertmanagers, raised by Prometheus's "
                            "rules (not Vigil's): shown here, never acknowledged or notified by "
                            "Vigil.")
                       : tr("No watched cluster names an Alertmanager. Add its URL in Edit "
                            "cluster → Prometheus to see its alerts here.");
    for (const QString &p : m_externalModel->problems())
        text += QLatin1Char('\n') + p;
    m_externalStatus->setText(text);
}

QWidget *AlertsView::buildHistoryTab()
{
    auto *tab = new QWidget(this);
    m_history->setObjectName(QStringLiteral("alertHistory"));
    m_filter = new QLineEdit(tab);
    m_filter->setObjectName(QStringLiteral("historyFilter"));
    m_filter->setPlaceholderText(tr("Filter: cluster, member, event or words of the alert"));
    m_filter->setClearButtonEnabled(true);
    QSortFilterProxyModel *proxy = m_history->proxy();
    proxy->setFilterKeyColumn(-1);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_history->sortByColumn(models::AlertsHistoryModel::Time, Qt::DescendingOrder);
    auto *l = new QVBoxLayout(tab);
    l->setContentsMargins(0, 4, 0, 0);
    l->addWidget(m_filter);
    l->addWidget(m_history);
    return tab;
}

void AlertsView::showHistory()
{
    m_tabs->setCurrentIndex(2);
}

void AlertsView::updateAcknowledgeEnabled()
{
    const QModelIndex current = m_alerts->proxy()->mapToSource(m_alerts->currentIndex());
    const auto alert = current.isValid() ? m_alertsModel->alertAt(current.row()) : std::nullopt;
    const bool can = alert && !alert->acknowledged();
    m_acknowledge->setEnabled(can);
    m_ackButton->setEnabled(can);
}

void AlertsView::acknowledgeSelected()
{
    QModelIndex current = m_alerts->proxy()->mapToSource(m_alerts->currentIndex());
    if (!current.isValid() && m_alerts->model()->rowCount() > 0)
        current = m_alerts->proxy()->mapToSource(m_alerts->model()->index(0, 0));
    const auto alert = current.isValid() ? m_alertsModel->alertAt(current.row()) : std::nullopt;
    if (alert && !alert->acknowledged())
        Q_EMIT acknowledgeRequested(alert->cluster, alert->key());
    updateAcknowledgeEnabled();
}

void AlertsView::setTopologyModel(models::TopologyModel *model)
{
    disconnect(m_connection);
    m_model = model;
    if (m_model)
        m_connection =
            connect(m_model, &models::TopologyModel::eventAdded, this, &AlertsView::reloadEvents);
    reloadEvents();
}

void AlertsView::reloadEvents()
{
    // At most 50 short lines: rebuilding is cheap and keeps the list exactly the model's.
    m_events->clear();
    if (!m_model)
        return;
    for (const models::TopologyEvent &e : m_model->events()) {
        auto *item = new QListWidgetItem(
            models::SwatchIconEngine::icon(models::healthColor(e.severity)),
            QStringLiteral("%1  %2").arg(e.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                         e.text));
        m_events->addItem(item);
    }
}

} // namespace vigil::ui
