#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QWidget>

class QLabel;
class QTimer;

namespace vigil::ui {

// The status bar's account of freshness, at all times: when the shown cluster was last refreshed
// (ticking every second, so a stalled monitor shows as "12 s ago … overdue") and which members
// are stale and why. Coloured dot: green fresh, amber some member stale, red overdue.
class RefreshStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit RefreshStatusWidget(QWidget *parent = nullptr);

    void setSnapshot(const services::ClusterSnapshotPtr &snapshot, int intervalMs);
    void setMessage(const QString &message); // before any snapshot, e.g. "Connecting to …"
    QString text() const;

private:
    void refresh();
    services::ClusterSnapshotPtr m_snapshot;
    int m_intervalMs = 1000;
    QString m_message;
    QLabel *m_dot;
    QLabel *m_label;
    QTimer *m_tick;
};

} // namespace vigil::ui
