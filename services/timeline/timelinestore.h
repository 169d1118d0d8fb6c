#pragma once

#include "services/timeline/timelineevent.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace vigil::services {

// One cluster's timeline on disk: one JSON line per event (JsonlFile: append-only, one write()
// per line, owner-only) in QStandardPaths::AppDataLocation/timeline/<cluster>.jsonl, beside the
// alert history (alerts.jsonl) and the audit log. The cluster's profile name is made safe for a
// file name (fileNameFor): letters, digits, '.', '-' and '_' are kept, the rest is %XX-encoded.
//
// Bounded: when the file has reached maxBytes (4 MiB by default, about 20,000 events), the next
// append first renames it to <cluster>.1.jsonl (replacing the older one), so a cluster keeps at
// most twice maxBytes on disk and readAll() returns the previous file's events, then the
// current file's. Several processes appending at once may each rotate; the worst case loses the
// older file early, never a line of the current one.
// Not thread-safe per object: use it from one thread.
class TimelineStore
{
public:
    static constexpr qint64 kDefaultMaxBytes = 4 * 1024 * 1024;

    explicit TimelineStore(QString cluster, QString directory = defaultDirectory());

    static QString defaultDirectory();
    static QString fileNameFor(const QString &cluster);
    QString cluster() const { return m_cluster; }
    QString filePath() const;
    QString rotatedFilePath() const;
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }

    // Returns false (and a sentence naming the file and the reason in *error) on failure.
    bool append(const TimelineEvent &event, QString *error = nullptr) const;
    // Every stored event, oldest first (sorted by time); lines that are no event are skipped.
    QList<TimelineEvent> readAll() const;
    // Those at or after `since`.
    QList<TimelineEvent> readSince(const QDateTime &since) const;

private:
    void rotateIfFull() const;

    QString m_cluster;
    QString m_directory;
    qint64 m_maxBytes = kDefaultMaxBytes;
};

} // namespace vigil::services
