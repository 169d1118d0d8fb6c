#include "services/maintenance/checkliststore.h"

#include "services/core/error.h"
#include "services/core/jsonlfile.h"
#include "services/timeline/timelinestore.h"

#include <QStandardPaths>
#include <algorithm>

namespace vigil::services {

ChecklistStore::ChecklistStore(QString cluster, QString directory)
    : m_cluster(std::move(cluster))
    , m_directory(std::move(directory))
{
}

QString ChecklistStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/checklists");
}

QString ChecklistStore::filePath() const
{
    return m_directory + QLatin1Char('/') + TimelineStore::fileNameFor(m_cluster) +
           QStringLiteral(".jsonl");
}

bool ChecklistStore::append(const ChecklistRecord &record, QString *error) const
{
    return JsonlFile(filePath(), Tr::tr("the checklist history"))
        .append(checklistRecordToJson(record), error);
}

QList<ChecklistRecord> ChecklistStore::readAll() const
{
    QList<ChecklistRecord> records;
    for (const QJsonObject &object : JsonlFile(filePath()).readAll())
        if (auto r = checklistRecordFromJson(object))
            records.append(*r);
    std::stable_sort(
        records.begin(), records.end(),
        [](const ChecklistRecord &a, const ChecklistRecord &b) { return a.at < b.at; });
    return records;
}

} // namespace vigil::services
