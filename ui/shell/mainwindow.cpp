#include "ui/shell/mainwindow.h"

#include "models/alertnotifier.h"
#include "models/alertshistorymodel.h"
#include "models/alertsmodel.h"
#include "models/archivermodel.h"
#include "models/clusterlistmodel.h"
#include "models/clusterwatch.h"
#include "models/desktopnotifications.h"
#include "models/externalalertsmodel.h"
#include "models/findingsmodel.h"
#include "models/membersmodel.h"
#include "models/replicationmodel.h"
#include "models/replicationslotsmodel.h"
#include "models/timelinemodel.h"
#include "services/settings/profilestore.h"
#include "ui/capacity/capacityview.h"
#include "ui/charts/chartspanel.h"
#include "ui/overview/alertsview.h"
#include "ui/overview/connectionsview.h"
#include "ui/overview/overviewpage.h"
#include "ui/overview/replicationview.h"
#include "ui/pgbouncer/pgbouncerview.h"
#include "ui/shell/addclusterdialog.h"
#include "ui/shell/alerttray.h"
#include "ui/shell/clusterlistview.h"
#include "ui/shell/refreshstatuswidget.h"
#include "ui/timeline/timelineview.h"
#include "ui/widgets/tableview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <functional>

namespace vigil::ui {

namespace {
const char *kGeometryKey = "mainWindow/geometry";
const char *kStateKey = "mainWindow/state";
// Bump when the dock layout changes incompatibly: restoreState() ignores other versions.
constexpr int kLayoutVersion = 2;
constexpr double kLargeFontFactor = 1.6;
const char *kNotificationsKey = "alerts/desktopNotifications";
} // namespace

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_membersModel(new models::MembersModel(this))
    , m_replicationModel(new models::ReplicationModel(this))
    , m_slotsModel(new models::ReplicationSlotsModel(this))
    , m_archiverModel(new models::ArchiverModel(this))
    , m_findingsModel(new models::FindingsModel(this))
    , m_clusterListModel(new models::ClusterListModel(this))
    , m_alertsModel(new models::AlertsModel(this))
    , m_externalAlertsModel(new models::ExternalAlertsModel(this))
    , m_alertsHistoryModel(new models::AlertsHistoryModel(this))
    , m_timelineModel(new models::TimelineModel(this))
    , m_baseFont(QApplication::font())
{
    setObjectName(QStringLiteral("MainWindow"));
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_overview = new OverviewPage(m_membersModel, m_tabs);
    m_replication = new ReplicationView(m_replicationModel, m_slotsModel, m_archiverModel, m_tabs);
    m_connections = new ConnectionsView(m_tabs);
    m_charts = new ChartsPanel(m_tabs);
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(m_replication, tr("&Replication"));
    m_tabs->addTab(m_connections, tr("&Connections"));
    m_tabs->addTab(m_charts, tr("Live c&harts"));
    m_capacity = new CapacityView(m_tabs);
    connect(m_capacity, &CapacityView::editClusterRequested, this,
            [this] { openEditClusterDialog(); });
    m_tabs->addTab(m_capacity, tr("Ca&pacity"));
    setCentralWidget(m_tabs);

    m_clusterList = new ClusterListView(m_clusterListModel, this);
    m_clusterDock = new QDockWidget(tr("Clusters"), this);
    m_clusterDock->setObjectName(QStringLiteral("clustersDock"));
    m_clusterDock->setWidget(m_clusterList);
    addDockWidget(Qt::LeftDockWidgetArea, m_clusterDock);
    // Earlier sessions' alert events, for the history tab (a local file: read once, at start).
    m_alertsHistoryModel->setEvents(m_alertHistory.readAll());
    m_alerts = new AlertsView(m_findingsModel, m_alertsModel, m_alertsHistoryModel, this);
    m_alerts->setExternalAlerts(m_externalAlertsModel);
    connect(m_alerts, &AlertsView::acknowledgeRequested, this, &MainWindow::acknowledgeAlert);
    m_notifier = new models::AlertNotifier(new models::DesktopNotifications(this), this);
    m_tray = new AlertTray(this, this);
    connect(m_notifier, &models::AlertNotifier::fallbackRequested, m_tray, &AlertTray::showMessage);
    m_alertsDock = new QDockWidget(tr("Alerts and events"), this);
    m_alertsDock->setObjectName(QStringLiteral("alertsDock"));
    m_alertsDock->setWidget(m_alerts);
    addDockWidget(Qt::LeftDockWidgetArea, m_alertsDock);
    splitDockWidget(m_clusterDock, m_alertsDock, Qt::Vertical);
    resizeDocks({m_clusterDock}, {430}, Qt::Horizontal);
    resizeDocks({m_clusterDock, m_alertsDock}, {220, 500}, Qt::Vertical);
    // PgBouncer's console reads only while its dock is shown (the view stops when hidden).
    m_pgbouncer = new PgBouncerView(this);
    m_pgbouncerDock = new QDockWidget(tr("PgBouncer"), this);
    m_pgbouncerDock->setObjectName(QStringLiteral("pgbouncerDock"));
    m_pgbouncerDock->setWidget(m_pgbouncer);
    addDockWidget(Qt::BottomDockWidgetArea, m_pgbouncerDock);
    m_pgbouncerDock->hide();
    m_timeline = new TimelineView(m_timelineModel, this);
    m_timelineDock = new QDockWidget(tr("Incident timeline"), this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timelineDock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);
    m_timelineDock->hide();

    // The cluster list is read from across a room in war-room mode: when its columns are fitted to
    // a new font, or a column grows for longer contents, the dock grows (up to a third of the
    // window) so that no column is cut off.
    connect(m_clusterList->table(), &TableView::columnsFitted, this, &MainWindow::fitClusterDock);
    connect(m_clusterList->table(), &TableView::columnsGrew, this, &MainWindow::fitClusterDock);
    connect(m_clusterList, &ClusterListView::currentClusterChanged, this, &MainWindow::showCluster);
    connect(m_clusterList, &ClusterListView::addRequested, this, &MainWindow::openAddClusterDialog);
    connect(m_clusterList, &ClusterListView::editRequested, this,
            &MainWindow::openEditClusterDialog);
    connect(m_clusterList, &ClusterListView::removeRequested, this, &MainWindow::removeCluster);

    m_refresh = new RefreshStatusWidget(this);
    statusBar()->addWidget(m_refresh, 1);
    m_readOnlyBadge = new QLabel(tr("READ-ONLY"), this);
    m_readOnlyBadge->setObjectName(QStringLiteral("readOnlyBadge"));
    m_readOnlyBadge->setToolTip(
        tr("Started with --read-only: no action that changes a cluster can be reached."));
    m_readOnlyBadge->setStyleSheet(
        QStringLiteral("QLabel { background: #5f6368; color: white; font-weight: bold; padding: "
                       "1px 8px; border-radius: 3px; }"));
    statusBar()->addPermanentWidget(m_readOnlyBadge);
    m_readOnlyBadge->setVisible(m_options.readOnly);
    if (m_options.readOnly)
        m_overview->setReadOnlyNotice(
            tr("Read-only mode: Vigil only watches; switchover, restart and other "
               "actions that change a cluster are not available."));

    if (m_options.patroniUrl.isEmpty() && m_options.profileName.isEmpty())
        m_refresh->setMessage(
            tr("No cluster open. Add one with File → Add cluster (Ctrl+N), or start Vigil "
               "with --patroni URL or --profile NAME."));
    updateTitle(nullptr);
    createActions();
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::setServices(const Services &services)
{
    m_services = services;
}

void MainWindow::createActions()
{
    // The menus are known by name: the operations and troubleshooting menus, installed later,
    // take their place between View and Help (insertMenuInOrder).
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("fileMenu"));
    QAction *add =
        fileMenu->addAction(tr("&Add cluster…"), this, &MainWindow::openAddClusterDialog);
    add->setShortcut(QKeySequence::New);
    QAction *edit =
        fileMenu->addAction(tr("&Edit cluster…"), this, [this] { openEditClusterDialog(); });
    edit->setObjectName(QStringLiteral("editCluster"));
    edit->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    QAction *exportCharts = fileMenu->addAction(tr("&Export charts as PNG…"), this, [this] {
        m_tabs->setCurrentWidget(m_charts);
        m_charts->chooseExportFile();
    });
    exportCharts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setShortcutContext(Qt::ApplicationShortcut);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    const QList<QWidget *> pages = {m_overview, m_replication, m_connections, m_charts};
    const QStringList names = {tr("Overview"), tr("Replication"), tr("Connections"),
                               tr("Live charts")};
    for (int i = 0; i < pages.size(); ++i) {
        QAction *a = viewMenu->addAction(
            names.at(i), this, [this, page = pages.at(i)] { m_tabs->setCurrentWidget(page); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        a->setObjectName(QStringLiteral("show%1").arg(i + 1));
    }
    QAction *capacity =
        viewMenu->addAction(tr("Capacity"), this, [this] { m_tabs->setCurrentWidget(m_capacity); });
    capacity->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_8));
    capacity->setObjectName(QStringLiteral("showCapacity"));
    viewMenu->addSeparator();
    QAction *clusters = m_clusterDock->toggleViewAction();
    clusters->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_5));
    viewMenu->addAction(clusters);
    QAction *alerts = m_alertsDock->toggleViewAction();
    alerts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_6));
    viewMenu->addAction(alerts);
    viewMenu->addAction(m_alerts->acknowledgeAction());
    m_notifyAction = viewMenu->addAction(tr("Desktop &notifications for critical alerts"), this,
                                         &MainWindow::setNotificationsEnabled);
    m_notifyAction->setObjectName(QStringLiteral("desktopNotifications"));
    m_notifyAction->setCheckable(true);
    m_notifyAction->setChecked(QSettings().value(QLatin1String(kNotificationsKey), true).toBool());
    m_notifier->setEnabled(m_notifyAction->isChecked());
    QAction *pgbouncer = m_pgbouncerDock->toggleViewAction();
    pgbouncer->setObjectName(QStringLiteral("showPgBouncer"));
    pgbouncer->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_7));
    viewMenu->addAction(pgbouncer);
    QAction *timeline = m_timelineDock->toggleViewAction();
    timeline->setObjectName(QStringLiteral("showTimeline"));
    timeline->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    viewMenu->addAction(timeline);
    viewMenu->addSeparator();
    QMenu *windowMenu = viewMenu->addMenu(tr("Chart &window"));
    const QList<QPair<int, QString>> windows = {
        {300, tr("Last 5 minutes")},
        {3600, tr("Last hour")},
        {86400, tr("Last 24 hours")},
        {ChartsPanel::kWeek, tr("Last 7 days (from Prometheus)")},
        {ChartsPanel::kMonth, tr("Last 30 days (from Prometheus)")}};
    int n = 0;
    for (const auto &[seconds, label] : windows) {
        QAction *a = windowMenu->addAction(label, this,
                                           [this, s = seconds] { m_charts->setWindowSeconds(s); });
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + n++)));
    }
    QAction *pause = viewMenu->addAction(tr("&Pause charts"), this,
                                         [this] { m_charts->setPaused(!m_charts->isPaused()); });
    pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    viewMenu->addSeparator();
    m_largeFontsAction =
        viewMenu->addAction(tr("&Large fonts (war room)"), this, &MainWindow::setLargeFonts);
    m_largeFontsAction->setCheckable(true);
    m_largeFontsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    QAction *full = viewMenu->addAction(
        tr("&Full screen"), this, [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    full->setShortcut(QKeySequence::FullScreen);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->setObjectName(QStringLiteral("helpMenu"));
    QAction *shortcuts =
        helpMenu->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setShortcut(QKeySequence::HelpContents);
    helpMenu->addAction(tr("&About Vigil"), this, [this] {
        auto *box =
            new QMessageBox(QMessageBox::NoIcon, tr("About Vigil"),
                            tr("<h3>Vigil %1</h3><p>A console for PostgreSQL high-availability "
                               "clusters run by Patroni, with HAProxy and PgBouncer.</p>")
                                .arg(QApplication::applicationVersion()),
                            QMessageBox::Close, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

QList<QPair<QString, QString>> MainWindow::shortcutList() const
{
    // Read from the menus as they are now, so that every action installed later (operations,
    // troubleshooting) is listed, and nothing listed is missing from the menus.
    QList<QPair<QString, QString>> out;
    std::function<void(const QList<QAction *> &)> walk = [&](const QList<QAction *> &actions) {
        for (QAction *a : actions) {
            if (a->menu())
                walk(a->menu()->actions());
            else if (!a->shortcut().isEmpty() && !a->text().isEmpty())
                out.append(
                    {a->shortcut().toString(QKeySequence::NativeText),
                     QString(a->text()).remove(QLatin1Char('&')).remove(QStringLiteral("…"))});
        }
    };
    walk(menuBar()->actions());
    return out;
}

void MainWindow::showShortcuts()
{
    QString rows;
    for (const auto &[keys, what] : shortcutList())
        rows += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                    .arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
    auto *box =
        new QMessageBox(QMessageBox::Information, tr("Keyboard shortcuts"),
                        QStringLiteral("<table>%1</table>").arg(rows), QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

QString MainWindow::selectedMember() const
{
    return m_overview->membersTable()
        ->currentIndex()
        .data(models::CellTableModel::KeyRole)
        .toString();
}

void MainWindow::openAddClusterDialog()
{
    auto *dialog =
        new AddClusterDialog(m_services.nam, m_services.profiles, m_services.secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddClusterDialog::profileSaved, this, &MainWindow::clusterAdded);
    dialog->open();
}

void MainWindow::openEditClusterDialog(const QString &name)
{
    const QString cluster = name.isEmpty() ? m_current : name;
    if (cluster.isEmpty() || !m_watches.contains(cluster)) {
        m_refresh->setMessage(
            tr("No cluster is open to edit. Add one with File → Add cluster (Ctrl+N)."));
        return;
    }
    services::ClusterProfile profile;
    if (const auto saved =
            m_services.profiles ? m_services.profiles->load(cluster) : std::nullopt) {
        profile = *saved;
    } else {
        // Opened with --patroni and never saved: start from what the window knows.
        profile.name = cluster;
        profile.patroniUrl = QUrl::fromUserInput(m_targets.value(cluster));
    }
    auto *dialog =
        new AddClusterDialog(m_services.nam, m_services.profiles, m_services.secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProfile(profile);
    dialog->setEditing(true);
    connect(dialog, &AddClusterDialog::profileSaved, this, &MainWindow::clusterEdited);
    dialog->open();
}

void MainWindow::addCluster(const QString &profileName, const QString &target, int intervalMs,
                            bool readOnly)
{
    if (!m_watches.contains(profileName)) {
        auto *watch = new models::ClusterWatch(profileName, intervalMs, this);
        m_watches.insert(profileName, watch);
        watchAlerts(watch);
        m_clusterListModel->addCluster(profileName, target);
    }
    m_targets.insert(profileName, target);
    // The profile's thresholds and notification opt-out (again on every restart of the watch,
    // e.g. after Edit cluster).
    const auto profile =
        m_services.profiles ? m_services.profiles->load(profileName) : std::nullopt;
    if (profile)
        m_watches.value(profileName)->alerts()->setThresholds(profile->thresholds);
    // The charts' long memory, when the profile names a Prometheus (again after Edit cluster).
    models::ClusterWatch *w = m_watches.value(profileName);
    const services::PrometheusSettings prometheus =
        m_services.profiles ? m_services.profiles->prometheus(profileName)
                            : services::PrometheusSettings();
    w->setBackfill(
        prometheus.isSet()
            ? new models::ChartBackfill(m_services.nam, m_services.secrets, profileName, prometheus)
            : nullptr);
    w->setCapacity(
        prometheus.isSet()
            ? new models::CapacityModel(m_services.nam, m_services.secrets, profileName, prometheus)
            : nullptr);
    if (profileName == m_current) {
        m_charts->setBackfill(w->backfill());
        m_capacity->setModel(w->capacity());
    }
    m_notifier->setClusterEnabled(profileName, !profile || profile->desktopNotifications);
    m_readOnly.insert(profileName, readOnly || m_options.readOnly);
    if (m_current.isEmpty()) {
        showCluster(profileName);
        m_clusterList->setCurrentCluster(profileName);
        m_refresh->setMessage(tr("Connecting to %1…").arg(target));
    }
}

void MainWindow::removeCluster(const QString &profileName)
{
    models::ClusterWatch *watch = m_watches.take(profileName);
    if (!watch)
        return;
    m_targets.remove(profileName);
    m_clusterListModel->removeCluster(profileName);
    m_alertsModel->removeCluster(profileName);
    m_externalAlertsModel->removeCluster(profileName);
    updateAlertSummary();
    if (m_current == profileName) {
        m_current.clear();
        Q_EMIT currentClusterChanged(QString());
        if (!m_watches.isEmpty()) {
            showCluster(m_watches.firstKey());
            m_clusterList->setCurrentCluster(m_current);
        } else {
            m_overview->setTopologyModel(nullptr);
            m_charts->setHistory(nullptr);
            m_charts->setBackfill(nullptr);
            m_capacity->setModel(nullptr);
            m_alerts->setTopologyModel(nullptr);
            updateViews(nullptr);
        }
    }
    watch->deleteLater();
    Q_EMIT clusterRemoved(profileName);
}

void MainWindow::showCluster(const QString &profileName)
{
    models::ClusterWatch *watch = m_watches.value(profileName);
    if (!watch || profileName == m_current)
        return;
    m_current = profileName;
    Q_EMIT currentClusterChanged(profileName);
    m_overview->setTopologyModel(watch->topology());
    m_charts->setHistory(watch->history());
    m_charts->setBackfill(watch->backfill());
    m_capacity->setModel(watch->capacity());
    m_alerts->setTopologyModel(watch->topology());
    updateViews(watch->lastSnapshot());
    if (!watch->lastSnapshot() && m_problems.contains(profileName))
        m_refresh->setMessage(m_problems.value(profileName));
}

void MainWindow::showSnapshot(services::ClusterSnapshotPtr snapshot)
{
    if (!snapshot)
        return;
    if (!m_watches.contains(snapshot->profileName))
        addCluster(snapshot->profileName, snapshot->scope);
    m_watches.value(snapshot->profileName)->ingest(snapshot);
    m_problems.remove(snapshot->profileName);
    m_clusterListModel->setSnapshot(snapshot);
    m_externalAlertsModel->setStatus(snapshot->profileName, snapshot->alertmanager);
    if (snapshot->profileName == m_current)
        updateViews(snapshot);
}

void MainWindow::updateViews(const services::ClusterSnapshotPtr &snapshot)
{
    m_membersModel->setSnapshot(snapshot);
    m_replicationModel->setSnapshot(snapshot);
    m_slotsModel->setSnapshot(snapshot);
    m_archiverModel->setSnapshot(snapshot);
    m_findingsModel->setSnapshot(snapshot);
    m_overview->setSnapshot(snapshot);
    m_connections->setSnapshot(snapshot);
    const models::ClusterWatch *watch = m_watches.value(m_current);
    m_refresh->setSnapshot(snapshot, watch ? watch->intervalMs() : 1000);
    updateTitle(snapshot);
}

void MainWindow::watchAlerts(models::ClusterWatch *watch)
{
    services::AlertEngine *engine = watch->alerts();
    engine->setHistory(&m_alertHistory);
    const QString cluster = watch->profileName();
    connect(engine, &services::AlertEngine::alertEvent, this,
            [this](const services::AlertEvent &e) {
                m_alertsHistoryModel->append(e);
                m_notifier->handle(e);
            });
    connect(engine, &services::AlertEngine::activeAlertsChanged, this, [this, engine, cluster] {
        const QList<services::Alert> active = engine->activeAlerts();
        m_alertsModel->setAlerts(cluster, active);
        m_clusterListModel->setAlerts(cluster, active);
        updateAlertSummary();
    });
    connect(engine, &services::AlertEngine::historyFailed, m_refresh,
            &RefreshStatusWidget::setMessage);
}

void MainWindow::acknowledgeAlert(const QString &cluster, const QString &key)
{
    if (models::ClusterWatch *watch = m_watches.value(cluster))
        watch->alerts()->acknowledge(key);
}

void MainWindow::updateAlertSummary()
{
    const models::AlertsModel::Counts counts = m_alertsModel->counts();
    m_alertsDock->setWindowTitle(counts.total() > 0
                                     ? tr("Alerts and events (%1)").arg(counts.total())
                                     : tr("Alerts and events"));
    m_tray->setCounts(counts);
}

void MainWindow::setNotificationsEnabled(bool enabled)
{
    if (m_notifyAction && m_notifyAction->isChecked() != enabled)
        m_notifyAction->setChecked(enabled);
    m_notifier->setEnabled(enabled);
    QSettings settings;
    // Dropped when it equals the default (on), like every other preference.
    if (enabled)
        settings.remove(QLatin1String(kNotificationsKey));
    else
        settings.setValue(QLatin1String(kNotificationsKey), false);
}

void MainWindow::updateTitle(const services::ClusterSnapshotPtr &snapshot)
{
    QString title;
    if (snapshot) {
        const QString scope = snapshot->scope.isEmpty() ? snapshot->profileName : snapshot->scope;
        const services::MemberSnapshot *leader = snapshot->leader();
        title = leader ? tr("%1 — leader %2 — Vigil").arg(scope, leader->name)
                       : tr("%1 — NO LEADER — Vigil").arg(scope);
    } else if (!m_current.isEmpty()) {
        title = tr("%1 — Vigil").arg(m_current);
    } else {
        title = tr("Vigil");
    }
    if (m_options.readOnly || m_readOnly.value(m_current))
        title += tr(" (read-only)");
    setWindowTitle(title);
}

void MainWindow::showConnectionProblem(const QString &message)
{
    m_refresh->setMessage(message);
}

void MainWindow::showClusterProblem(const QString &profileName, const QString &message)
{
    m_problems.insert(profileName, message);
    if (profileName == m_current || m_current.isEmpty())
        m_refresh->setMessage(message);
}

void MainWindow::setLargeFonts(bool large)
{
    if (m_largeFontsAction && m_largeFontsAction->isChecked() != large)
        m_largeFontsAction->setChecked(large);
    if (large == m_largeFonts)
        return;
    m_largeFonts = large;
    QFont f = m_baseFont;
    f.setPointSizeF(m_baseFont.pointSizeF() * (large ? kLargeFontFactor : 1.0));
    QApplication::setFont(f);
    m_charts->setLargeFonts(large);
    m_capacity->setLargeFonts(large);
    Q_EMIT largeFontsChanged(large);
}

void MainWindow::fitClusterDock()
{
    if (m_clusterDock->isHidden() || m_clusterDock->isFloating())
        return;
    // The table's needs plus what the dock puts around it (title bar frame, margins).
    TableView *table = m_clusterList->table();
    const int wanted = table->contentsWidth() + qMax(0, m_clusterDock->width() - table->width());
    const int width = qMax(m_clusterDock->width(), qMin(wanted, this->width() / 3));
    if (width != m_clusterDock->width())
        resizeDocks({m_clusterDock}, {width}, Qt::Horizontal);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    const QByteArray geometry = settings.value(QLatin1String(kGeometryKey)).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        resize(1360, 860);
    restoreState(settings.value(QLatin1String(kStateKey)).toByteArray(), kLayoutVersion);
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    settings.setValue(QLatin1String(kStateKey), saveState(kLayoutVersion));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

} // namespace vigil::ui
