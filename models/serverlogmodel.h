#pragma once

#include "services/logs/serverlogentry.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <deque>

namespace vigil::models {

// The entries of one server log as read by ServerLogReader, oldest first, capped: past
// capacity() the oldest rows are removed (beginRemoveRows), so a view following a busy log for
// hours keeps a bounded memory. Appending never resets the model: selection and scroll position
// survive. Coloured by level (ForegroundRole; FATAL and PANIC also get a background).
// Lives on the UI thread.
class ServerLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Time,
        Level,
        Process,
        Origin,
        Message,
        ColumnCount
    };
    enum Role
    {
        LevelRole = Qt::UserRole + 1, // int(ServerLogLevel)
        TimeRole,                     // QDateTime (invalid for unreadable lines)
        SearchTextRole                // everything the text filter looks at, one string
    };

    explicit ServerLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void append(const QList<services::ServerLogEntry> &entries);
    void clear();
    const services::ServerLogEntry &entryAt(int row) const { return m_entries.at(size_t(row)); }

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity); // at least 1; removes the oldest rows beyond it
    // Rows removed by the cap since the last clear().
    qint64 droppedCount() const { return m_dropped; }

    // The first row whose time is at or after `time` (rows without a time are skipped), or -1.
    int firstRowAtOrAfter(const QDateTime &time) const;

    // One line of text for an entry, as the view's cells show it and `vigil logs` prints it.
    static QString timeText(const QDateTime &time);
    static QString oneLine(const services::ServerLogEntry &entry);

private:
    void trim();

    std::deque<services::ServerLogEntry> m_entries;
    int m_capacity = 20000;
    qint64 m_dropped = 0;
};

} // namespace vigil::models
