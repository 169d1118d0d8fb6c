#include "models/report/statementsbaseline.h"

#include "services/core/jsonlfile.h"
#include "services/timeline/timelinestore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QStandardPaths>
#include <cstdlib>

namespace vigil::models {

namespace {

QJsonObject toJson(const services::StatementsSample &sample)
{
    QJsonArray rows;
    for (const services::StatementRow &r : sample.rows)
        rows.append(QJsonArray{QString::number(r.key.userId), QString::number(r.key.dbId),
                               QString::number(r.key.queryId), r.key.topLevel,
                               double(r.counters.calls), r.counters.totalMs,
                               double(r.counters.rows)});
    return {{QStringLiteral("taken_at"), sample.takenAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("stats_reset"), sample.statsReset},
            {QStringLiteral("rows"), rows}};
}

services::StatementsSample fromJson(const QJsonObject &o)
{
    services::StatementsSample s;
    s.takenAt = QDateTime::fromString(o.value(QStringLiteral("taken_at")).toString(), Qt::ISODate);
    s.statsReset = o.value(QStringLiteral("stats_reset")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("rows")).toArray()) {
        const QJsonArray a = v.toArray();
        if (a.size() < 7)
            continue;
        services::StatementRow r;
        r.key = {a.at(0).toString().toLongLong(), a.at(1).toString().toLongLong(),
                 a.at(2).toString().toLongLong(), a.at(3).toBool()};
        r.counters.calls = qint64(a.at(4).toDouble());
        r.counters.totalMs = a.at(5).toDouble();
        r.counters.rows = qint64(a.at(6).toDouble());
        s.rows.append(r);
    }
    return s;
}

} // namespace

StatementsBaselineStore::StatementsBaselineStore(const QString &cluster, QString directory)
    : m_directory(std::move(directory))
    , m_fileName(services::TimelineStore::fileNameFor(cluster) + QStringLiteral(".jsonl"))
{
}

QString StatementsBaselineStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/statements");
}

QString StatementsBaselineStore::filePath() const
{
    return m_directory + QLatin1Char('/') + m_fileName;
}

bool StatementsBaselineStore::append(const services::StatementsSample &sample, QString *error) const
{
    const QString path = filePath();
    if (QFileInfo(path).size() >= kMaxBytes) {
        const QString older = path.chopped(6) + QStringLiteral(".1.jsonl");
        QFile::remove(older);
        QFile::rename(path, older);
    }
    return services::JsonlFile(path, QStringLiteral("statements baseline"))
        .append(toJson(sample), error);
}

std::optional<services::StatementsSample>
StatementsBaselineStore::baselineFor(const services::StatementsSample &current) const
{
    const QString path = filePath();
    QList<QJsonObject> lines =
        services::JsonlFile(path.chopped(6) + QStringLiteral(".1.jsonl")).readAll();
    lines += services::JsonlFile(path).readAll();
    std::optional<services::StatementsSample> best;
    qint64 bestDistance = 0;
    for (const QJsonObject &line : std::as_const(lines)) {
        if (line.value(QStringLiteral("stats_reset")).toString() != current.statsReset)
            continue;
        const QDateTime at =
            QDateTime::fromString(line.value(QStringLiteral("taken_at")).toString(), Qt::ISODate);
        const qint64 age = at.secsTo(current.takenAt);
        if (!at.isValid() || age < kMinAgeSeconds || age > kMaxAgeSeconds)
            continue;
        const qint64 distance = std::llabs(age - 24 * 3600);
        if (!best || distance < bestDistance) {
            best = fromJson(line);
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace vigil::models
