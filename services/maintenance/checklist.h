#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace vigil::services {

// The ops manual's "Maintenance Schedule" (daily, weekly, monthly and quarterly tasks) as items
// with a stable id, and what is known about each on one cluster: its results and hand ticks.
struct ChecklistItem
{
    enum class Period
    {
        Daily,
        Weekly,
        Monthly,
        Quarterly
    };
    // How Vigil can check the item; Manual: only ticked by hand with a comment.
    enum class Check
    {
        Manual,
        Health,      // the findings of the last snapshot
        ErrorLogs,   // manual, with a way to the server log view
        Backup,      // the last `vigil backup` (audit log) and the WAL archiver
        Metrics,     // lag and connections against the profile's thresholds
        RestoreTest, // the last restore test in the audit log
        FailoverTest // the last switchover (or its dry run) or failover in the audit log
    };
    QString id; // "daily.health", stable: the history names items by it
    Period period = Period::Daily;
    QString title; // the manual's wording, translated
    Check check = Check::Manual;

    bool automatic() const { return check != Check::Manual && check != Check::ErrorLogs; }
};

// Every item in the manual's order (daily first). Built on each call: the titles are translated.
QList<ChecklistItem> maintenanceSchedule();
// The item of `idOrTitle`: its id, or its title (case-insensitive); nullopt when none.
std::optional<ChecklistItem> findChecklistItem(const QString &idOrTitle);
QString periodName(ChecklistItem::Period period);  // "daily", "weekly", ... (stable)
QString periodLabel(ChecklistItem::Period period); // translated "Daily", "Weekly", ...
// When an item done at `done` is due again: a calendar day, week, month or quarter later.
QDateTime nextDue(ChecklistItem::Period period, const QDateTime &done);

// One line of a cluster's checklist history: a check Vigil ran, or a hand tick.
struct ChecklistRecord
{
    enum class Outcome
    {
        Passed,  // the check passed
        Failed,  // the check found a problem, or found nothing to prove the task was done
        Unknown, // the check could not look (no snapshot, the cluster unreachable)
        Ticked   // done by hand, with a comment
    };
    QDateTime at; // UTC
    QString item; // ChecklistItem::id
    Outcome outcome = Outcome::Unknown;
    QString evidence; // what the check saw, in a sentence or two
    QString who;      // the OS user
    QString comment;  // a hand tick's comment
    // When what the evidence shows happened (the backup, the restore test, the snapshot), if
    // earlier than `at`: a pass counts from then, so a week-old restore test found today is due
    // again in a day, not in a week. Invalid: `at`.
    QDateTime doneAt;

    // A pass or a tick: the task counts as done at doneTime().
    bool done() const { return outcome == Outcome::Passed || outcome == Outcome::Ticked; }
    QDateTime doneTime() const { return doneAt.isValid() ? doneAt : at; }
};
QString outcomeName(ChecklistRecord::Outcome outcome);  // "passed", "failed", ... (stable)
QString outcomeLabel(ChecklistRecord::Outcome outcome); // translated
QJsonObject checklistRecordToJson(const ChecklistRecord &record);
// nullopt for an object that is no record (no time, no item, an unknown outcome).
std::optional<ChecklistRecord> checklistRecordFromJson(const QJsonObject &object);

// One item's state at `now`: its last record, its last pass or tick, when it is due and whether
// it is overdue (never done, or its period has passed since the last pass or tick).
struct ChecklistItemStatus
{
    ChecklistItem item;
    std::optional<ChecklistRecord> last;
    std::optional<ChecklistRecord> lastDone;
    QDateTime dueAt; // invalid: never done
    bool overdue = true;
};

// Every item of the schedule with its state, from a cluster's records (any order).
QList<ChecklistItemStatus> checklistStatus(const QList<ChecklistRecord> &records,
                                           const QDateTime &now);
int overdueCount(const QList<ChecklistItemStatus> &status);

} // namespace vigil::services
