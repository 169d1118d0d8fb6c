#include "models/checklistmodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

namespace {

using Outcome = services::ChecklistRecord::Outcome;

QString localTime(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

Health outcomeHealth(Outcome o)
{
    switch (o) {
    case Outcome::Passed:
    case Outcome::Ticked:
        return Health::Ok;
    case Outcome::Failed:
        return Health::Critical;
    case Outcome::Unknown:
        return Health::Unknown;
    }
    return Health::Unknown;
}

} // namespace

ChecklistModel::ChecklistModel(QObject *parent)
    : CellTableModel({tr("Task"), tr("Every"), tr("Due"), tr("Last result"), tr("When"), tr("By"),
                      tr("Evidence / comment")},
                     parent)
{
    setHeaderToolTips({tr("The ops manual's maintenance task"), tr("How often the task is due"),
                       tr("Overdue when its period has passed since the last pass or hand tick"),
                       tr("The last check Vigil ran, or a hand tick"),
                       tr("When the last result was recorded"),
                       tr("The OS user who ran the check or ticked the task"),
                       tr("What the check saw, or the comment of the hand tick")});
}

QString ChecklistModel::dueText(const services::ChecklistItemStatus &s, const QDateTime &now)
{
    if (!s.dueAt.isValid())
        return tr("overdue (never done)");
    const qint64 seconds = now.secsTo(s.dueAt);
    if (s.overdue)
        return tr("overdue since %1 (%2)").arg(localTime(s.dueAt), formatDuration(-seconds));
    return tr("due %1 (in %2)").arg(localTime(s.dueAt), formatDuration(seconds));
}

void ChecklistModel::setStatus(const QList<services::ChecklistItemStatus> &status,
                               const QDateTime &now)
{
    QList<Row> rows;
    for (const services::ChecklistItemStatus &s : status) {
        Row row;
        row.key = s.item.id;
        row.cells.resize(ColumnCount);
        const QString how = s.item.automatic()
                                ? tr("Vigil checks this task (Run checks); it can also be ticked.")
                            : s.item.check == services::ChecklistItem::Check::ErrorLogs
                                ? tr("Read the server log (Open server log), then tick it.")
                                : tr("Ticked by hand with a comment.");
        row.cells[Task] = text(s.item.title, {}, how);
        row.cells[Every] = text(services::periodLabel(s.item.period), int(s.item.period));
        Cell due = text(dueText(s, now), s.dueAt.isValid() ? s.dueAt : QVariant(QDateTime()));
        due.insert(Qt::DecorationRole, healthColor(s.overdue ? Health::Critical : Health::Ok));
        if (s.overdue)
            due.insert(Qt::ForegroundRole, healthColor(Health::Critical));
        row.cells[Due] = due;
        if (s.last) {
            const services::ChecklistRecord &r = *s.last;
            Cell result = text(services::outcomeLabel(r.outcome));
            result.insert(Qt::DecorationRole, healthColor(outcomeHealth(r.outcome)));
            row.cells[LastResult] = result;
            row.cells[When] = text(localTime(r.at), r.at);
            row.cells[Who] = text(r.who);
            const QString detail = r.comment.isEmpty() ? r.evidence : r.comment;
            row.cells[Evidence] = text(detail, {}, detail);
        } else {
            row.cells[LastResult] = text(tr("none yet"));
        }
        rows.append(std::move(row));
    }
    m_overdue = services::overdueCount(status);
    setRows(std::move(rows));
}

} // namespace vigil::models
