#pragma once

#include "services/monitor/alerttypes.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace vigil::services {

// The alert history on disk: every alert event of every watched cluster (raised, escalated,
// de-escalated, acknowledged, cleared) as one JSON line in
// QStandardPaths::AppDataLocation/alerts.jsonl, with the cluster's profile name in each line.
//
// Why JSON lines and not SQLite: the DBA can grep and tail it during an incident without a
// client; each event is one write() in append mode (JsonlFile), so several Vigil processes
// (a wall and a desk console) append to the same file without a lock or a journal; there is no
// schema to migrate when an event gains a field (readers ignore unknown keys and skip bad
// lines); and it is the same form as the audit log (audit.jsonl), so one reader serves both.
// The history is for reading back (the alerts dock's history tab); active alerts are never
// restored from it (the snapshots decide, AlertEngine).
class AlertHistory
{
public:
    explicit AlertHistory(QString filePath = defaultPath());

    static QString defaultPath();
    QString filePath() const { return m_filePath; }

    // Returns false (and a sentence naming the file and the reason in *error) on failure.
    bool append(const AlertEvent &event, QString *error = nullptr) const;
    // Every event, oldest first; lines that are not an event are skipped.
    QList<AlertEvent> readAll() const;

    static QJsonObject toJson(const AlertEvent &event);
    static std::optional<AlertEvent> fromJson(const QJsonObject &object);

private:
    QString m_filePath;
};

} // namespace vigil::services
