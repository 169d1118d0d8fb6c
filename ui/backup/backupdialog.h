#pragma once

#include "services/backup/pgdumprunner.h"
#include "services/monitor/clustersnapshot.h"
#include "services/operations/operationcontext.h"

#include <QDialog>
#include <QTimer>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace vigil::ui {

// Operations ▸ Full backup…: one database dumped with pg_dump -Fc (PgDumpRunner, a child
// process: the window never waits) from a member, a replica by default (the dialog says why),
// to a file the user names. While it runs: a progress bar per table (weighted by the tables'
// sizes), the table being dumped, the elapsed time and Cancel (pg_dump ended, the partial file
// removed). At the end: the size and the SHA-256 (also in FILE.sha256). The password of the
// profile reaches pg_dump only through a temporary 0600 pgpass file. Every run, finished,
// failed or cancelled, is appended to the audit log (who, database, member, file, result).
// Opens with open() (window-modal, no nested loop).
class BackupDialog : public QDialog
{
    Q_OBJECT
public:
    BackupDialog(services::OperationContext ctx, services::ClusterSnapshotPtr snapshot,
                 QWidget *parent = nullptr);
    ~BackupDialog() override;

    void setDatabase(const QString &name);
    void setMember(const QString &name);
    void setOutputFile(const QString &path);
    QString database() const;
    QString member() const;
    QString outputFile() const;
    // pg_dump to run (tests, or a pg_dump of another major): empty for PATH's.
    void setPgDumpProgram(const QString &path) { m_program = path; }

    void startBackup();
    services::PgDumpRunner *runner() const { return m_runner; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLabel *resultLabel() const { return m_result; }

    static QString defaultFileName(const QString &cluster, const QString &database,
                                   const QDateTime &when);

private:
    void buildForm();
    void fillMembers();
    void fillDatabases();
    void chooseFile();
    void updateElapsed();
    void onProgress(double fraction, const QString &table, int started, int total);
    void onFinished(const services::BackupResult &result);
    void onFailed(const services::ServiceError &error);
    void setRunning(bool running);
    void audit(const services::BackupResult *result, const services::ServiceError &error);
    void suggestFile();

    services::OperationContext m_ctx;
    services::ClusterSnapshotPtr m_snapshot;
    services::PgDumpRunner *m_runner;
    services::PgDumpRequest m_request;
    QString m_requestMember;
    QString m_program;
    QTimer m_clock;
    QComboBox *m_database = nullptr;
    QComboBox *m_member = nullptr;
    QLineEdit *m_file = nullptr;
    QPushButton *m_browse = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_elapsed = nullptr;
    QLabel *m_result = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
    bool m_fileEdited = false;
};

} // namespace vigil::ui
