#pragma once

#include "services/backup/restoretest.h"
#include "services/monitor/clustersnapshot.h"
#include "services/operations/operationcontext.h"

#include <QTimer>
#include <QWizard>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTableView;

namespace vigil::models {
class RestoreResultModel;
}

namespace vigil::ui {

// Operations ▸ Restore test… (Ctrl+Alt+T), also from the backup dialog: the restore test
// (services::RestoreTest) in four pages.
//
//  1. Source and target: the database, the member (a replica by default, as for backups), and
//     where to restore: a throwaway local instance (when the server programs are installed) or
//     a scratch database on the leader, with the warning that costs. The help says what is
//     compared and why the ops manual's n_tup_ins check proves nothing.
//  2. Preview: every step that will happen, with the real names (commit page: "Start").
//  3. Run: the phase, the table, a progress bar, the elapsed time and Cancel.
//  4. Result: the verdict, the per-table table (models::RestoreResultModel, pass/fail colours),
//     times, sizes and pg_restore's errors quoted.
//
// The result is appended to the audit log (and so reaches the timeline). Closing the wizard
// while the test runs cancels it; the scratch copy is removed before the wizard goes.
class RestoreTestWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId
    {
        ChoosePage,
        PreviewPage,
        RunPage,
        ResultPage
    };

    RestoreTestWizard(services::OperationContext ctx, services::ClusterSnapshotPtr snapshot,
                      QWidget *parent = nullptr);
    ~RestoreTestWizard() override;

    void setDatabase(const QString &name);
    void setMember(const QString &name);
    void setTarget(services::RestoreTarget target);
    QString database() const;
    QString member() const;
    services::RestoreTarget target() const;
    services::RestoreTestRequest request() const;
    QString previewText() const;

    services::RestoreTest *test() const { return m_test; }
    models::RestoreResultModel *resultModel() const { return m_model; }
    QLabel *verdictLabel() const { return m_verdict; }

    // The help text of the first page (why n_tup_ins proves nothing).
    static QString helpText();

    void reject() override;

private:
    QWizardPage *buildChoosePage();
    QWizardPage *buildPreviewPage();
    QWizardPage *buildRunPage();
    QWizardPage *buildResultPage();
    void startTest();
    void onPhase(services::RestoreTest::Phase phase);
    void onProgress(const QString &table, int done, int total);
    void onFinished(const services::RestoreTestResult &result);
    void showResult(const services::RestoreTestResult &result);
    const services::MemberSnapshot *leader() const;

    services::OperationContext m_ctx;
    services::ClusterSnapshotPtr m_snapshot;
    services::RestoreTest *m_test;
    models::RestoreResultModel *m_model;
    QTimer m_clock;
    bool m_closeWhenDone = false;
    bool m_done = false;
    QComboBox *m_database = nullptr;
    QComboBox *m_member = nullptr;
    QRadioButton *m_local = nullptr;
    QRadioButton *m_cluster = nullptr;
    QLabel *m_clusterWarning = nullptr;
    QLabel *m_preview = nullptr;
    QLabel *m_phase = nullptr;
    QLabel *m_table = nullptr;
    QLabel *m_elapsed = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_verdict = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_figures = nullptr;
};

} // namespace vigil::ui
