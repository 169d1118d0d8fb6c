#pragma once

#include "models/report/healthreport.h"
#include "models/report/healthreportgatherer.h"
#include "models/report/reportdocument.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace vigil::ui {

// File → Health report… (Ctrl+Shift+R): gathers the report of the cluster shown (its last
// snapshot and the last hour of its chart history, HealthReportGatherer for the rest), shows it
// as it will print, and writes it as PDF (the default button) or HTML where the user says.
// Gathering is asynchronous (one short connection to the leader for pg_stat_statements); the
// file dialog is window-modal (open()), never a nested event loop.
class HealthReportDialog : public QDialog
{
    Q_OBJECT
public:
    HealthReportDialog(const models::HealthReportGatherer::Request &request, QWidget *parent);

    bool isReady() const { return m_ready; }
    const models::HealthReport &report() const { return m_report; }
    // Writes the report to `path` (format by its suffix); the status line says where and how
    // many pages, or why it failed. Returns whether it was written.
    bool saveTo(const QString &path);
    QString statusText() const;

Q_SIGNALS:
    void ready();

private:
    void showReport(const models::HealthReportInput &input);
    void chooseFile(models::ReportFormat format);
    QString suggestedPath(models::ReportFormat format) const;

    models::HealthReportGatherer *m_gatherer;
    models::HealthReport m_report;
    QString m_cluster;
    bool m_ready = false;
    QTextBrowser *m_preview;
    QLabel *m_status;
    QPushButton *m_savePdf;
    QPushButton *m_saveHtml;
};

} // namespace vigil::ui
