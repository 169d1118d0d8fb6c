#include "services/backup/restoretesttypes.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace vigil::services {

QString restoreTestBinDir()
{
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : versions) {
        const QString bin = root.filePath(v + QStringLiteral("/bin"));
        if (QFileInfo(bin + QStringLiteral("/initdb")).isExecutable() &&
            QFileInfo(bin + QStringLiteral("/pg_ctl")).isExecutable())
            return bin;
    }
    return {};
}

QString restoreTestChecksumDescription()
{
    return Tr::tr("Per table: the exact row count, and the sum (as numeric) of the first 64 bits "
                  "of md5 of each row's text of the primary key's columns plus up to 2 more "
                  "columns (the first 3 columns without a primary key), read with TimeZone UTC "
                  "and ISO dates on both sides. It does not depend on row order or collation.");
}

} // namespace vigil::services
