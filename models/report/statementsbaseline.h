#pragma once

#include "services/diagnostics/statementsservice.h"

#include <QString>
#include <optional>

namespace vigil::models {

// Light pg_stat_statements samples of one cluster, kept so that a later health report can show
// the last day's delta instead of the totals since the statistics were reset. Each report
// appends the sample it read: QStandardPaths::AppDataLocation/statements/<cluster>.jsonl (file
// name as TimelineStore makes it), one JSON line per sample: taken_at, stats_reset and per entry
// its key and the counters a delta needs (calls, total time, rows); no query text. At 16 MiB a
// file is renamed to <cluster>.1.jsonl (replacing the older one), like the timeline.
// Not thread-safe per object: use it from one thread.
class StatementsBaselineStore
{
public:
    static constexpr qint64 kMaxBytes = 16 * 1024 * 1024;
    // A baseline is a sample between 20 and 48 hours older than the current one; the one
    // closest to 24 hours wins.
    static constexpr qint64 kMinAgeSeconds = 20 * 3600;
    static constexpr qint64 kMaxAgeSeconds = 48 * 3600;

    explicit StatementsBaselineStore(const QString &cluster,
                                     QString directory = defaultDirectory());
    static QString defaultDirectory();
    QString filePath() const;

    bool append(const services::StatementsSample &sample, QString *error = nullptr) const;
    // The stored sample to take `current`'s daily delta from: same stats_reset (a reset in
    // between makes every counter start again), age within [kMinAgeSeconds, kMaxAgeSeconds],
    // closest to 24 h. nullopt when there is none.
    std::optional<services::StatementsSample>
    baselineFor(const services::StatementsSample &current) const;

private:
    QString m_directory;
    QString m_fileName;
};

} // namespace vigil::models
