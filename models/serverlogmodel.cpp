#include "models/serverlogmodel.h"

#include "models/tr.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace vigil::models {

using services::ServerLogLevel;

namespace {
QColor levelColor(ServerLogLevel level)
{
    switch (level) {
    case ServerLogLevel::Panic:
    case ServerLogLevel::Fatal:
        return QColor(0x9b, 0x1c, 0x1c); // dark red
    case ServerLogLevel::Error:
        return QColor(0xc6, 0x28, 0x28); // red
    case ServerLogLevel::Warning:
        return QColor(0xa8, 0x6a, 0x00); // amber, dark enough on white
    case ServerLogLevel::Debug:
    case ServerLogLevel::Info:
    case ServerLogLevel::Unknown:
        return QColor(0x6b, 0x70, 0x78); // grey
    case ServerLogLevel::Notice:
    case ServerLogLevel::Log:
        break;
    }
    return {};
}
} // namespace

ServerLogModel::ServerLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ServerLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ServerLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ServerLogModel::timeText(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                          : QString();
}

QString ServerLogModel::oneLine(const services::ServerLogEntry &entry)
{
    QString out = entry.message.simplified();
    for (const auto &d : entry.details)
        out += QStringLiteral("  [%1: %2]").arg(d.first, d.second.simplified());
    return out;
}

QVariant ServerLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const services::ServerLogEntry &e = entryAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return timeText(e.time);
        case Level:
            return services::serverLogLevelName(e.level);
        case Process:
            return e.pid ? QVariant(e.pid) : QVariant();
        case Origin:
            return e.origin();
        case Message:
            return oneLine(e);
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == Message ? e.fullText() : QVariant();
    case Qt::ForegroundRole: {
        const QColor c = levelColor(e.level);
        return c.isValid() ? QVariant(QBrush(c)) : QVariant();
    }
    case Qt::BackgroundRole:
        if (e.level == ServerLogLevel::Fatal || e.level == ServerLogLevel::Panic)
            return QBrush(QColor(0xfd, 0xe8, 0xe8));
        return {};
    case Qt::FontRole:
        if (index.column() == Level && e.level >= ServerLogLevel::Error) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case LevelRole:
        return int(e.level);
    case TimeRole:
        return e.time;
    case SearchTextRole:
        return e.origin() + QLatin1Char('\n') + e.fullText();
    }
    return {};
}

QVariant ServerLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return Tr::tr("Time");
    case Level:
        return Tr::tr("Level");
    case Process:
        return Tr::tr("PID");
    case Origin:
        return Tr::tr("User@database/application");
    case Message:
        return Tr::tr("Message");
    }
    return {};
}

void ServerLogModel::append(const QList<services::ServerLogEntry> &entries)
{
    if (entries.isEmpty())
        return;
    // Only the newest `capacity` of a large batch are ever shown.
    const qsizetype skip = qMax<qsizetype>(0, entries.size() - m_capacity);
    m_dropped += skip;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(entries.size() - skip) - 1);
    for (qsizetype i = skip; i < entries.size(); ++i)
        m_entries.push_back(entries.at(i));
    endInsertRows();
    trim();
}

void ServerLogModel::trim()
{
    const int excess = rowCount() - m_capacity;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_entries.erase(m_entries.begin(), m_entries.begin() + excess);
    m_dropped += excess;
    endRemoveRows();
}

void ServerLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_dropped = 0;
    endResetModel();
}

void ServerLogModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    trim();
}

int ServerLogModel::firstRowAtOrAfter(const QDateTime &time) const
{
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const QDateTime &t = m_entries.at(i).time;
        if (t.isValid() && t >= time)
            return int(i);
    }
    return -1;
}

} // namespace vigil::models
