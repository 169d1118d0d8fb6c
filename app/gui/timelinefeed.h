#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <map>
#include <memory>

class QNetworkAccessManager;

namespace vigil::services {
class AlertEngine;
class AuditLog;
class TimelineRecorder;
class TimelineStore;
} // namespace vigil::services
namespace vigil::models {
class TimelineModel;
}

namespace vigil::app {

// The GUI's incident timelines: one TimelineRecorder (and its TimelineStore on disk) per watched
// cluster, fed with the cluster's snapshots, its alert engine's events, the audit log (re-read
// when the file changed, after each snapshot) and Patroni's GET /history (on the first snapshot
// and whenever the recorder saw the leader or the timeline change; one request at a time, 5 s per
// member; after a failure, again a minute later at the soonest). The window's TimelineModel follows
// the cluster shown (show). Lives on the UI thread.
class TimelineFeed : public QObject
{
    Q_OBJECT
public:
    TimelineFeed(QNetworkAccessManager *nam, std::shared_ptr<services::AuditLog> audit,
                 models::TimelineModel *model, QObject *parent = nullptr);
    ~TimelineFeed() override;

    // (Re)connects the cluster's feeds: called whenever its monitor is (re)started.
    void watch(const services::ClusterProfile &profile,
               const services::ClusterMonitor::Secrets &secrets, services::ClusterMonitor *monitor,
               services::AlertEngine *alerts);
    void forget(const QString &cluster);
    void show(const QString &cluster);
    services::TimelineRecorder *recorder(const QString &cluster) const;

private:
    struct Feed
    {
        std::unique_ptr<services::TimelineStore> store;
        QPointer<services::TimelineRecorder> recorder;
        services::ClusterProfile profile;
        services::ClusterMonitor::Secrets secrets; // memory only
        services::ClusterSnapshotPtr last;
        bool historyPending = false;
        bool historyWanted = true;
        QDateTime historyRetryAt; // after a failed fetch: not before this
    };
    void fetchHistory(const QString &cluster);
    void onSnapshot(const QString &cluster, const services::ClusterSnapshotPtr &snapshot);

    QNetworkAccessManager *m_nam;
    std::shared_ptr<services::AuditLog> m_audit;
    models::TimelineModel *m_model;
    std::map<QString, Feed> m_feeds;
};

} // namespace vigil::app
