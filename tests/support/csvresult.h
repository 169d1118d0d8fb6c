#pragma once

#include "services/postgres/pgresult.h"

#include <QFile>
#include <QString>
#include <QVariant>
#include <QVector>
#include <gtest/gtest.h>

namespace vigil::test {

// A fixture recorded with `psql --csv -P null='\N'` as the PgResult a session would give.
// Parses psql's CSV (RFC 4180: quoted fields, "" for a quote, newlines inside quotes); an
// unquoted \N is SQL NULL. The first record is the header.
inline services::PgResult loadPsqlCsv(const QString &path)
{
    using services::PgResult;
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
    const QString text = QString::fromUtf8(file.readAll());

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

    PgResult result;
    if (records.isEmpty())
        return result;
    for (const QVariant &v : records.takeFirst())
        result.columns.append(v.toString());
    result.rows = records;
    result.commandTag = QStringLiteral("SHOW");
    return result;
}

} // namespace vigil::test
