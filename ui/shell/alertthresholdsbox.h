#pragma once

#include "services/monitor/findingthresholds.h"

#include <QGroupBox>

class QDoubleSpinBox;

namespace vigil::ui {

// The profile dialog's "Alert thresholds": the levels at which the findings of one cluster turn
// WARNING or CRITICAL (FindingThresholds), in the units a DBA thinks in (seconds, per cent,
// GiB), prefilled with the ops manual's values. A compact grid: one row per rule, a warning and
// (where the rule has one) a critical column.
class AlertThresholdsBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit AlertThresholdsBox(QWidget *parent = nullptr);

    void setThresholds(const services::FindingThresholds &t);
    // `base` with the fields this box edits replaced by what is typed (the others kept).
    services::FindingThresholds thresholds(const services::FindingThresholds &base = {}) const;

private:
    QDoubleSpinBox *spin(const QString &objectName, double max, int decimals,
                         const QString &suffix);

    QDoubleSpinBox *m_lagWarning, *m_lagCritical;
    QDoubleSpinBox *m_connWarning, *m_connCritical;
    QDoubleSpinBox *m_blocker, *m_idleInTransaction;
    QDoubleSpinBox *m_slowQuery, *m_rollbacks;
    QDoubleSpinBox *m_diskCapacity, *m_diskWarning, *m_diskCritical;
};

} // namespace vigil::ui
