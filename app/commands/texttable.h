#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace vigil::app {

// The one text-table renderer of the headless commands: column widths from the content (in
// QChars), cells padded with spaces, optional right alignment and a cut at a maximum width.
//
//  * Boxed, patronictl's style (`vigil status`): +---+ rules above and below the header and at
//    the end, "| cell |" lines, every line as wide as the others.
//  * Plain (`vigil sessions`): columns two spaces apart, the last column not padded (it holds the
//    long free text, a query), trailing and leading blanks of a line dropped.
//
// Lines end with '\n'. Cells beyond the header's columns are ignored; missing ones are empty.
class TextTable
{
public:
    enum class Style
    {
        Boxed,
        Plain
    };

    explicit TextTable(QStringList header);

    void setRightAligned(int column, bool right = true);
    // Body cells longer than `chars` are cut to it (the header is never cut).
    void setMaxWidth(int column, int chars);
    void addRow(QStringList cells);
    int rowCount() const { return int(m_rows.size()); }

    QString render(Style style) const;

private:
    QString cell(const QStringList &row, int column, bool body) const;
    QList<int> widths(int columns) const;
    QString renderBoxed() const;
    QString renderPlain() const;

    QStringList m_header;
    QList<QStringList> m_rows;
    QList<bool> m_right;
    QList<int> m_maxWidth; // -1: no cut
};

} // namespace vigil::app
