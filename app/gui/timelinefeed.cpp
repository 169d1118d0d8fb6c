#include "app/gui/timelinefeed.h"

#include "models/timelinemodel.h"
#include "services/core/auditlog.h"
#include "services/monitor/alertengine.h"
#include "services/timeline/patronihistoryfetch.h"
#include "services/timeline/timelinerecorder.h"
#include "services/timeline/timelinestore.h"

#include <chrono>

namespace vigil::app {

namespace {
QUrl baseUrl(QUrl url)
{
    url.setPath(QString());
    url.setQuery(QString());
    return url;
}
} // namespace

TimelineFeed::TimelineFeed(QNetworkAccessManager *nam, std::shared_ptr<services::AuditLog> audit,
                           models::TimelineModel *model, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_audit(std::move(audit))
    , m_model(model)
{
}

TimelineFeed::~TimelineFeed() = default;

void TimelineFeed::watch(const services::ClusterProfile &profile,
                         const services::ClusterMonitor::Secrets &secrets,
                         services::ClusterMonitor *monitor, services::AlertEngine *alerts)
{
    const QString name = profile.name;
    Feed &feed = m_feeds[name];
    feed.profile = profile;
    feed.secrets = secrets;
    if (!feed.recorder) {
        feed.store = std::make_unique<services::TimelineStore>(name);
        feed.recorder = new services::TimelineRecorder(name, feed.store.get(), this);
        connect(feed.recorder, &services::TimelineRecorder::eventRecorded, m_model,
                &models::TimelineModel::append);
        connect(feed.recorder, &services::TimelineRecorder::historyWanted, this,
                [this, name] { m_feeds[name].historyWanted = true; });
        if (m_model->cluster() == name)
            show(name);
    }
    if (alerts)
        connect(alerts, &services::AlertEngine::alertEvent, feed.recorder,
                &services::TimelineRecorder::ingestAlert, Qt::UniqueConnection);
    if (monitor)
        connect(monitor, &services::ClusterMonitor::snapshotReady, this,
                [this, name](const services::ClusterSnapshotPtr &s) { onSnapshot(name, s); });
}

void TimelineFeed::onSnapshot(const QString &cluster, const services::ClusterSnapshotPtr &s)
{
    auto it = m_feeds.find(cluster);
    if (it == m_feeds.end() || !it->second.recorder || !s)
        return;
    Feed &feed = it->second;
    feed.last = s;
    feed.recorder->ingest(*s);
    if (m_audit)
        feed.recorder->importAuditFile(*m_audit);
    if (feed.historyWanted && !feed.historyPending &&
        (!feed.historyRetryAt.isValid() || QDateTime::currentDateTimeUtc() >= feed.historyRetryAt))
        fetchHistory(cluster);
}

void TimelineFeed::fetchHistory(const QString &cluster)
{
    Feed &feed = m_feeds[cluster];
    QList<services::PatroniEndpoint> endpoints;
    QList<QUrl> seen;
    QList<QUrl> urls = {feed.profile.patroniUrl};
    if (feed.last)
        for (const services::MemberSnapshot &m : feed.last->members)
            if (m.apiUrl.isValid() && m.rest.ok())
                urls.prepend(m.apiUrl);
    for (const QUrl &url : urls) {
        const QUrl base = baseUrl(url);
        if (!base.isValid() || base.host().isEmpty() || seen.contains(base))
            continue;
        seen << base;
        endpoints << services::restEndpoint(feed.profile, feed.secrets, base);
    }
    feed.historyWanted = false;
    feed.historyPending = true;
    services::fetchPatroniHistory(
        m_nam, endpoints, std::chrono::milliseconds(5000), feed.recorder,
        [this, cluster](const services::Result<services::PatroniHistoryAnswer> &result) {
            auto it = m_feeds.find(cluster);
            if (it == m_feeds.end())
                return;
            Feed &f = it->second;
            f.historyPending = false;
            if (result.ok() && f.recorder) {
                f.recorder->setScope(result.value().scope);
                f.recorder->mergeHistory(result.value().entries);
                f.historyRetryAt = QDateTime();
            } else {
                f.historyWanted = true;
                f.historyRetryAt = QDateTime::currentDateTimeUtc().addSecs(60);
            }
        });
}

void TimelineFeed::forget(const QString &cluster)
{
    auto it = m_feeds.find(cluster);
    if (it == m_feeds.end())
        return;
    delete it->second.recorder.data();
    m_feeds.erase(it);
    if (m_model->cluster() == cluster)
        m_model->setCluster(QString(), {});
}

void TimelineFeed::show(const QString &cluster)
{
    const services::TimelineRecorder *r = recorder(cluster);
    m_model->setCluster(cluster, r ? r->events() : QList<services::TimelineEvent>());
}

services::TimelineRecorder *TimelineFeed::recorder(const QString &cluster) const
{
    const auto it = m_feeds.find(cluster);
    return it == m_feeds.end() ? nullptr : it->second.recorder.data();
}

} // namespace vigil::app
