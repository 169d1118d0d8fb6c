#include "app/gui/compositionroot.h"

#include "app/gui/profilesecretsreader.h"
#include "app/gui/timelinefeed.h"
#include "models/clusterwatch.h"
#include "services/core/auditlog.h"
#include "services/core/readonlyguard.h"
#include "services/diagnostics/membersessionpool.h"
#include "services/operations/operationcontext.h"
#include "services/settings/keychainsecretstore.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "ui/backup/backupactions.h"
#include "ui/charts/chartspanel.h"
#include "ui/maintenance/checklistactions.h"
#include "ui/operations/operationsactions.h"
#include "ui/pgbouncer/pgbouncerview.h"
#include "ui/report/reportactions.h"
#include "ui/security/securityactions.h"
#include "ui/shell/mainwindow.h"
#include "ui/troubleshooting/troubleshootingviews.h"

#include <QMenu>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <memory>

namespace vigil::app {

namespace {
// The PgBouncer dock follows the cluster the window shows (none: an empty profile).
void showPgBouncer(ui::MainWindow *window, const services::ClusterProfile &profile,
                   const services::ClusterMonitor::Secrets &secrets)
{
    window->pgBouncerView()->setTarget(profile.name, profile.pgbouncerConninfo,
                                       secrets.pgbouncerPassword, profile.stateIntervalMs);
}
} // namespace

services::ClusterProfile profileFromUrl(const QUrl &patroniUrl)
{
    services::ClusterProfile p;
    p.patroniUrl = patroniUrl;
    p.name = patroniUrl.port() > 0
                 ? QStringLiteral("%1:%2").arg(patroniUrl.host()).arg(patroniUrl.port())
                 : patroniUrl.host();
    return p;
}

CompositionRoot::CompositionRoot(ui::MainWindow *window, services::SecretStore *secretStore,
                                 services::ProfileStore *profileStore, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_nam(new QNetworkAccessManager(this))
    , m_profiles(profileStore ? profileStore : new services::ProfileStore(this))
    , m_secrets(secretStore ? secretStore : new services::KeychainSecretStore(this))
    , m_sessionSecrets(new services::MemorySecretStore(this))
    , m_audit(std::make_shared<services::AuditLog>())
    , m_timelines(new TimelineFeed(m_nam, m_audit, window->timelineModel(), this))
{
    // Every request of every client inherits this bound unless it sets a shorter one.
    m_nam->setTransferTimeout(10000);
    m_window->setServices({m_nam, m_profiles, m_secrets});
    if (!m_profiles->problem().isEmpty()) {
        // Not modal: the window works (with no saved clusters) while this is read.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Saved clusters not read"),
                                    m_profiles->problem(), QMessageBox::Close, m_window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    installOperations();
    m_window->setLargeFonts(m_profiles->largeFonts());
    connect(m_window, &ui::MainWindow::largeFontsChanged, this,
            [this](bool on) { m_profiles->setLargeFonts(on); });
    m_window->chartsPanel()->setWindowSeconds(m_profiles->chartWindowSeconds());
    connect(m_window->chartsPanel(), &ui::ChartsPanel::windowSecondsChanged, this,
            [this](int seconds) { m_profiles->setChartWindowSeconds(seconds); });
    connect(m_window, &ui::MainWindow::clusterAdded, this, &CompositionRoot::watchSavedProfile);
    connect(m_window, &ui::MainWindow::clusterEdited, this,
            [this](const services::ClusterProfile &profile,
                   services::ClusterMonitor::Secrets secrets, bool sessionOnly) {
                // An empty password field in Edit cluster keeps the password in use.
                const services::ClusterMonitor::Secrets before =
                    m_watched.value(profile.name).secrets;
                if (secrets.sqlPassword.isEmpty())
                    secrets.sqlPassword = before.sqlPassword;
                if (secrets.restPassword.isEmpty())
                    secrets.restPassword = before.restPassword;
                if (secrets.pgbouncerPassword.isEmpty())
                    secrets.pgbouncerPassword = before.pgbouncerPassword;
                watchSavedProfile(profile, secrets, sessionOnly);
            });
    connect(m_window, &ui::MainWindow::currentClusterChanged, this, [this](const QString &name) {
        m_timelines->show(name);
        showPgBouncer(m_window, m_watched.value(name).profile, m_watched.value(name).secrets);
        if (!name.isEmpty() && name != m_troubleshootingCluster)
            followWithTroubleshooting(name);
    });
    connect(m_window, &ui::MainWindow::clusterRemoved, this, [this](const QString &name) {
        closeProfile(name);
        m_timelines->forget(name);
        // The window shows no cluster any more (else it has switched the docks already): the
        // docks must not keep acting on the cluster that is gone.
        if (name == m_troubleshootingCluster && m_troubleshooting) {
            m_troubleshooting->rebind({}, {}, std::make_shared<services::ReadOnlyGuard>(true));
            m_troubleshootingCluster.clear();
        }
        m_savedOpen.removeAll(name);
        rememberOpenProfiles();
    });
}

CompositionRoot::~CompositionRoot()
{
    for (const auto &m : std::as_const(m_monitors))
        if (m)
            m->stop();
}

void CompositionRoot::watchSavedProfile(const services::ClusterProfile &profile,
                                        const services::ClusterMonitor::Secrets &secrets,
                                        bool sessionOnly)
{
    if (sessionOnly) {
        // Memory only, for the life of this process: reopening the profile in this
        // session finds them; nothing is written anywhere.
        using Slot = services::SecretStore::Slot;
        const auto ignore = [](const services::SecretStore::Outcome &) {
        };
        m_sessionSecrets->write(services::SecretStore::keyFor(profile.name, Slot::Sql),
                                secrets.sqlPassword, ignore);
        m_sessionSecrets->write(services::SecretStore::keyFor(profile.name, Slot::Rest),
                                secrets.restPassword, ignore);
        m_sessionSecrets->write(services::SecretStore::keyFor(profile.name, Slot::PgBouncer),
                                secrets.pgbouncerPassword, ignore);
    }
    if (!m_savedOpen.contains(profile.name))
        m_savedOpen << profile.name;
    startMonitor(profile, secrets);
    m_window->showCluster(profile.name);
    rememberOpenProfiles();
}

void CompositionRoot::openProfile(const services::ClusterProfile &profile,
                                  const services::ClusterMonitor::Secrets &secrets)
{
    startMonitor(profile, secrets);
}

bool CompositionRoot::openSavedProfile(const QString &name)
{
    const std::optional<services::ClusterProfile> profile = m_profiles->load(name);
    if (!profile) {
        const QStringList known = m_profiles->profileNames();
        m_window->showConnectionProblem(
            known.isEmpty()
                ? tr("There is no saved cluster profile named '%1', and no profile is saved yet. "
                     "Add one with File → Add cluster.")
                      .arg(name)
                : tr("There is no saved cluster profile named '%1'. Saved profiles: %2.")
                      .arg(name, known.join(QStringLiteral(", "))));
        return false;
    }
    if (!m_savedOpen.contains(name))
        m_savedOpen << name;
    m_window->addCluster(profile->name, profile->patroniUrl.toString(QUrl::RemovePassword),
                         profile->stateIntervalMs, profile->readOnly);
    readSecretsThenStart(*profile);
    return true;
}

void CompositionRoot::reopenLastProfiles()
{
    for (const QString &name : m_profiles->openProfiles())
        if (m_profiles->contains(name))
            openSavedProfile(name);
}

void CompositionRoot::readSecretsThenStart(const services::ClusterProfile &profile)
{
    // Whatever the keychain says, the monitor starts after the last read (a missing password is
    // normal: libpq may find it in ~/.pgpass).
    readProfileSecrets(
        this, m_sessionSecrets, m_secrets, profile,
        [this, profile](const services::ClusterMonitor::Secrets &secrets, const QString &problem) {
            if (!problem.isEmpty())
                m_window->showClusterProblem(profile.name, problem);
            startMonitor(profile, secrets);
        });
}

void CompositionRoot::startMonitor(const services::ClusterProfile &given,
                                   const services::ClusterMonitor::Secrets &secrets)
{
    services::ClusterProfile profile = given;
    // --read-only reaches every cluster of the session, saved profiles included: the guard of the
    // operations and of the troubleshooting actions is built from the profile.
    profile.readOnly = profile.readOnly || m_window->forcedReadOnly();
    closeProfile(profile.name);
    m_window->addCluster(profile.name, profile.patroniUrl.toString(QUrl::RemovePassword),
                         profile.stateIntervalMs, profile.readOnly);
    auto *monitor = new services::ClusterMonitor(m_nam, profile, secrets, this);
    // The metrics stack, when the profile names one: node_exporter's host figures through
    // Prometheus, and the active alerts of its Alertmanager.
    const services::PrometheusSettings metrics = m_profiles->prometheus(profile.name);
    services::PrometheusEndpoint endpoint =
        services::PrometheusEndpoint::fromSettings(metrics, secrets.prometheusSecret);
    monitor->setHostMetrics(endpoint);
    endpoint.baseUrl = metrics.alertmanagerUrl;
    monitor->setAlertmanager(endpoint);
    // The profile's custom metrics run with the monitor, whether the cluster is on screen or not:
    // their readings reach its charts and its alert engine through the snapshots.
    monitor->setCustomMetrics(m_profiles->customMetrics(profile.name));
    connect(monitor, &services::ClusterMonitor::snapshotReady, m_window,
            &ui::MainWindow::showSnapshot);
    m_monitors.insert(profile.name, monitor);
    models::ClusterWatch *watch = m_window->watch(profile.name);
    m_timelines->watch(profile, secrets, monitor, watch ? watch->alerts() : nullptr);
    m_watched.insert(profile.name, {profile, secrets});
    if (m_window->currentCluster() == profile.name)
        showPgBouncer(m_window, profile, secrets); // opened first, or edited
    // The troubleshooting screens (sessions, locks, slow queries, table statistics) follow the
    // cluster the window shows; installed with the first one opened.
    if (!m_troubleshooting) {
        m_troubleshooting = new services::MemberSessionPool(
            profile, secrets.sqlPassword,
            std::make_shared<services::ReadOnlyGuard>(profile.readOnly), m_audit, m_window);
        ui::installTroubleshootingViews(m_window, m_troubleshooting);
        ui::installSecurityViews(m_window, m_troubleshooting, operationsHooks());
        m_troubleshootingFeed =
            connect(monitor, &services::ClusterMonitor::snapshotReady, m_troubleshooting,
                    &services::MemberSessionPool::applySnapshot);
        m_troubleshootingCluster = profile.name;
    } else if (profile.name == m_troubleshootingCluster ||
               m_window->currentCluster() == profile.name) {
        followWithTroubleshooting(profile.name); // edited, or reopened: the new monitor
    }
    monitor->start();
}

void CompositionRoot::followWithTroubleshooting(const QString &name)
{
    services::ClusterMonitor *monitor = m_monitors.value(name);
    if (!m_troubleshooting || !monitor)
        return;
    disconnect(m_troubleshootingFeed);
    const Watched w = m_watched.value(name);
    m_troubleshooting->rebind(w.profile, w.secrets.sqlPassword,
                              std::make_shared<services::ReadOnlyGuard>(w.profile.readOnly));
    m_troubleshootingFeed = connect(monitor, &services::ClusterMonitor::snapshotReady,
                                    m_troubleshooting, &services::MemberSessionPool::applySnapshot);
    m_troubleshootingCluster = name;
    if (auto snapshot = monitor->lastSnapshot())
        m_troubleshooting->applySnapshot(snapshot);
}

void CompositionRoot::closeProfile(const QString &name)
{
    m_watched.remove(name);
    if (QPointer<services::ClusterMonitor> m = m_monitors.take(name)) {
        m->stop();
        m->deleteLater();
    }
}

void CompositionRoot::installOperations()
{
    const ui::OperationsHooks hooks = operationsHooks();
    QMenu *operations = ui::installOperationsActions(m_window, hooks);
    ui::installBackupAction(m_window, operations, hooks);
    ui::installChecklistAction(m_window, operations, hooks);
    ui::installRestoreTestAction(m_window, operations, hooks);
    ui::installHealthReportAction(m_window, hooks);
    ui::installSecurityActions(m_window, hooks, m_secrets);
}

ui::OperationsHooks CompositionRoot::operationsHooks()
{
    // The Operations (and Security) menus act on the cluster shown in the window at the moment
    // an action is triggered; read-only comes from --read-only or the profile, enforced in
    // services.
    ui::OperationsHooks hooks;
    hooks.context = [this] {
        services::OperationContext c;
        c.nam = m_nam;
        const Watched w = m_watched.value(m_window->currentCluster());
        c.profile = w.profile;
        c.secrets = w.secrets;
        c.guard =
            std::make_shared<services::ReadOnlyGuard>(w.profile.readOnly || !w.profile.isValid());
        c.audit = m_audit;
        return c;
    };
    hooks.snapshot = [this] {
        const models::ClusterWatch *w = m_window->watch(m_window->currentCluster());
        return w ? w->lastSnapshot() : services::ClusterSnapshotPtr();
    };
    hooks.selectedMember = [this] {
        return m_window->selectedMember();
    };
    return hooks;
}

void CompositionRoot::rememberOpenProfiles()
{
    m_profiles->setOpenProfiles(m_savedOpen);
}

} // namespace vigil::app
