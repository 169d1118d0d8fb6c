#include "services/maintenance/checklist.h"

#include "services/core/error.h"

#include <QHash>

namespace vigil::services {

namespace {

using Period = ChecklistItem::Period;
using Check = ChecklistItem::Check;
using Outcome = ChecklistRecord::Outcome;

const QList<std::pair<Outcome, QLatin1String>> kOutcomeNames = {
    {Outcome::Passed, QLatin1String("passed")},
    {Outcome::Failed, QLatin1String("failed")},
    {Outcome::Unknown, QLatin1String("unknown")},
    {Outcome::Ticked, QLatin1String("ticked")}};

} // namespace

QList<ChecklistItem> maintenanceSchedule()
{
    // The ops manual's lists, in its order and wording.
    return {
        {QStringLiteral("daily.health"), Period::Daily, Tr::tr("Check cluster health status"),
         Check::Health},
        {QStringLiteral("daily.error-logs"), Period::Daily, Tr::tr("Review error logs"),
         Check::ErrorLogs},
        {QStringLiteral("daily.backup"), Period::Daily, Tr::tr("Verify backup completion"),
         Check::Backup},
        {QStringLiteral("daily.metrics"), Period::Daily, Tr::tr("Monitor key performance metrics"),
         Check::Metrics},
        {QStringLiteral("weekly.slow-queries"), Period::Weekly,
         Tr::tr("Analyze slow query reports"), Check::Manual},
        {QStringLiteral("weekly.capacity-metrics"), Period::Weekly,
         Tr::tr("Review capacity planning metrics"), Check::Manual},
        {QStringLiteral("weekly.restore-test"), Period::Weekly,
         Tr::tr("Test backup restore procedure"), Check::RestoreTest},
        {QStringLiteral("weekly.security-patches"), Period::Weekly,
         Tr::tr("Update security patches"), Check::Manual},
        {QStringLiteral("monthly.tuning"), Period::Monthly, Tr::tr("Performance tuning review"),
         Check::Manual},
        {QStringLiteral("monthly.failover-test"), Period::Monthly, Tr::tr("Failover testing"),
         Check::FailoverTest},
        {QStringLiteral("monthly.capacity-assessment"), Period::Monthly,
         Tr::tr("Capacity planning assessment"), Check::Manual},
        {QStringLiteral("monthly.security-audit"), Period::Monthly, Tr::tr("Security audit"),
         Check::Manual},
        {QStringLiteral("quarterly.dr-test"), Period::Quarterly,
         Tr::tr("Disaster recovery testing"), Check::Manual},
        {QStringLiteral("quarterly.config-review"), Period::Quarterly,
         Tr::tr("Configuration review"), Check::Manual},
        {QStringLiteral("quarterly.benchmark"), Period::Quarterly,
         Tr::tr("Performance benchmarking"), Check::Manual},
        {QStringLiteral("quarterly.documentation"), Period::Quarterly,
         Tr::tr("Documentation updates"), Check::Manual},
    };
}

std::optional<ChecklistItem> findChecklistItem(const QString &idOrTitle)
{
    const QString wanted = idOrTitle.trimmed();
    for (const ChecklistItem &item : maintenanceSchedule())
        if (item.id.compare(wanted, Qt::CaseInsensitive) == 0 ||
            item.title.compare(wanted, Qt::CaseInsensitive) == 0)
            return item;
    return std::nullopt;
}

QString periodName(Period period)
{
    switch (period) {
    case Period::Daily:
        return QStringLiteral("daily");
    case Period::Weekly:
        return QStringLiteral("weekly");
    case Period::Monthly:
        return QStringLiteral("monthly");
    case Period::Quarterly:
        return QStringLiteral("quarterly");
    }
    return {};
}

QString periodLabel(Period period)
{
    switch (period) {
    case Period::Daily:
        return Tr::tr("Daily");
    case Period::Weekly:
        return Tr::tr("Weekly");
    case Period::Monthly:
        return Tr::tr("Monthly");
    case Period::Quarterly:
        return Tr::tr("Quarterly");
    }
    return {};
}

QDateTime nextDue(Period period, const QDateTime &done)
{
    switch (period) {
    case Period::Daily:
        return done.addDays(1);
    case Period::Weekly:
        return done.addDays(7);
    case Period::Monthly:
        return done.addMonths(1);
    case Period::Quarterly:
        return done.addMonths(3);
    }
    return done;
}

QString outcomeName(Outcome outcome)
{
    for (const auto &[o, name] : kOutcomeNames)
        if (o == outcome)
            return name;
    return {};
}

QString outcomeLabel(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Passed:
        return Tr::tr("passed");
    case Outcome::Failed:
        return Tr::tr("failed");
    case Outcome::Unknown:
        return Tr::tr("not checked");
    case Outcome::Ticked:
        return Tr::tr("ticked by hand");
    }
    return {};
}

QJsonObject checklistRecordToJson(const ChecklistRecord &r)
{
    QJsonObject o{{QStringLiteral("at"), r.at.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("item"), r.item},
                  {QStringLiteral("outcome"), outcomeName(r.outcome)},
                  {QStringLiteral("who"), r.who}};
    if (!r.evidence.isEmpty())
        o.insert(QStringLiteral("evidence"), r.evidence);
    if (!r.comment.isEmpty())
        o.insert(QStringLiteral("comment"), r.comment);
    if (r.doneAt.isValid())
        o.insert(QStringLiteral("done_at"), r.doneAt.toUTC().toString(Qt::ISODateWithMs));
    return o;
}

std::optional<ChecklistRecord> checklistRecordFromJson(const QJsonObject &o)
{
    ChecklistRecord r;
    r.at = QDateTime::fromString(o.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
    r.item = o.value(QStringLiteral("item")).toString();
    const QString outcome = o.value(QStringLiteral("outcome")).toString();
    bool known = false;
    for (const auto &[value, name] : kOutcomeNames)
        if (outcome == name) {
            r.outcome = value;
            known = true;
        }
    if (!r.at.isValid() || r.item.isEmpty() || !known)
        return std::nullopt;
    r.at = r.at.toUTC();
    r.evidence = o.value(QStringLiteral("evidence")).toString();
    r.who = o.value(QStringLiteral("who")).toString();
    r.comment = o.value(QStringLiteral("comment")).toString();
    const QDateTime doneAt =
        QDateTime::fromString(o.value(QStringLiteral("done_at")).toString(), Qt::ISODateWithMs);
    if (doneAt.isValid())
        r.doneAt = doneAt.toUTC();
    return r;
}

QList<ChecklistItemStatus> checklistStatus(const QList<ChecklistRecord> &records,
                                           const QDateTime &now)
{
    QHash<QString, const ChecklistRecord *> last, lastDone;
    for (const ChecklistRecord &r : records) {
        if (!last.value(r.item) || last.value(r.item)->at <= r.at)
            last.insert(r.item, &r);
        if (r.done() &&
            (!lastDone.value(r.item) || lastDone.value(r.item)->doneTime() <= r.doneTime()))
            lastDone.insert(r.item, &r);
    }
    QList<ChecklistItemStatus> out;
    for (const ChecklistItem &item : maintenanceSchedule()) {
        ChecklistItemStatus s;
        s.item = item;
        if (const ChecklistRecord *r = last.value(item.id))
            s.last = *r;
        if (const ChecklistRecord *r = lastDone.value(item.id)) {
            s.lastDone = *r;
            s.dueAt = nextDue(item.period, r->doneTime());
            s.overdue = now >= s.dueAt;
        }
        out.append(s);
    }
    return out;
}

int overdueCount(const QList<ChecklistItemStatus> &status)
{
    return int(std::count_if(status.begin(), status.end(),
                             [](const ChecklistItemStatus &s) { return s.overdue; }));
}

} // namespace vigil::services
