#include "services/timeline/timelinestore.h"

#include "services/core/error.h"
#include "services/core/jsonlfile.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace vigil::services {

TimelineStore::TimelineStore(QString cluster, QString directory)
    : m_cluster(std::move(cluster))
    , m_directory(std::move(directory))
{
}

QString TimelineStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/timeline");
}

QString TimelineStore::fileNameFor(const QString &cluster)
{
    const QByteArray safe = cluster.toUtf8().toPercentEncoding(QByteArrayLiteral("-._"));
    return safe.isEmpty() ? QStringLiteral("unnamed") : QString::fromLatin1(safe);
}

QString TimelineStore::filePath() const
{
    return m_directory + QLatin1Char('/') + fileNameFor(m_cluster) + QStringLiteral(".jsonl");
}

QString TimelineStore::rotatedFilePath() const
{
    return m_directory + QLatin1Char('/') + fileNameFor(m_cluster) + QStringLiteral(".1.jsonl");
}

void TimelineStore::rotateIfFull() const
{
    if (QFileInfo(filePath()).size() < m_maxBytes)
        return;
    QFile::remove(rotatedFilePath());
    QFile::rename(filePath(), rotatedFilePath());
}

bool TimelineStore::append(const TimelineEvent &event, QString *error) const
{
    rotateIfFull();
    return JsonlFile(filePath(), Tr::tr("the incident timeline"))
        .append(timelineEventToJson(event), error);
}

QList<TimelineEvent> TimelineStore::readAll() const
{
    QList<TimelineEvent> events;
    for (const QString &path : {rotatedFilePath(), filePath()})
        for (const QJsonObject &object : JsonlFile(path).readAll())
            if (auto e = timelineEventFromJson(object))
                events.append(*e);
    sortTimeline(events);
    return events;
}

QList<TimelineEvent> TimelineStore::readSince(const QDateTime &since) const
{
    QList<TimelineEvent> events = readAll();
    events.removeIf([&since](const TimelineEvent &e) { return e.at < since; });
    return events;
}

} // namespace vigil::services
