#pragma once

#include "services/postgres/pgresult.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <utility>
#include <vector>

namespace vigil::services {

// The one reader of SQL result rows (every parser of a PgResult reads through it). The column
// names are resolved to positions once per result, when the reader is made, never by a string
// search per cell. A parser either resolves the positions it reads itself (column(), then the
// cell readers by position: the fastest, for results of thousands of rows) or reads one row by
// name (row(i).text("pid")), which looks the name up in the table resolved here.
//
// A SQL NULL, a missing column (position -1), a row out of range or a short row read as absent:
// text() gives "", the others nullopt (flag() false). Cells are PostgreSQL's text format:
// integers and numbers may carry surrounding blanks; NaN, Infinity and -Infinity are read as
// PostgreSQL prints them; booleans are t/f (true/false and on/off too, as PgBouncer and some
// settings print them).
//
// Holds a reference to the result, which must outlive it. Immutable after construction: a
// reader may be used from any thread that may read the result.
class PgRowReader
{
public:
    explicit PgRowReader(const PgResult &result);

    int rowCount() const { return m_result.rowCount(); }
    const PgResult &result() const { return m_result; }

    // The position of a column, or -1 when the result has none of that name.
    int column(const char *name) const;
    bool hasColumn(const char *name) const { return column(name) >= 0; }

    // One cell, by position (from column()).
    const QVariant *cell(int row, int col) const; // null when absent
    QString text(int row, int col) const;
    std::optional<qint64> integer(int row, int col) const;
    std::optional<double> number(int row, int col) const;
    std::optional<bool> boolean(int row, int col) const;
    bool flag(int row, int col) const { return boolean(row, col).value_or(false); }

    // One row, read by column name.
    class Row
    {
    public:
        Row(const PgRowReader &reader, int row)
            : m_reader(reader)
            , m_row(row)
        {
        }
        bool has(const char *column) const { return m_reader.cell(m_row, col(column)); }
        QString text(const char *column) const { return m_reader.text(m_row, col(column)); }
        std::optional<qint64> integer(const char *column) const
        {
            return m_reader.integer(m_row, col(column));
        }
        std::optional<double> number(const char *column) const
        {
            return m_reader.number(m_row, col(column));
        }
        bool flag(const char *column) const { return m_reader.flag(m_row, col(column)); }

    private:
        int col(const char *column) const { return m_reader.column(column); }
        const PgRowReader &m_reader;
        int m_row;
    };
    Row row(int row) const { return Row(*this, row); }

    // The conversions, for one cell's value (null: absent). PgResult's by-name accessors use
    // them too.
    static QString toText(const QVariant *value);
    static std::optional<qint64> toInteger(const QVariant *value);
    static std::optional<double> toNumber(const QVariant *value);
    static std::optional<bool> toBoolean(const QVariant *value);

private:
    const PgResult &m_result;
    std::vector<std::pair<QByteArray, int>> m_columns; // UTF-8 name, position; first one wins
};

} // namespace vigil::services
