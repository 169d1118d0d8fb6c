#pragma once

#include "services/monitor/findingthresholds.h"

#include <QGroupBox>

class QCheckBox;
class QDoubleSpinBox;
class QGridLayout;
class QSpinBox;

namespace vigil::ui {

// The profile dialog's "Alert thresholds": the levels at which the findings of one cluster turn
// WARNING or CRITICAL (FindingThresholds), in the units a DBA thinks in (seconds, per cent,
// GiB), prefilled with the ops manual's values. A compact grid: one row per rule, a warning and
// (where the rule has one) a critical column. Below it the alert engine's "Raise / clear" rows
// (how many snapshots in a row raise and clear an alert, and the hysteresis; AlertEngine) and
// the profile's desktop-notification opt-out (ClusterProfile::desktopNotifications).
class AlertThresholdsBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit AlertThresholdsBox(QWidget *parent = nullptr);

    void setThresholds(const services::FindingThresholds &t);
    // `base` with the fields this box edits replaced by what is typed (the others kept).
    services::FindingThresholds thresholds(const services::FindingThresholds &base = {}) const;

    void setDesktopNotifications(bool on);
    bool desktopNotifications() const;

private:
    QDoubleSpinBox *spin(const QString &objectName, double max, int decimals,
                         const QString &suffix);
    QSpinBox *snapshotSpin(const QString &objectName);
    int addThresholdRows(QGridLayout *grid);
    void addRaiseClearRows(QGridLayout *grid, int row);

    QDoubleSpinBox *m_lagWarning, *m_lagCritical;
    QDoubleSpinBox *m_connWarning, *m_connCritical;
    QDoubleSpinBox *m_blocker, *m_idleInTransaction;
    QDoubleSpinBox *m_slowQuery, *m_rollbacks;
    QDoubleSpinBox *m_diskCapacity, *m_diskWarning, *m_diskCritical;
    QSpinBox *m_raise, *m_raiseCritical, *m_clear;
    QDoubleSpinBox *m_hysteresis;
    QCheckBox *m_notify;
};

} // namespace vigil::ui
