#include "ui/report/reportactions.h"

#include "models/clusterwatch.h"
#include "models/formatting.h"
#include "services/core/auditlog.h"
#include "services/core/version.h"
#include "ui/report/healthreportdialog.h"
#include "ui/shell/mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSysInfo>

namespace vigil::ui {

namespace {

constexpr qint64 kChartWindowMs = 3600 * 1000;

models::HealthReportGatherer::Request requestFor(MainWindow *window, const OperationsHooks &hooks,
                                                 const services::ClusterSnapshotPtr &snapshot)
{
    models::HealthReportGatherer::Request r;
    const services::OperationContext context = hooks.context();
    r.snapshot = snapshot;
    r.profile = context.profile;
    r.sqlPassword = context.secrets.sqlPassword;
    r.generatedBy = QObject::tr("Vigil %1 on %2 (%3)")
                        .arg(QLatin1String(vigil::kVersion), QSysInfo::machineHostName(),
                             services::AuditLog::currentOsUser());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    r.chartsFrom = now.addMSecs(-kChartWindowMs);
    if (models::ClusterWatch *watch = window->watch(window->currentCluster())) {
        r.history = watch->history();
        const qint64 first = r.history->store().firstTime();
        if (r.history->store().size() > 0 && first > r.chartsFrom.toMSecsSinceEpoch())
            r.chartsFrom = QDateTime::fromMSecsSinceEpoch(first, Qt::UTC);
    }
    const qint64 covered = r.chartsFrom.secsTo(now);
    r.chartsSource =
        covered >= kChartWindowMs / 1000 - 1
            ? QObject::tr("the last hour this window recorded")
            : QObject::tr("the %1 this window has watched the cluster (less than the hour "
                          "the report shows when the window has been open that long)")
                  .arg(models::formatDuration(covered));
    return r;
}

} // namespace

QAction *installHealthReportAction(MainWindow *window, OperationsHooks hooks)
{
    QMenu *file = window->menuBar()->findChild<QMenu *>(QStringLiteral("fileMenu"));
    auto *a = new QAction(QObject::tr("Health &report…"), window);
    a->setObjectName(QStringLiteral("healthReportAction"));
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    a->setStatusTip(QObject::tr("Write the cluster's health report as PDF or HTML."));
    if (file) {
        // After "Export charts as PNG…", before the separator and Quit.
        const QList<QAction *> actions = file->actions();
        QAction *before = nullptr;
        for (QAction *x : actions)
            if (x->isSeparator()) {
                before = x;
                break;
            }
        file->insertAction(before, a);
    } else {
        window->addAction(a);
    }
    QObject::connect(a, &QAction::triggered, window, [window, hooks] {
        const services::ClusterSnapshotPtr s = hooks.snapshot ? hooks.snapshot() : nullptr;
        if (!s || s->members.isEmpty()) {
            QMessageBox::information(window, QObject::tr("Health report"),
                                     QObject::tr("The cluster has not been read yet; the report "
                                                 "needs at least one snapshot."));
            return;
        }
        auto *dialog = new HealthReportDialog(requestFor(window, hooks, s), window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    return a;
}

} // namespace vigil::ui
