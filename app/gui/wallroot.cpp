#include "app/gui/wallroot.h"

#include "app/gui/profilesecretsreader.h"
#include "services/core/readonlyguard.h"
#include "services/settings/keychainsecretstore.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "ui/wall/wallview.h"

#include <QNetworkAccessManager>
#include <QTimer>
#include <algorithm>

namespace vigil::app {

namespace {
// Between the starts of two clusters' monitors (modulo the polling interval): prime to common
// intervals, so 30 clusters at 1 s start 33 ms apart on average.
constexpr qint64 kStaggerMs = 97;
} // namespace

WallRoot::WallRoot(ui::WallView *view, services::SecretStore *secretStore,
                   services::ProfileStore *profileStore, QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_nam(new QNetworkAccessManager(this))
    , m_profiles(profileStore ? profileStore : new services::ProfileStore(this))
    , m_secrets(secretStore ? secretStore : new services::KeychainSecretStore(this))
    , m_sessionSecrets(new services::MemorySecretStore(this))
    , m_guard(std::make_shared<const services::ReadOnlyGuard>(true))
{
    m_nam->setTransferTimeout(10000);
    if (!m_profiles->problem().isEmpty())
        m_view->showProblem(m_profiles->problem());
}

WallRoot::~WallRoot()
{
    for (const auto &m : std::as_const(m_monitors))
        if (m)
            m->stop();
}

void WallRoot::openProfile(const services::ClusterProfile &profile,
                           const services::ClusterMonitor::Secrets &secrets)
{
    startMonitor(profile, secrets);
}

bool WallRoot::openSavedProfile(const QString &name)
{
    const std::optional<services::ClusterProfile> profile = m_profiles->load(name);
    if (!profile) {
        m_missing << name;
        const QStringList known = m_profiles->profileNames();
        m_view->showProblem(
            known.isEmpty()
                ? tr("No saved cluster profile is named %1, and none is saved yet: add them in "
                     "the normal window (File → Add cluster).")
                      .arg(m_missing.join(QStringLiteral(", ")))
                : tr("No saved cluster profile is named %1. Saved profiles: %2.")
                      .arg(m_missing.join(QStringLiteral(", ")), known.join(QStringLiteral(", "))));
        return false;
    }
    // The tile is there at once; the monitor starts when the passwords are read.
    m_view->addCluster(profile->name, profile->stateIntervalMs);
    readProfileSecrets(this, m_sessionSecrets, m_secrets, *profile,
                       [this, profile = *profile](const services::ClusterMonitor::Secrets &secrets,
                                                  const QString &) {
                           // A keychain problem is no reason to stop: libpq's own password
                           // sources may serve, and the tile shows what fails.
                           startMonitor(profile, secrets);
                       });
    return true;
}

void WallRoot::openAllProfiles()
{
    const QStringList names = m_profiles->profileNames();
    if (names.isEmpty())
        m_view->showProblem(tr("No cluster profile is saved yet: add them in the normal window "
                               "(File → Add cluster), then start the wall again."));
    for (const QString &name : names)
        openSavedProfile(name);
}

void WallRoot::reopenLastProfiles()
{
    for (const QString &name : m_profiles->openProfiles())
        if (m_profiles->contains(name))
            openSavedProfile(name);
    if (m_monitors.isEmpty() && m_view->clusters().isEmpty())
        m_view->showProblem(tr("No cluster to show: start the wall with --profile NAME (one per "
                               "cluster), --all-profiles or --patroni URL."));
}

void WallRoot::startMonitor(services::ClusterProfile profile,
                            const services::ClusterMonitor::Secrets &secrets)
{
    profile.readOnly = m_guard->isReadOnly(); // always: the wall acts on nothing
    if (QPointer<services::ClusterMonitor> old = m_monitors.take(profile.name)) {
        old->stop();
        old->deleteLater();
    }
    m_view->addCluster(profile.name, profile.stateIntervalMs);
    auto *monitor = new services::ClusterMonitor(m_nam, profile, secrets, this);
    connect(monitor, &services::ClusterMonitor::snapshotReady, m_view, &ui::WallView::showSnapshot);
    m_monitors.insert(profile.name, monitor);
    // Clusters opened together would poll in step: every periodic probe of 30 clusters (a
    // route probe's fresh connection, whose SCRAM exchange costs ~4 ms of this thread) would
    // land in the same pass of the event loop. Each monitor starts a little later than the one
    // before, so their cycles spread over the interval (bench_wall.sh had measured own stalls
    // of 116-136 ms at 30 clusters started together; README, "Wall benchmark").
    const int interval = std::max(1, profile.stateIntervalMs);
    const int offset = int((qint64(m_started++) * kStaggerMs) % interval);
    QTimer::singleShot(offset, monitor, &services::ClusterMonitor::start);
}

} // namespace vigil::app
