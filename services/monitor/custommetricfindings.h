#pragma once

#include "services/metrics/custommetricreading.h"
#include "services/monitor/clustersnapshot.h"
#include "services/monitor/findingthresholds.h"

#include <QList>

namespace vigil::services {

// The findings of a profile's custom metrics (part of deriveFindings): one per metric whose
// value (the largest of its labels) is at or above its critical level (CRITICAL) or warning
// level (WARNING), its levels multiplied by thresholds.customMetricLevelScale (the alert
// engine's relaxed thresholds lower it, so an active alert clears only below the relaxed
// level). The finding's `member` is the metric's name, which keeps two metrics' alerts apart
// (the alert key is code and member); the message names the metric, the value with its unit,
// the label, the member it ran on and the level. A metric whose last run failed is information
// (OK: it never raises an alert) with the run's sentence. Unsorted; deriveFindings orders them.
QList<Finding> customMetricFindings(const QList<CustomMetricReading> &readings,
                                    const FindingThresholds &thresholds);

// "812 games", "6.02 s", "3": a custom metric's value with its unit, as the findings and the
// charts' hover text print it (at most 3 decimals, trailing zeros dropped).
QString formatCustomMetricValue(double value, const QString &unit);

} // namespace vigil::services
