#pragma once

#include "services/timeline/timelineevent.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

namespace vigil::models {

// The post-mortem of one cluster's incident timeline, as markdown: a summary, what happened
// (every event in the window, times in UTC and local), how long each state lasted (leaders,
// member states, alerts from raise to clear) and who did what (operator actions and
// acknowledgements). The one renderer of the GUI's "Export for post-mortem…" and of
// `vigil timeline --markdown`.
//
// `events` are every event known (oldest first, any order is sorted); `from` (invalid: the
// beginning) and `to` (the export time) bound the window. A state that began before the window
// is counted from `from`; one still going at `to` is said to be ongoing. Pure and deterministic
// for a given `local` zone: unit tested on a recorded failover.
struct TimelineReportOptions
{
    QDateTime from;
    QDateTime to = QDateTime::currentDateTimeUtc();
    QTimeZone local = QTimeZone::systemTimeZone();
};

QString timelineMarkdown(const QString &cluster, QList<services::TimelineEvent> events,
                         const TimelineReportOptions &options);

// "2026-11-27 00:41:18 UTC" and the same instant in `local` ("01:41:18 UTC+01:00" style).
QString timelineUtcText(const QDateTime &at);
QString timelineLocalText(const QDateTime &at, const QTimeZone &local);

} // namespace vigil::models
