#include "ui/backup/backupdialog.h"

#include "models/formatting.h"
#include "services/backup/backupaudit.h"
#include "services/backup/backupmember.h"
#include "services/core/formatting.h"
#include "ui/backup/backupactions.h"
#include "ui/backup/backupchoices.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <algorithm>

namespace vigil::ui {

using namespace vigil::services;

namespace {

constexpr int kSteps = 1000;

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    return l;
}

} // namespace

BackupDialog::BackupDialog(OperationContext ctx, ClusterSnapshotPtr snapshot, QWidget *parent)
    : QDialog(parent)
    , m_ctx(std::move(ctx))
    , m_snapshot(std::move(snapshot))
    , m_runner(new PgDumpRunner(this))
{
    setWindowTitle(tr("Full backup — %1").arg(m_ctx.profile.name));
    setMinimumWidth(640);
    buildForm();
    fillMembers();
    fillDatabases();
    suggestFile();
    m_clock.setInterval(500);
    connect(&m_clock, &QTimer::timeout, this, &BackupDialog::updateElapsed);
    connect(m_runner, &PgDumpRunner::progressChanged, this, &BackupDialog::onProgress);
    connect(m_runner, &PgDumpRunner::finished, this, &BackupDialog::onFinished);
    connect(m_runner, &PgDumpRunner::failed, this, &BackupDialog::onFailed);
    connect(m_runner, &PgDumpRunner::phaseChanged, this, [this](PgDumpRunner::Phase p) {
        if (p == PgDumpRunner::Phase::Dumping)
            m_status->setText(tr("pg_dump is reading the catalog of %1…").arg(m_runner->host()));
        else if (p == PgDumpRunner::Phase::Hashing)
            m_status->setText(tr("Computing the SHA-256 of the file…"));
    });
}

BackupDialog::~BackupDialog()
{
    // A dialog closed while pg_dump runs: the runner's destructor ends it and removes the
    // partial and password files; the audit log still hears of it.
    if (m_runner->isRunning())
        audit(nullptr, ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("pg_dump"),
                                          m_runner->host(), {},
                                          tr("The backup dialog was closed while it ran.")));
}

void BackupDialog::buildForm()
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(wrapped(
        tr("Writes one database to a file with pg_dump -Fc (the custom format: compressed, "
           "restorable with pg_restore, table by table). %1 The profile's password reaches "
           "pg_dump only through a temporary pgpass file readable by you alone, removed as soon "
           "as pg_dump ends; never through its command line or environment.")
            .arg(replicaDefaultReason()),
        this));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_database = new QComboBox(this);
    m_database->setEditable(true);
    form->addRow(tr("&Database:"), m_database);
    m_member = new QComboBox(this);
    form->addRow(tr("&Member:"), m_member);
    auto *fileRow = new QHBoxLayout;
    m_file = new QLineEdit(this);
    m_browse = new QPushButton(tr("&Browse…"), this);
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    auto *fileLabel = new QLabel(tr("Output &file:"), this);
    fileLabel->setBuddy(m_file); // a layout row has no buddy of its own: the & would show
    form->addRow(fileLabel, fileRow);
    layout->addLayout(form);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, kSteps);
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    auto *statusRow = new QHBoxLayout;
    m_status = new QLabel(tr("Ready."), this);
    m_elapsed = new QLabel(this);
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_elapsed);
    layout->addLayout(statusRow);
    m_result = wrapped({}, this);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setVisible(false);
    layout->addWidget(m_result);
    layout->addStretch(1);
    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("&Start backup"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(tr("Cancel backup"), QDialogButtonBox::RejectRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    auto *restoreTest = buttons->addButton(tr("&Restore test…"), QDialogButtonBox::HelpRole);
    restoreTest->setToolTip(tr("Prove that a dump of this database restores (Ctrl+Alt+T)."));
    connect(restoreTest, &QPushButton::clicked, this,
            [this] { openRestoreTestWizard(this, m_ctx, m_snapshot, database(), member()); });
    m_cancel->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_start, &QPushButton::clicked, this, &BackupDialog::startBackup);
    connect(m_cancel, &QPushButton::clicked, m_runner, &PgDumpRunner::cancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &BackupDialog::chooseFile);
    connect(m_file, &QLineEdit::textEdited, this, [this] { m_fileEdited = true; });
    connect(m_database, &QComboBox::currentTextChanged, this, &BackupDialog::suggestFile);
}

void BackupDialog::fillMembers()
{
    fillBackupMembers(m_member, m_snapshot);
}

void BackupDialog::fillDatabases()
{
    fillBackupDatabases(m_database, m_snapshot);
}

QString BackupDialog::defaultFileName(const QString &cluster, const QString &database,
                                      const QDateTime &when)
{
    QString base =
        QStringLiteral("%1-%2-%3.dump")
            .arg(cluster, database, when.toUTC().toString(QStringLiteral("yyyyMMdd-HHmm")));
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return base;
}

void BackupDialog::suggestFile()
{
    if (m_fileEdited || !m_file)
        return;
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    m_file->setText(QDir(folder).filePath(defaultFileName(
        m_ctx.profile.name, m_database->currentText(), QDateTime::currentDateTimeUtc())));
}

void BackupDialog::setDatabase(const QString &name)
{
    m_database->setCurrentText(name);
}

void BackupDialog::setMember(const QString &name)
{
    const int i = m_member->findData(name);
    if (i >= 0)
        m_member->setCurrentIndex(i);
}

void BackupDialog::setOutputFile(const QString &path)
{
    m_fileEdited = true;
    m_file->setText(path);
}

QString BackupDialog::database() const
{
    return m_database->currentText().trimmed();
}

QString BackupDialog::member() const
{
    return m_member->currentData().toString();
}

QString BackupDialog::outputFile() const
{
    return m_file->text().trimmed();
}

void BackupDialog::chooseFile()
{
    auto *d = new QFileDialog(this, tr("Write the backup to"), outputFile(),
                              tr("pg_dump custom format (*.dump);;All files (*)"));
    d->setAcceptMode(QFileDialog::AcceptSave);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &QFileDialog::fileSelected, this, &BackupDialog::setOutputFile);
    d->open();
}

void BackupDialog::startBackup()
{
    const MemberSnapshot *m = m_snapshot ? m_snapshot->member(member()) : nullptr;
    QString problem;
    if (!m)
        problem = tr("Choose a member: the cluster has not been read yet.");
    else if (database().isEmpty())
        problem = tr("Name the database to dump.");
    else if (outputFile().isEmpty() || !QFileInfo(outputFile()).absoluteDir().exists())
        problem = tr("Choose an output file in a folder that exists.");
    if (!problem.isEmpty()) {
        m_status->setText(problem);
        return;
    }
    m_request = PgDumpRequest();
    m_request.connection = PgConnectionSettings::forApplication(m_ctx.profile.sqlConninfo,
                                                                QStringLiteral("vigil-backup"),
                                                                m_ctx.secrets.sqlPassword)
                               .atMember(m->host, m->port);
    m_request.database = database();
    m_request.outputFile = QFileInfo(outputFile()).absoluteFilePath();
    m_request.program = m_program;
    m_requestMember = m->name;
    m_result->setVisible(false);
    m_progress->setValue(0);
    setRunning(true);
    m_runner->start(m_request);
}

void BackupDialog::setRunning(bool running)
{
    for (QWidget *w : {static_cast<QWidget *>(m_database), static_cast<QWidget *>(m_member),
                       static_cast<QWidget *>(m_file), static_cast<QWidget *>(m_browse),
                       static_cast<QWidget *>(m_start), static_cast<QWidget *>(m_close)})
        w->setEnabled(!running);
    m_cancel->setEnabled(running);
    if (running) {
        m_clock.start();
        updateElapsed();
    } else {
        m_clock.stop();
    }
}

void BackupDialog::updateElapsed()
{
    m_elapsed->setText(
        tr("Elapsed: %1").arg(models::formatSeconds(double(m_runner->elapsedMs()) / 1000.0)));
}

void BackupDialog::onProgress(double fraction, const QString &table, int started, int total)
{
    m_progress->setValue(int(fraction * kSteps));
    if (!table.isEmpty())
        m_status->setText(tr("Dumping %1 (table %2 of %3)").arg(table).arg(started).arg(total));
}

void BackupDialog::onFinished(const BackupResult &r)
{
    setRunning(false);
    updateElapsed();
    m_progress->setValue(kSteps);
    m_status->setText(tr("Backup complete: %1 tables from %2.").arg(r.tables).arg(r.host));
    m_result->setText(
        tr("<b>File:</b> %1<br><b>Size:</b> %2 (%3 bytes)<br><b>SHA-256:</b> <tt>%4</tt><br>"
           "<b>Checksum file:</b> %5 (sha256sum -c reads it)<br><b>Written by:</b> %6 (%7)")
            .arg(r.file.toHtmlEscaped(), formatBytes(r.bytes), QLocale().toString(r.bytes),
                 QString::fromLatin1(r.sha256Hex), r.checksumFile.toHtmlEscaped(),
                 r.pgDumpVersion.toHtmlEscaped(), m_runner->program().toHtmlEscaped()));
    m_result->setVisible(true);
    resize(width(), std::max(height(), sizeHint().height())); // room for the result lines
    audit(&r, {});
}

void BackupDialog::onFailed(const ServiceError &error)
{
    setRunning(false);
    updateElapsed();
    m_progress->setValue(0);
    m_status->setText(error.kind == ServiceError::Kind::Cancelled ? tr("Cancelled.")
                                                                  : tr("The backup failed."));
    m_result->setText(
        error.toText().toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    m_result->setVisible(true);
    resize(width(), std::max(height(), sizeHint().height()));
    audit(nullptr, error);
}

void BackupDialog::audit(const BackupResult *result, const ServiceError &error)
{
    if (!m_ctx.audit)
        return;
    QString problem;
    if (!m_ctx.audit->append(
            backupAuditEntry(m_ctx.profile.name, m_requestMember, m_request, result, error),
            &problem))
        m_status->setText(
            tr("%1 The audit log was not written: %2").arg(m_status->text(), problem));
}

} // namespace vigil::ui
