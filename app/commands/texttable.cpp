#include "app/commands/texttable.h"

#include <algorithm>

namespace vigil::app {

TextTable::TextTable(QStringList header)
    : m_header(std::move(header))
    , m_right(m_header.size(), false)
    , m_maxWidth(m_header.size(), -1)
{
}

void TextTable::setRightAligned(int column, bool right)
{
    if (column >= 0 && column < m_right.size())
        m_right[column] = right;
}

void TextTable::setMaxWidth(int column, int chars)
{
    if (column >= 0 && column < m_maxWidth.size())
        m_maxWidth[column] = chars;
}

void TextTable::addRow(QStringList cells)
{
    m_rows.append(std::move(cells));
}

QString TextTable::cell(const QStringList &row, int column, bool body) const
{
    const QString c = row.value(column);
    const int max = m_maxWidth.value(column, -1);
    return body && max >= 0 ? c.left(max) : c;
}

// The widest cell of each of the first `columns` columns, header included.
QList<int> TextTable::widths(int columns) const
{
    QList<int> width(columns, 0);
    for (int i = 0; i < columns; ++i) {
        width[i] = int(cell(m_header, i, false).size());
        for (const auto &r : m_rows)
            width[i] = std::max(width[i], int(cell(r, i, true).size()));
    }
    return width;
}

QString TextTable::render(Style style) const
{
    return style == Style::Boxed ? renderBoxed() : renderPlain();
}

QString TextTable::renderBoxed() const
{
    const QList<int> width = widths(int(m_header.size()));
    QString rule = QStringLiteral("+");
    for (int w : width)
        rule += QString(w + 2, QLatin1Char('-')) + QLatin1Char('+');
    rule += QLatin1Char('\n');
    auto line = [&](const QStringList &cells, bool body) {
        QString out = QStringLiteral("|");
        for (int i = 0; i < width.size(); ++i) {
            const QString c = cell(cells, i, body);
            out += QLatin1Char(' ') +
                   (m_right[i] ? c.rightJustified(width[i]) : c.leftJustified(width[i])) +
                   QStringLiteral(" |");
        }
        return out + QLatin1Char('\n');
    };
    QString out = rule + line(m_header, false) + rule;
    for (const auto &r : m_rows)
        out += line(r, true);
    return out + rule;
}

QString TextTable::renderPlain() const
{
    const int columns = int(m_header.size());
    const QList<int> width = widths(columns - 1); // the last column is not padded
    auto line = [&](const QStringList &cells, bool body) {
        QString out;
        for (int i = 0; i < columns; ++i) {
            const QString c = cell(cells, i, body);
            if (i == columns - 1)
                out += c;
            else
                out += (m_right[i] ? c.rightJustified(width[i]) : c.leftJustified(width[i])) +
                       QStringLiteral("  ");
        }
        return out.trimmed() + QLatin1Char('\n');
    };
    QString out = line(m_header, false);
    for (const auto &r : m_rows)
        out += line(r, true);
    return out;
}

} // namespace vigil::app
