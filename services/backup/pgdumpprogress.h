#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace vigil::services {

// One table whose contents pg_dump writes, with its weight (pg_table_size: heap, TOAST and maps,
// not the indexes, which a dump does not copy). From backup_table_sizes.sql.
struct BackupTable
{
    QString schema;
    QString name;
    qint64 bytes = 0;

    QString qualifiedName() const { return schema + QLatin1Char('.') + name; }
};

// The progress of one `pg_dump -v` run, from its stderr. pg_dump says, per table, "pg_dump:
// dumping contents of table "SCHEMA.TABLE"" when it starts copying it; the table before it is
// then done. The fraction is the weight of the finished tables over the weight of all (each
// table weighs at least kMinimumWeight, so a database of empty tables still moves). finish()
// marks everything done when pg_dump exited 0.
//
// Lines come in chunks that may cut a line anywhere; feed() keeps the incomplete tail. Lines
// that are not progress ("pg_dump: error: ...", "pg_dump: detail: ...") are kept for the error
// message (the last kMaxMessageLines). Plain value type: no Qt object, no thread.
class PgDumpProgress
{
public:
    static constexpr qint64 kMinimumWeight = 8192;
    static constexpr int kMaxMessageLines = 20;

    void setTables(const QList<BackupTable> &tables);
    // Returns true when the progress moved (a new table started).
    bool feed(const QByteArray &stderrChunk);
    void finish();

    double fraction() const; // 0..1
    QString currentTable() const { return m_current; }
    int tablesStarted() const { return m_started; }
    int tablesTotal() const { return int(m_tables.size()); }
    qint64 totalBytes() const { return m_total; }
    // pg_dump's own messages that are not progress: errors, details, hints, warnings.
    QStringList messages() const { return m_messages; }
    // The error lines only ("pg_dump: error: ..." and the detail/hint lines after them), with
    // the "pg_dump: " prefix removed; empty when pg_dump reported none.
    QString errorText() const;

    // The table in one "dumping contents of table" line (unquoted, "schema.table"), or empty.
    static QString tableInLine(const QString &line);

private:
    bool takeLine(const QString &line);

    QList<BackupTable> m_tables;
    QHash<QString, qint64> m_weights; // qualified name -> weight
    qint64 m_total = 0;
    qint64 m_done = 0;
    qint64 m_currentWeight = 0;
    QString m_current;
    QStringList m_startedNames; // every table started, in order (the last is m_current)
    int m_started = 0;
    bool m_finished = false;
    QByteArray m_partial;
    QStringList m_messages;
};

} // namespace vigil::services
