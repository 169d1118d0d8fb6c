#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace vigil::services {

// One value of a custom metric: `label` is empty for a metric that answers one number, else the
// first column of its row.
struct CustomMetricValue
{
    QString label;
    double value = 0;
    bool operator==(const CustomMetricValue &o) const
    {
        return label == o.label && value == o.value;
    }
};

// The last run of one custom metric (CustomMetricRunner), as carried in every ClusterSnapshot
// (ClusterSnapshot::customMetrics): the definition's name, unit and alert levels travel with it
// so the charts and the findings need nothing else. Either `values` (possibly empty: no rows) or
// `error` (a full sentence), never both. Before the first run: `takenAt` is invalid.
struct CustomMetricReading
{
    QString name;
    QString unit;
    std::optional<double> warning, critical;
    QList<CustomMetricValue> values;
    QString error;
    QString member;       // where it ran (or was to run)
    QDateTime takenAt;    // when the answer (or the error) came, UTC
    qint64 elapsedMs = 0; // the whole read-only frame, as this side timed it

    bool hasRun() const { return takenAt.isValid(); }
    bool ok() const { return hasRun() && error.isEmpty(); }
};

} // namespace vigil::services
