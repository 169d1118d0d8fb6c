#pragma once

#include "services/diagnostics/lockservice.h"
#include "services/diagnostics/sessionsservice.h"
#include "ui/troubleshooting/memberviewbase.h"

#include <QHash>
#include <QSet>

class QComboBox;
class QLabel;
class QTimer;
class QTreeView;

namespace vigil::models {
class LockTreeModel;
}

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

// The blocker tree of one member (the leader by default): root blockers at the top with how many
// sessions they hold up (directly / in total), waits, lock mode and relation, query. Cancel or
// terminate the selected session behind a confirmation naming it. Refreshes every
// refreshIntervalMs while visible, one query in flight at most; the model is updated in place.
// lastModelUpdateMs() is the UI-thread time of the last model update (for the benchmark).
class LockTreeView : public MemberViewBase
{
    Q_OBJECT
public:
    explicit LockTreeView(services::MemberSessionPool *context, QWidget *parent = nullptr);

    models::LockTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    void refresh() override;
    void showSnapshot(const services::LockTreeSnapshot &snapshot);
    double lastModelUpdateMs() const { return m_lastUpdateMs; }
    double lastModelUpdateCpuMs() const { return m_lastUpdateCpuMs; } // this thread's CPU time

Q_SIGNALS:
    void refreshed();

protected:
    void memberChanged() override;
    std::optional<SignalTarget> signalTarget() const override;

private:
    void resolveRelationNames(const services::LockTreeSnapshot &snapshot);

    models::LockTreeModel *m_model;
    QTreeView *m_tree;
    QLabel *m_summary;
    double m_lastUpdateMs = 0;
    double m_lastUpdateCpuMs = 0;
    bool m_fitted = false;
    QHash<QString, QString> m_relationNames; // "oid N in database D" → name, resolved on D
    QSet<QString> m_resolving;
    QSet<int> m_expanded; // roots opened automatically once (the user's collapsing is kept)
};

} // namespace vigil::ui
