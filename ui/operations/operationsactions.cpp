#include "ui/operations/operationsactions.h"

#include "ui/operations/configeditor.h"
#include "ui/operations/failoverwizard.h"
#include "ui/operations/memberactiondialogs.h"
#include "ui/operations/switchoverwizard.h"
#include "ui/shell/auditlogview.h"

#include <QAction>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>

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
                     a.onlyIfPendingRestart =
                         kind == MemberAction::Kind::Restart && m.pendingRestart;
                     openOwned(new MemberActionDialog(hooks.context(), a, w));
                 });
}

} // namespace

QMenu *installOperationsActions(QMainWindow *window, OperationsHooks hooks)
{
    QMenu *menu = window->menuBar()->addMenu(QObject::tr("&Operations"));
    QToolBar *bar = window->addToolBar(QObject::tr("Operations"));
    bar->setObjectName(QStringLiteral("operationsToolBar"));
    QList<QAction *> destructive;
    auto add = [&](const QString &text, const QKeySequence &key, bool isDestructive,
                   std::function<void()> f, bool onBar = false) {
        QAction *a = menu->addAction(text);
        if (!key.isEmpty())
            a->setShortcut(key);
        QObject::connect(a, &QAction::triggered, window, std::move(f));
        if (isDestructive)
            destructive << a;
        if (onBar)
            bar->addAction(a);
        return a;
    };

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
    menu->addSeparator();
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
    menu->addSeparator();
    add(QObject::tr("&Audit log…"), QKeySequence(QStringLiteral("Ctrl+Alt+L")), false,
        [window, hooks] { openOwned(new AuditLogView(hooks.context().audit, window)); });

    // Read-only mode: disabled here for convenience; the services refuse regardless.
    QObject::connect(menu, &QMenu::aboutToShow, window, [hooks, destructive] {
        const OperationContext c = hooks.context();
        const bool ro = !c.guard || c.guard->isReadOnly();
        for (QAction *a : destructive)
            a->setEnabled(!ro);
    });
    return menu;
}

} // namespace vigil::ui
