#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QWidget>

class QVBoxLayout;

namespace vigil::ui {

// Full-width coloured lines for cluster-wide states a DBA must not miss: maintenance mode,
// scheduled switchover, no leader, cluster view unreachable (models::clusterBanners). Hidden when
// there is nothing to say. Labels are reused between refreshes.
class BannerStrip : public QWidget
{
    Q_OBJECT
public:
    explicit BannerStrip(QWidget *parent = nullptr);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    void setExtra(const QString &text); // e.g. read-only mode; empty hides it
    QStringList texts() const;

private:
    void rebuild();
    QVBoxLayout *m_layout;
    QList<QPair<int, QString>> m_banners; // severity rank, text
    QString m_extra;
};

} // namespace vigil::ui
