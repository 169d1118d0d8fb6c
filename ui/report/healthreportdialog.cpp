#include "ui/report/healthreportdialog.h"

#include "models/report/reportdocument.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace vigil::ui {

HealthReportDialog::HealthReportDialog(const models::HealthReportGatherer::Request &request,
                                       QWidget *parent)
    : QDialog(parent)
    , m_gatherer(new models::HealthReportGatherer(this))
    , m_cluster(request.snapshot ? request.snapshot->profileName : QString())
    , m_preview(new QTextBrowser(this))
    , m_status(new QLabel(tr("Reading pg_stat_statements on the leader and this machine's "
                             "alert, timeline and audit records…"),
                          this))
{
    setWindowTitle(tr("Health report: %1").arg(m_cluster));
    setObjectName(QStringLiteral("healthReportDialog"));
    m_preview->setObjectName(QStringLiteral("healthReportPreview"));
    m_preview->setOpenLinks(false);
    m_status->setObjectName(QStringLiteral("healthReportStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(this);
    m_savePdf = buttons->addButton(tr("Save as &PDF…"), QDialogButtonBox::AcceptRole);
    m_saveHtml = buttons->addButton(tr("Save as &HTML…"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    m_savePdf->setDefault(true);
    m_savePdf->setEnabled(false);
    m_saveHtml->setEnabled(false);
    connect(m_savePdf, &QPushButton::clicked, this,
            [this] { chooseFile(models::ReportFormat::Pdf); });
    connect(m_saveHtml, &QPushButton::clicked, this,
            [this] { chooseFile(models::ReportFormat::Html); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(900, 820);

    m_gatherer->gather(request,
                       [this](const models::HealthReportInput &input) { showReport(input); });
}

void HealthReportDialog::showReport(const models::HealthReportInput &input)
{
    m_report = models::buildHealthReport(input);
    QTextDocument *doc = m_preview->document();
    for (const auto &[url, image] : m_report.images)
        doc->addResource(QTextDocument::ImageResource, QUrl(url), image);
    m_preview->setHtml(m_report.html);
    m_ready = true;
    m_savePdf->setEnabled(true);
    m_saveHtml->setEnabled(true);
    m_status->setText(input.statementsNote.isEmpty()
                          ? tr("Ready. Save it as PDF (A4) or as one self-contained HTML file.")
                          : tr("Ready; %1").arg(input.statementsNote));
    Q_EMIT ready();
}

QString HealthReportDialog::suggestedPath(models::ReportFormat format) const
{
    QString name = m_cluster;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
           QStringLiteral("/%1-health-%2.%3")
               .arg(name, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmm")),
                    format == models::ReportFormat::Pdf ? QStringLiteral("pdf")
                                                        : QStringLiteral("html"));
}

void HealthReportDialog::chooseFile(models::ReportFormat format)
{
    const bool pdf = format == models::ReportFormat::Pdf;
    auto *d = new QFileDialog(this, tr("Save the health report"), suggestedPath(format),
                              pdf ? tr("PDF documents (*.pdf)") : tr("HTML files (*.html)"));
    d->setAcceptMode(QFileDialog::AcceptSave);
    d->setDefaultSuffix(pdf ? QStringLiteral("pdf") : QStringLiteral("html"));
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &QFileDialog::fileSelected, this, [this](const QString &path) { saveTo(path); });
    d->open();
}

bool HealthReportDialog::saveTo(const QString &path)
{
    const auto format = models::reportFormatFor(path);
    if (!format) {
        m_status->setText(
            tr("%1 ends neither in .pdf nor in .html; choose one of them.").arg(path));
        return false;
    }
    QString error;
    if (!models::writeHealthReport(m_report, *format, path, &error)) {
        m_status->setText(tr("Not written: %1").arg(error));
        return false;
    }
    m_status->setText(
        *format == models::ReportFormat::Pdf
            ? tr("Written to %1 (%n page(s)).", nullptr, models::reportPageCount(m_report))
                  .arg(path)
            : tr("Written to %1.").arg(path));
    return true;
}

QString HealthReportDialog::statusText() const
{
    return m_status->text();
}

} // namespace vigil::ui
