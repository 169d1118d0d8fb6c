#pragma once

#include "models/report/healthreport.h"

#include <QString>

class QTextDocument;

namespace vigil::models {

// Writing a HealthReport to disk. Both need a QGuiApplication (fonts, images): the window has
// one; `vigil report` runs in vigil-gui on the offscreen platform (app/gui/application.cpp).

enum class ReportFormat
{
    Html,
    Pdf
};

// By the file name's suffix (.html/.htm or .pdf, any case); nullopt for anything else.
std::optional<ReportFormat> reportFormatFor(const QString &path);

// Writes `report` as `format` to `path` atomically (QSaveFile: a failed write leaves no partial
// file and does not replace an older one). False and a sentence in *error on failure.
bool writeHealthReport(const HealthReport &report, ReportFormat format, const QString &path,
                       QString *error);

// The PDF's layout, for tests: the document as laid out on A4 pages (96 dpi units, margins
// 16 mm, a footer line reserved), with page breaks inserted before each h2 section that would
// otherwise start in the last part of a page or split where it would fit on one page.
// The caller owns the document.
QTextDocument *layOutForPdf(const HealthReport &report);

// The number of pages the PDF of `report` has.
int reportPageCount(const HealthReport &report);

} // namespace vigil::models
