#pragma once

#include "services/postgres/pgresult.h"
#include "support/psqlcsv.h"

#include <QFile>
#include <QString>
#include <gtest/gtest.h>

namespace vigil::test {

// A fixture recorded with `psql --csv -P null='\N'` as the PgResult a session would give (the
// parsing is psqlCsvToResult, support/psqlcsv.h).
inline services::PgResult loadPsqlCsv(const QString &path)
{
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
    return psqlCsvToResult(QString::fromUtf8(file.readAll()));
}

} // namespace vigil::test
