#include "services/monitor/custommetricfindings.h"

#include <QLocale>

namespace vigil::services {

QString formatCustomMetricValue(double value, const QString &unit)
{
    QString number = QString::number(value, 'f', 3);
    while (number.contains(QLatin1Char('.')) &&
           (number.endsWith(QLatin1Char('0')) || number.endsWith(QLatin1Char('.'))))
        number.chop(1);
    return unit.isEmpty() ? number : Tr::tr("%1 %2").arg(number, unit);
}

QList<Finding> customMetricFindings(const QList<CustomMetricReading> &readings,
                                    const FindingThresholds &t)
{
    QList<Finding> out;
    for (const CustomMetricReading &r : readings) {
        Finding f;
        f.code = Finding::Code::CustomMetric;
        f.member = r.name;
        if (r.hasRun() && !r.error.isEmpty()) {
            f.severity = Finding::Severity::Ok;
            f.message = Tr::tr("Custom metric %1 could not be read: %2").arg(r.name, r.error);
            out.append(f);
            continue;
        }
        if (!r.ok() || r.values.isEmpty() || (!r.warning && !r.critical))
            continue;
        const CustomMetricValue *worst = &r.values.first();
        for (const CustomMetricValue &v : r.values)
            if (v.value > worst->value)
                worst = &v;
        const double scale = t.customMetricLevelScale;
        const bool critical = r.critical && worst->value >= *r.critical * scale;
        const bool warning = r.warning && worst->value >= *r.warning * scale;
        if (!critical && !warning)
            continue;
        f.severity = critical ? Finding::Severity::Critical : Finding::Severity::Warning;
        const QString value = formatCustomMetricValue(worst->value, r.unit);
        const QString level = formatCustomMetricValue(critical ? *r.critical : *r.warning, r.unit);
        const QString where = r.member.isEmpty() ? Tr::tr("the cluster") : r.member;
        f.message =
            worst->label.isEmpty()
                ? (critical ? Tr::tr("Custom metric %1 is %2 on %3, at or above its critical "
                                     "level of %4.")
                            : Tr::tr("Custom metric %1 is %2 on %3, at or above its warning "
                                     "level of %4."))
                      .arg(r.name, value, where, level)
                : (critical ? Tr::tr("Custom metric %1 is %2 for %3 on %4, at or above its "
                                     "critical level of %5.")
                            : Tr::tr("Custom metric %1 is %2 for %3 on %4, at or above its "
                                     "warning level of %5."))
                      .arg(r.name, value, worst->label, where, level);
        out.append(f);
    }
    return out;
}

} // namespace vigil::services
