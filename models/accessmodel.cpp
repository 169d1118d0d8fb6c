#include "models/accessmodel.h"

#include "models/health.h"

namespace vigil::models {

using services::AccessSeverity;

AccessModel::AccessModel(Kind kind, QObject *parent)
    : KeyedTableModel(parent)
    , m_kind(kind)
{
    switch (kind) {
    case Kind::Rules:
        m_headers = {tr("Line"),    tr("Type"),   tr("Database"), tr("User"), tr("Address"),
                     tr("Netmask"), tr("Method"), tr("Options"),  tr("Flag"), tr("Why")};
        break;
    case Kind::Sessions:
        m_headers = {tr("PID"), tr("User"),     tr("Database"), tr("Application"), tr("Client"),
                     tr("TLS"), tr("Protocol"), tr("Cipher"),   tr("Flag"),        tr("Why")};
        break;
    case Kind::Settings:
        m_headers = {tr("Setting"), tr("Value"), tr("Source"), tr("Flag"), tr("Why")};
        break;
    }
}

int AccessModel::flaggedCount() const
{
    int n = 0;
    for (const auto &r : m_rows)
        n += r.flag.severity != AccessSeverity::Ok ? 1 : 0;
    return n;
}

void AccessModel::setRules(const QList<services::HbaRule> &rules)
{
    QList<AccessRow> rows;
    for (const auto &h : rules) {
        AccessRow r;
        r.key = QString::number(h.line);
        r.display = {h.line, h.type, h.database, h.user, h.address, h.netmask, h.method, h.options};
        r.sort = r.display;
        r.flag = h.flag;
        rows.append(r);
    }
    replaceRows(rows);
}

void AccessModel::setSessions(const QList<services::SslSession> &sessions)
{
    QList<AccessRow> rows;
    for (const auto &s : sessions) {
        AccessRow r;
        r.key = QString::number(s.pid);
        const QString client = s.clientAddr.isEmpty() ? tr("local socket") : s.clientAddr;
        const QString application = s.backendType == QLatin1String("walsender")
                                        ? tr("%1 (replication)").arg(s.application)
                                        : s.application;
        r.display = {s.pid,
                     s.user,
                     s.database,
                     application,
                     client,
                     s.ssl ? tr("yes") : tr("no"),
                     s.version,
                     s.cipher.isEmpty() ? QString() : tr("%1 (%2 bits)").arg(s.cipher).arg(s.bits)};
        r.sort = r.display;
        r.flag = s.flag;
        rows.append(r);
    }
    replaceRows(rows);
}

void AccessModel::setSettings(const QList<services::AccessSetting> &settings)
{
    QList<AccessRow> rows;
    for (const auto &s : settings) {
        AccessRow r;
        r.key = s.name;
        r.display = {s.name, s.value, s.source};
        r.sort = r.display;
        r.flag = s.flag;
        // No finding: the server's own description explains the setting.
        if (r.flag.severity == AccessSeverity::Ok)
            r.flag.why = s.description;
        rows.append(r);
    }
    replaceRows(rows);
}

int AccessModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant AccessModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const AccessRow &r = m_rows.at(index.row());
    const int col = index.column();
    const int flagCol = flagColumn();
    const int level = r.flag.severity == AccessSeverity::Critical  ? 2
                      : r.flag.severity == AccessSeverity::Warning ? 1
                                                                   : 0;
    switch (role) {
    case Qt::DisplayRole:
        if (col == flagCol)
            return services::access::severityName(r.flag.severity);
        if (col == flagCol + 1)
            return r.flag.why;
        return col < r.display.size() ? r.display.at(col) : QVariant();
    case SortRole:
        if (col == flagCol)
            return level;
        if (col == flagCol + 1)
            return r.flag.why;
        return col < r.sort.size() ? r.sort.at(col) : QVariant();
    case SeverityRole:
        return int(r.flag.severity);
    case Qt::ToolTipRole:
        return r.flag.why.isEmpty() ? QVariant() : QVariant(r.flag.why);
    case Qt::BackgroundRole:
        return highlightBackground(level);
    default:
        break;
    }
    return {};
}

QVariant AccessModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_headers.size())
        return m_headers.at(section);
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace vigil::models
