#pragma once

#include "services/diagnostics/sessionsservice.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QTimer;

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

// What every troubleshooting view shares: a picker of the cluster's members (the leader chosen
// first), a refresh timer that runs only while the view is visible, and one fetch at a time.
//
// When the context's members change (a member moved, or the window shows another cluster), the
// context drops its sessions: an answer in flight then never comes, or comes from the old
// picture. Each fetch therefore carries a ticket (beginFetch()); answers whose ticket is no longer
// current are ignored (isCurrent()), and the view is free to fetch again at once.
class MemberViewBase : public QWidget
{
    Q_OBJECT
public:
    QString member() const;
    void setMember(const QString &member);
    void setRefreshIntervalMs(int ms);
    bool isRefreshing() const { return m_inFlight; }
    virtual void refresh() = 0;

protected:
    MemberViewBase(services::MemberSessionPool *context, int refreshIntervalMs, QWidget *parent);

    QComboBox *memberPicker() const { return m_member; }
    // The member shown changed (picked, or the cluster's members changed): drop what is shown of
    // the previous one. refresh() follows.
    virtual void memberChanged() {}
    // Fills the picker from the context; called once by the subclass at the end of its constructor.
    void rebuildMembers();

    quint64 beginFetch();
    bool isCurrent(quint64 ticket) const { return ticket == m_generation; }

    // The "Cancel query…" and "Terminate session…" buttons and the line that reports what came
    // of them, in one row for the subclass's layout. They act on signalTarget() behind a typed
    // confirmation; call updateSignalButtons() when what it returns may have changed.
    struct SignalTarget
    {
        services::SignalPlanEntry entry;
        QString note; // one more sentence for the confirmation, e.g. how many it holds up
    };
    QHBoxLayout *createSignalButtons(QWidget *parent);
    virtual std::optional<SignalTarget> signalTarget() const { return std::nullopt; }
    void updateSignalButtons();

    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

    services::MemberSessionPool *m_context;
    QTimer *m_timer;
    bool m_inFlight = false;

private:
    void signalSelected(services::SignalAction action);

    QComboBox *m_member;
    quint64 m_generation = 0;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_terminate = nullptr;
    QLabel *m_signalOutcome = nullptr;
};

} // namespace vigil::ui
