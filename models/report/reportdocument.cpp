// The health report as a file: HTML as built, PDF through Qt's own QPdfWriter + QTextDocument
// (no other dependency): A4, a footer with the title and "Page n of N" on every page, and page
// breaks chosen so a section does not start at the foot of a page.
#include "models/report/reportdocument.h"

#include "models/tr.h"

#include <QAbstractTextDocumentLayout>
#include <QFileInfo>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <cmath>
#include <memory>

namespace vigil::models {

namespace {

constexpr int kDpi = 96; // layout units: CSS pixels, so the HTML's image widths mean the same
constexpr qreal kFooterHeight = 30;
// A section whose heading would fall in the last part of a page starts on the next one.
constexpr qreal kMinRoomFraction = 0.22;

QPageLayout a4Layout()
{
    return QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(16, 14, 16, 12),
                       QPageLayout::Millimeter);
}

QSizeF bodySize()
{
    const QRect paint = a4Layout().paintRectPixels(kDpi);
    return QSizeF(paint.width(), paint.height() - kFooterHeight);
}

// The h2 blocks in document order.
QList<QTextBlock> sectionHeadings(QTextDocument &doc)
{
    QList<QTextBlock> out;
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next())
        if (b.blockFormat().headingLevel() == 2)
            out << b;
    return out;
}

// Walks the sections in order; a break before one moves everything after it, so the layout is
// read again after each change.
void insertPageBreaks(QTextDocument &doc)
{
    const qreal pageHeight = doc.pageSize().height();
    QAbstractTextDocumentLayout *layout = doc.documentLayout();
    const QList<QTextBlock> headings = sectionHeadings(doc);
    for (int i = 0; i < headings.size(); ++i) {
        const QTextBlock &h = headings.at(i);
        const qreal top = layout->blockBoundingRect(h).top();
        const qreal bottom = i + 1 < headings.size()
                                 ? layout->blockBoundingRect(headings.at(i + 1)).top()
                                 : layout->documentSize().height();
        const qreal offset = std::fmod(top, pageHeight);
        const qreal room = pageHeight - offset;
        const qreal height = bottom - top;
        const bool fitsOnAPage = height <= pageHeight * 0.95;
        if (offset < 1 || (room >= height) ||
            (!fitsOnAPage && room >= pageHeight * kMinRoomFraction))
            continue;
        QTextCursor cursor(h);
        QTextBlockFormat format = h.blockFormat();
        format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
        cursor.setBlockFormat(format);
        // Qt 6.4's incremental relayout after a block's format changed can leave the blocks
        // between the next table and the one after it unlaid (no lines: the PDF of the
        // sandbox's report ended with the checklist's rows, without the Backups, Alerts and
        // Timeline sections; in healthreport_test 23 of 40 report lengths lost the last
        // section). The whole document is laid out again instead.
        doc.markContentsDirty(0, doc.characterCount());
    }
}

// The pages the laid-out document covers. QTextDocument::pageCount() can lag behind the page
// breaks set after setHtml() (the relayout is lazy): the rendered fixture PDF ended after WAL
// archiving with the last three sections unpainted. documentSize() forces the layout.
int pagesOf(QTextDocument &doc)
{
    const qreal height = doc.documentLayout()->documentSize().height();
    return std::max(doc.pageCount(), int(std::ceil(height / doc.pageSize().height() - 0.001)));
}

void paintFooter(QPainter &p, const QSizeF &body, const QString &title, int page, int pages)
{
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(7.5);
    p.setFont(font);
    p.setPen(QColor(0x8a, 0x8f, 0x98));
    const qreal y = body.height() + 10;
    p.drawLine(QPointF(0, y), QPointF(body.width(), y));
    const QRectF line(0, y + 3, body.width(), kFooterHeight - 12);
    p.setPen(QColor(0x55, 0x5b, 0x66));
    p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, title);
    p.drawText(line, Qt::AlignRight | Qt::AlignVCenter,
               Tr::tr("Page %1 of %2").arg(page).arg(pages));
}

bool writePdf(const HealthReport &report, QIODevice *out, QString *error)
{
    std::unique_ptr<QTextDocument> doc(layOutForPdf(report));
    QPdfWriter writer(out);
    writer.setResolution(kDpi);
    writer.setPageLayout(a4Layout());
    writer.setTitle(report.title);
    writer.setCreator(QStringLiteral("Vigil"));
    QPainter p;
    if (!p.begin(&writer)) {
        *error = Tr::tr("The PDF writer could not start.");
        return false;
    }
    const QSizeF body = doc->pageSize();
    const int pages = pagesOf(*doc);
    for (int page = 0; page < pages; ++page) {
        if (page > 0)
            writer.newPage();
        p.save();
        p.setClipRect(QRectF(QPointF(0, 0), body));
        p.translate(0, -page * body.height());
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = QRectF(QPointF(0, page * body.height()), body);
        context.palette.setColor(QPalette::Text, Qt::black);
        doc->documentLayout()->draw(&p, context);
        p.restore();
        paintFooter(p, body, report.title, page + 1, pages);
    }
    return p.end();
}

} // namespace

std::optional<ReportFormat> reportFormatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("pdf"))
        return ReportFormat::Pdf;
    if (suffix == QStringLiteral("html") || suffix == QStringLiteral("htm"))
        return ReportFormat::Html;
    return std::nullopt;
}

QTextDocument *layOutForPdf(const HealthReport &report)
{
    auto *doc = new QTextDocument;
    doc->setDocumentMargin(0);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);
    doc->setDefaultFont(font);
    // QTextDocument does not decode data: URLs; the same URLs are given as resources.
    for (const auto &[url, image] : report.images)
        doc->addResource(QTextDocument::ImageResource, QUrl(url), image);
    doc->setHtml(report.html);
    doc->setPageSize(bodySize());
    insertPageBreaks(*doc);
    return doc;
}

int reportPageCount(const HealthReport &report)
{
    std::unique_ptr<QTextDocument> doc(layOutForPdf(report));
    return pagesOf(*doc);
}

bool writeHealthReport(const HealthReport &report, ReportFormat format, const QString &path,
                       QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = Tr::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (format == ReportFormat::Html) {
        file.write(report.html.toUtf8());
    } else if (!writePdf(report, &file, error)) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error = Tr::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace vigil::models
