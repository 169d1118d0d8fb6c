#pragma once

#include "models/celltablemodel.h"
#include "services/maintenance/checklist.h"

namespace vigil::models {

// One cluster's maintenance checklist (services/maintenance): one row per task of the ops
// manual's schedule, in its order (daily first), keyed by the item id (KeyRole). Shows how often
// it is due, its due state (overdue in the critical colour: never done, or its period passed
// since the last pass or tick), its last result with when and by whom, and the evidence or the
// hand tick's comment. Refreshed by setStatus() (CellTableModel's diff: never a reset).
class ChecklistModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Task,
        Every,
        Due,
        LastResult,
        When,
        Who,
        Evidence,
        ColumnCount
    };

    explicit ChecklistModel(QObject *parent = nullptr);
    void setStatus(const QList<services::ChecklistItemStatus> &status, const QDateTime &now);
    int overdue() const { return m_overdue; }

    // "overdue (never done)", "overdue since …", "due … (in 20 h)": translated.
    static QString dueText(const services::ChecklistItemStatus &status, const QDateTime &now);

private:
    int m_overdue = 0;
};

} // namespace vigil::models
