#include "ui/operations/operationsactions.h"

#include "ui/operations/configeditor.h"
#include "ui/operations/failoverwizard.h"
#include "ui/operations/memberactiondialogs.h"
#include "ui/operations/slowqueryloggingdialog.h"
#include "ui/operations/switchoverwizard.h"
#include "ui/shell/auditlogview.h"
#include "ui/shell/menuorder.h"

#include <QAction>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>
#include <algorithm>

namespace vigil::ui {

using namespace vigil::services;

namespace {

template <typename T> void openOwned(T *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

// Asks for a member (non-blocking), then calls `then` with it.
void chooseMember(QMainWindow *w, const OperationsHooks &hooks, const QString &title,
                  bool replicasOnly, std::function<void(const MemberSnapshot &)> then)
{
    const ClusterSnapshotPtr s = hooks.snapshot ? hooks.snapshot() : nullptr;
    if (!s || s->members.isEmpty()) {
        QMessageBox::information(w, title, QObject::tr("The cluster has not been read yet."));
        return;
    }
    QStringList names;
    for (const auto &m : s->members)
        if (!replicasOnly || !m.isLeader())
            names << m.name;
    const QString preselected = hooks.selectedMember ? hooks.selectedMember() : QString();
    auto *dialog = new QInputDialog(w);
    dialog->setWindowTitle(title);
    dialog->setLabelText(QObject::tr("Member:"));
    dialog->setComboBoxItems(names);
    if (names.contains(preselected))
        dialog->setTextValue(preselected);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QInputDialog::textValueSelected, w, [s, then](const QString &name) {
        if (const MemberSnapshot *m = s->member(name))
            then(*m);
    });
    dialog->open();
}

void openMemberAction(QMainWindow *w, const OperationsHooks &hooks, MemberAction::Kind kind,
                      const QString &title)
{
    chooseMember(w, hooks, title, kind == MemberAction::Kind::Reinitialize,
                 [w, hooks, kind](const MemberSnapshot &m) {
                     const ClusterSnapshotPtr s = hooks.snapshot();
                     MemberAction a;
                     a.kind = kind;
                     a.cluster = s->scope;
                     a.member = m.name;
                     a.memberApi = m.apiUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
                     a.memberIsLeader = m.isLeader();
                     a.onlyIfPendingRestart =
                         kind == MemberAction::Kind::Restart && m.pendingRestart;
                     openOwned(new MemberActionDialog(hooks.context(), a, w));
                 });
}

// Cancel a member's scheduled restart: only members with one are offered.
void openCancelRestart(QMainWindow *w, const OperationsHooks &hooks)
{
    const ClusterSnapshotPtr s = hooks.snapshot ? hooks.snapshot() : nullptr;
    const bool any = s && std::any_of(s->members.begin(), s->members.end(),
                                      [](const MemberSnapshot &m) { return m.scheduledRestart; });
    if (!any) {
        QMessageBox::information(w, QObject::tr("Cancel scheduled restart"),
                                 QObject::tr("No member has a scheduled restart."));
        return;
    }
    chooseMember(w, hooks, QObject::tr("Cancel scheduled restart"), false,
                 [w, hooks](const MemberSnapshot &m) {
                     MemberAction a;
                     a.kind = MemberAction::Kind::CancelRestart;
                     a.cluster = hooks.snapshot()->scope;
                     a.member = m.name;
                     a.memberApi = m.apiUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
                     a.waitSeconds = 20;
                     openOwned(new MemberActionDialog(hooks.context(), a, w));
                 });
}

// Adds the menu's actions (and some to the toolbar); collects the destructive ones, which are
// disabled in read-only mode.
struct ActionAdder
{
    QMainWindow *window;
    QMenu *menu;
    QToolBar *bar;
    QList<QAction *> destructive;

    QAction *operator()(const QString &text, const QKeySequence &key, bool isDestructive,
                        std::function<void()> f, bool onBar = false)
    {
        QAction *a = menu->addAction(text);
        if (!key.isEmpty())
            a->setShortcut(key);
        QObject::connect(a, &QAction::triggered, window, std::move(f));
        if (isDestructive)
            destructive << a;
        if (onBar)
            bar->addAction(a);
        return a;
    }
};

// The leader changes hands: planned switchover, emergency failover.
void addLeaderActions(ActionAdder &add, const OperationsHooks &hooks)
{
    QMainWindow *window = add.window;
    add(
        QObject::tr("Planned &switchover…"), QKeySequence(QStringLiteral("Ctrl+Alt+S")), true,
        [window, hooks] {
            openOwned(new SwitchoverWizard(hooks.context(), hooks.snapshot(), window));
        },
        true);
    add(QObject::tr("Emergency &failover…"), QKeySequence(QStringLiteral("Ctrl+Alt+F")), true,
        [window, hooks] {
            auto *w = new FailoverWizard(hooks.context(), hooks.snapshot(), window);
            w->refresh();
            openOwned(w);
        });
}

// One member: restart, reload, reinitialize.
void addMemberActions(ActionAdder &add, const OperationsHooks &hooks)
{
    QMainWindow *window = add.window;
    add(QObject::tr("&Restart member…"), QKeySequence(QStringLiteral("Ctrl+Alt+R")), true,
        [window, hooks] {
            openMemberAction(window, hooks, MemberAction::Kind::Restart,
                             QObject::tr("Restart member"));
        });
    add(QObject::tr("Re&load member…"), {}, true, [window, hooks] {
        openMemberAction(window, hooks, MemberAction::Kind::Reload, QObject::tr("Reload member"));
    });
    add(QObject::tr("Re&initialize replica…"), {}, true, [window, hooks] {
        openMemberAction(window, hooks, MemberAction::Kind::Reinitialize,
                         QObject::tr("Reinitialize replica"));
    });
}

// The whole cluster: pause/resume, cancel a scheduled switchover, edit the dynamic configuration.
void addClusterActions(ActionAdder &add, const OperationsHooks &hooks)
{
    QMainWindow *window = add.window;
    add(
        QObject::tr("&Pause / resume cluster…"), QKeySequence(QStringLiteral("Ctrl+Alt+P")), true,
        [window, hooks] {
            const ClusterSnapshotPtr s = hooks.snapshot();
            if (!s)
                return;
            MemberAction a;
            a.kind = s->paused ? MemberAction::Kind::Resume : MemberAction::Kind::Pause;
            a.cluster = s->scope;
            openOwned(new MemberActionDialog(hooks.context(), a, window));
        },
        true);
    add(QObject::tr("Cancel scheduled s&witchover…"), {}, true, [window, hooks] {
        const ClusterSnapshotPtr s = hooks.snapshot();
        if (!s)
            return;
        MemberAction a;
        a.kind = MemberAction::Kind::CancelSwitchover;
        a.cluster = s->scope;
        a.waitSeconds = 20;
        openOwned(new MemberActionDialog(hooks.context(), a, window));
    });
    add(QObject::tr("Cancel scheduled &restart…"), {}, true,
        [window, hooks] { openCancelRestart(window, hooks); });
    add(QObject::tr("&Edit dynamic configuration…"), QKeySequence(QStringLiteral("Ctrl+Alt+E")),
        true, [window, hooks] {
            const ClusterSnapshotPtr s = hooks.snapshot();
            if (!s || !s->dynamicConfig) {
                QMessageBox::information(
                    window, QObject::tr("Dynamic configuration"),
                    QObject::tr("The dynamic configuration has not been read yet."));
                return;
            }
            openOwned(new ConfigEditor(hooks.context(), *s->dynamicConfig, s->scope, window));
        });
    add(QObject::tr("Slow-&query logging…"), {}, true, [window, hooks] {
        const ClusterSnapshotPtr s = hooks.snapshot();
        if (!s || !s->dynamicConfig) {
            QMessageBox::information(
                window, QObject::tr("Slow-query logging"),
                QObject::tr("The dynamic configuration has not been read yet."));
            return;
        }
        openOwned(new SlowQueryLoggingDialog(hooks.context(), *s->dynamicConfig, s->scope, window));
    });
}

} // namespace

QMenu *installOperationsActions(QMainWindow *window, OperationsHooks hooks)
{
    auto *menu = new QMenu(QObject::tr("&Operations"), window);
    menu->setObjectName(QStringLiteral("operationsMenu"));
    insertMenuInOrder(window->menuBar(), menu); // after View, before Troubleshooting and Help
    QToolBar *bar = window->addToolBar(QObject::tr("Operations"));
    bar->setObjectName(QStringLiteral("operationsToolBar"));
    ActionAdder add{window, menu, bar, {}};

    addLeaderActions(add, hooks);
    menu->addSeparator();
    addMemberActions(add, hooks);
    addClusterActions(add, hooks);
    menu->addSeparator();
    add(QObject::tr("&Audit log…"), QKeySequence(QStringLiteral("Ctrl+Alt+L")), false,
        [window, hooks] { openOwned(new AuditLogView(hooks.context().audit, window)); });

    // Read-only mode: disabled here for convenience; the services refuse regardless.
    QObject::connect(menu, &QMenu::aboutToShow, window, [hooks, destructive = add.destructive] {
        const OperationContext c = hooks.context();
        const bool ro = !c.guard || c.guard->isReadOnly();
        for (QAction *a : destructive)
            a->setEnabled(!ro);
    });
    return menu;
}

} // namespace vigil::ui
