#pragma once

#include "services/maintenance/checklist.h"

#include <QList>
#include <QString>

namespace vigil::services {

// One cluster's checklist history on disk: one JSON line per check result or hand tick
// (JsonlFile: append-only, one write() per line, owner-only) in
// QStandardPaths::AppDataLocation/checklists/<cluster>.jsonl, beside the timeline/ folder, the
// alert history and the audit log. The file name is the profile name made safe the timeline's
// way (TimelineStore::fileNameFor). The window and `vigil checklist` append to the same file.
// A few lines a day: no rotation. Not thread-safe per object: use it from one thread.
class ChecklistStore
{
public:
    explicit ChecklistStore(QString cluster, QString directory = defaultDirectory());

    static QString defaultDirectory();
    QString cluster() const { return m_cluster; }
    QString filePath() const;

    // Returns false (and a sentence naming the file and the reason in *error) on failure.
    bool append(const ChecklistRecord &record, QString *error = nullptr) const;
    // Every stored record, oldest first; lines that are no record are skipped.
    QList<ChecklistRecord> readAll() const;

private:
    QString m_cluster;
    QString m_directory;
};

} // namespace vigil::services
