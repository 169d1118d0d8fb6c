#pragma once

#include "services/metrics/custommetricreading.h"
#include "services/monitor/clustersnapshot.h"
#include "services/settings/clusterprofile.h"
#include "services/settings/custommetric.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>

class QTimer;

namespace vigil::services {

class MemberSessionPool;

// Runs one cluster's custom metrics, each at its own interval, on the member it names (the
// leader, or a running replica: the least lagging one, kept while it stays healthy), read-only
// and under a statement_timeout (see custommetricanswer.h for the exact frame), and keeps the
// last reading of each. ClusterPoller attaches readings() to every snapshot it builds, so the
// charts (ChartHistory), the findings (customMetricFindings) and the alert engine see them like
// any other part of the cluster.
//
// The sessions come from a MemberSessionPool of its own (one per member and database, opened
// with default_transaction_read_only=on and application_name "vigil-metrics"), apart from the
// monitor's and the troubleshooting views' connections. A run that is still going when its next
// tick comes is not doubled: that tick is skipped. Every error is a reading with a sentence,
// never an exception.
//
// Threading: lives on the UI thread and never blocks it (PgSession is asynchronous). The first
// runs start with the first snapshot that names a target member.
class CustomMetricRunner : public QObject
{
    Q_OBJECT
public:
    CustomMetricRunner(const ClusterProfile &profile, const QString &sqlPassword,
                       const QList<CustomMetric> &metrics, QObject *parent = nullptr);
    ~CustomMetricRunner() override;

    QList<CustomMetric> metrics() const;
    // One reading per metric, in the metrics' order.
    QList<CustomMetricReading> readings() const;

    // The members, roles and states of the cluster (from ClusterMonitor's snapshots).
    void applySnapshot(const ClusterSnapshot &snapshot);
    // Runs metric `index` now (unless it is running already); tests and "run now" buttons.
    void runNow(int index);

Q_SIGNALS:
    // A run of metric `index` ended: readings() holds its new answer or error.
    void readingChanged(int index);

private:
    struct Slot;
    QString targetFor(Slot &slot) const;
    void run(int index);
    void finish(int index, const QList<CustomMetricValue> &values, const QString &error);

    struct MemberState
    {
        QString name;
        bool leader = false;
        bool healthyReplica = false;
        qint64 lagBytes = 0;
    };
    MemberSessionPool *m_pool;
    QString m_defaultDatabase;
    QList<Slot *> m_slots;
    QList<MemberState> m_members;
    bool m_started = false;
};

} // namespace vigil::services
