#pragma once

#include "services/postgres/pgresult.h"

#include <QString>
#include <QVariant>
#include <QVector>

namespace vigil::test {

// psql's CSV (`psql --csv -P null='\N'`) as records of cells: RFC 4180 (quoted fields, "" for a
// quote, newlines inside quotes); an unquoted \N is SQL NULL (an invalid QVariant). No test
// framework here: the fuzz targets (tests/fuzz) read their rows with it too.
inline QVector<QVector<QVariant>> parsePsqlCsvRecords(const QString &text)
{
    QVector<QVector<QVariant>> records;
    QVector<QVariant> record;
    QString field;
    bool quoted = false, wasQuoted = false, any = false;
    auto endField = [&] {
        if (!wasQuoted && field == QLatin1String("\\N"))
            record.append(QVariant());
        else
            record.append(field);
        field.clear();
        wasQuoted = false;
    };
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        any = true;
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field.append(c);
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field.append(c);
            }
        } else if (c == QLatin1Char('"')) {
            quoted = wasQuoted = true;
        } else if (c == QLatin1Char(',')) {
            endField();
        } else if (c == QLatin1Char('\n')) {
            endField();
            records.append(record);
            record.clear();
            any = false;
        } else if (c != QLatin1Char('\r')) {
            field.append(c);
        }
    }
    if (any) {
        endField();
        records.append(record);
    }
    return records;
}

// The whole text as the PgResult a session would give: the first record is the header.
inline services::PgResult psqlCsvToResult(const QString &text)
{
    services::PgResult result;
    QVector<QVector<QVariant>> records = parsePsqlCsvRecords(text);
    if (records.isEmpty())
        return result;
    for (const QVariant &v : records.takeFirst())
        result.columns.append(v.toString());
    result.rows = records;
    result.commandTag = QStringLiteral("SHOW");
    return result;
}

} // namespace vigil::test
