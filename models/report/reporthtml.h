#pragma once

#include <QList>
#include <QPair>
#include <QString>

class QAbstractItemModel;

namespace vigil::models {

// The HTML pieces of the health report, written for two renderers at once: a browser (the .html
// file) and QTextDocument (the PDF), whose rich-text subset has tables, cell padding and colours
// but neither flex nor floats. One table helper for every section.

// The document's <style>: A4-friendly type sizes in pt, thin rules, zebra rows.
QString reportStyleSheet();

// A table of `model`'s `columns` (DisplayRole; headers from headerData): a QColor in
// ForegroundRole colours the text, one in DecorationRole becomes a coloured bullet before it
// (how the window's tables show health). `numeric` columns are right-aligned. At most `maxRows`
// rows (-1: all); the rest are counted in a last line.
QString modelTableHtml(const QAbstractItemModel &model, const QList<int> &columns,
                       const QList<int> &numeric = {}, int maxRows = -1);

// A plain table from rows of cells (already escaped HTML); the first row is the header.
QString rowsTableHtml(const QList<QStringList> &rows, const QList<int> &numeric = {});

// Two columns, label: value (the summary), values already escaped HTML.
QString factsTableHtml(const QList<QPair<QString, QString>> &facts);

// A section heading (h2) with an anchor, and a one-line note under a table.
QString sectionHeading(const QString &id, const QString &title);
QString noteHtml(const QString &text); // text is escaped
QString esc(const QString &text);
// Text in a health colour, bold ("<b style=color:#...>CRITICAL</b>").
QString coloredHtml(const QString &text, const QString &colorName, bool bold = true);

} // namespace vigil::models
