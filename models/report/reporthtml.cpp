#include "models/report/reporthtml.h"

#include "models/tr.h"

#include <QAbstractItemModel>
#include <QColor>

namespace vigil::models {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString reportStyleSheet()
{
    // QTextDocument reads class and element selectors, font, colour, background, padding and
    // border-collapse; page-break-before is honoured for the PDF (reportdocument.cpp decides
    // where to break). The browser reads the rest (max-width, break-inside).
    return QStringLiteral(
        "body { font-family: 'DejaVu Sans', 'Helvetica', 'Arial', sans-serif; font-size: 9pt;"
        " color: #1d232b; max-width: 60em; margin: 1.5em auto; }\n"
        "h1 { font-size: 18pt; margin: 0 0 2pt 0; color: #10151c; }\n"
        "h2 { font-size: 12.5pt; margin: 16pt 0 5pt 0; color: #10151c;"
        " border-bottom: 1px solid #c9ced6; break-after: avoid; }\n"
        "h3 { font-size: 10pt; margin: 8pt 0 3pt 0; color: #333a44; }\n"
        "p.meta { color: #555b66; margin: 0 0 8pt 0; }\n"
        "p.note { color: #555b66; font-size: 8pt; margin: 3pt 0 0 0; }\n"
        "table.data { border-collapse: collapse; width: 100%; margin: 2pt 0; }\n"
        "table.data th { background-color: #eef1f4; color: #333a44; text-align: left;"
        " font-weight: bold; padding: 3pt 6pt; border-bottom: 1px solid #b8bec8; }\n"
        "table.data td { padding: 2.5pt 6pt; border-bottom: 1px solid #e3e6ea;"
        " vertical-align: top; }\n"
        "table.data tr.odd td { background-color: #f8f9fa; }\n"
        "table.data td.num, table.data th.num { text-align: right; white-space: nowrap; }\n"
        "table.facts { border-collapse: collapse; margin: 2pt 0; }\n"
        "table.facts td { padding: 2pt 14pt 2pt 0; vertical-align: top; }\n"
        "table.facts td.label { color: #555b66; white-space: nowrap; }\n"
        "td.mono, span.mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; }\n"
        "div.section { break-inside: avoid; }\n"
        "img.chart { border: 1px solid #e3e6ea; }\n");
}

namespace {

QString cellHtml(const QAbstractItemModel &model, const QModelIndex &index)
{
    QString html = esc(model.data(index, Qt::DisplayRole).toString());
    const QVariant fg = model.data(index, Qt::ForegroundRole);
    if (fg.typeId() == QMetaType::QColor && !html.isEmpty())
        html = coloredHtml(html, fg.value<QColor>().name(), false);
    const QVariant deco = model.data(index, Qt::DecorationRole);
    if (deco.typeId() == QMetaType::QColor)
        html = QStringLiteral("<span style=\"color:%1\">&#9679;</span>&nbsp;")
                   .arg(deco.value<QColor>().name()) +
               html;
    return html;
}

// QTextDocument does not apply "tr.odd td": a zebra row's background goes on each cell.
QString cellTag(bool header, bool numeric, bool zebra, const QString &content)
{
    const char *tag = header ? "th" : "td";
    return QStringLiteral("<%1%2%3>%4</%1>")
        .arg(QLatin1String(tag),
             numeric ? QStringLiteral(" class=\"num\" align=\"right\"") : QString(),
             zebra ? QStringLiteral(" bgcolor=\"#f8f9fa\"") : QString(), content);
}

} // namespace

QString modelTableHtml(const QAbstractItemModel &model, const QList<int> &columns,
                       const QList<int> &numeric, int maxRows)
{
    QList<QStringList> rows;
    QStringList header;
    for (int c : columns)
        header << esc(model.headerData(c, Qt::Horizontal, Qt::DisplayRole)
                          .toString()
                          .replace(QLatin1Char('\n'), QLatin1Char(' ')));
    rows << header;
    const int total = model.rowCount();
    const int shown = maxRows < 0 ? total : std::min(total, maxRows);
    for (int r = 0; r < shown; ++r) {
        QStringList cells;
        for (int c : columns)
            cells << cellHtml(model, model.index(r, c));
        rows << cells;
    }
    QString html = rowsTableHtml(rows, numeric);
    if (shown < total)
        html += noteHtml(Tr::tr("%n more not shown.", nullptr, total - shown));
    return html;
}

QString rowsTableHtml(const QList<QStringList> &rows, const QList<int> &numeric)
{
    QString html = QStringLiteral(
        "<table class=\"data\" width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">\n");
    for (int r = 0; r < rows.size(); ++r) {
        const bool zebra = r > 0 && r % 2 == 0;
        html += zebra ? QStringLiteral("<tr class=\"odd\">") : QStringLiteral("<tr>");
        const QStringList &cells = rows.at(r);
        // QTextDocument's PDF layout applies neither cellpadding nor the cells' CSS padding, so
        // adjacent columns ran together ("1424 ms424 ms12000": Total, Mean and Rows): every
        // column after the first starts with a gap of its own.
        for (int c = 0; c < cells.size(); ++c)
            html += cellTag(r == 0, numeric.contains(c), zebra,
                            c == 0 ? cells.at(c) : QStringLiteral("&nbsp;&nbsp;") + cells.at(c));
        html += QStringLiteral("</tr>\n");
    }
    return html + QStringLiteral("</table>\n");
}

QString factsTableHtml(const QList<QPair<QString, QString>> &facts)
{
    QString html = QStringLiteral("<table class=\"facts\" cellspacing=\"0\" cellpadding=\"2\">\n");
    for (const auto &[label, value] : facts)
        html += QStringLiteral("<tr><td class=\"label\">%1</td><td>&nbsp;&nbsp;%2</td></tr>\n")
                    .arg(esc(label), value);
    return html + QStringLiteral("</table>\n");
}

QString sectionHeading(const QString &id, const QString &title)
{
    return QStringLiteral("<h2 id=\"%1\"><a name=\"%1\"></a>%2</h2>\n").arg(id, esc(title));
}

QString noteHtml(const QString &text)
{
    return QStringLiteral("<p class=\"note\">%1</p>\n").arg(esc(text));
}

QString coloredHtml(const QString &text, const QString &colorName, bool bold)
{
    return bold ? QStringLiteral("<b style=\"color:%1\">%2</b>").arg(colorName, text)
                : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(colorName, text);
}

} // namespace vigil::models
