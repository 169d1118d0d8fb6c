#pragma once

#include "services/core/auditlog.h"
#include "services/core/readonlyguard.h"
#include "services/diagnostics/membersessionpool.h"
#include "services/monitor/clustermonitor.h"

#include <QMainWindow>
#include <memory>

namespace vigil::ui {

// Adds the troubleshooting screens to a main window, as docks (tabbed at the bottom, hidden
// until opened) with a "Troubleshooting" menu and shortcuts:
//   Sessions            Ctrl+Shift+S      Lock and blocker tree  Ctrl+Shift+L
//   Slow queries        Ctrl+Shift+Q      Database and table statistics  Ctrl+Shift+T
//   Server log          Ctrl+Shift+G
//   Terminate idle sessions…  Ctrl+Shift+K (the wizard)
// The context (members, sessions, guard, audit log) is owned by the window.
void installTroubleshootingViews(QMainWindow *window, services::MemberSessionPool *context);

// The one line for MainWindow: creates the context for `monitor`'s cluster (its members follow
// the monitor's snapshots), with the local audit log and the read-only guard, and installs the
// views. The SQL password (if any) is kept in memory only. Returns the context.
inline services::MemberSessionPool *installTroubleshootingViews(QMainWindow *window,
                                                                services::ClusterMonitor *monitor,
                                                                const QString &sqlPassword,
                                                                bool readOnly)
{
    auto *context = new services::MemberSessionPool(
        monitor->profile(), sqlPassword, std::make_shared<services::ReadOnlyGuard>(readOnly),
        std::make_shared<services::AuditLog>(), window);
    QObject::connect(monitor, &services::ClusterMonitor::snapshotReady, context,
                     &services::MemberSessionPool::applySnapshot);
    if (auto snapshot = monitor->lastSnapshot())
        context->applySnapshot(snapshot);
    installTroubleshootingViews(window, context);
    return context;
}

} // namespace vigil::ui
