#include "models/statementstablemodel.h"

#include "models/formatting.h"
#include "models/health.h"

#include <QLocale>

namespace vigil::models {

using services::StatementRow;

StatementsTableModel::StatementsTableModel(QObject *parent)
    : KeyedTableModel(parent)
{
}

int StatementsTableModel::highlightFor(double meanMs)
{
    return meanMs > 5000 ? 2 : meanMs > 1000 ? 1 : 0;
}

void StatementsTableModel::setWindowSeconds(int windowSeconds)
{
    m_windowSeconds = std::max(0, windowSeconds);
    recompute();
}

void StatementsTableModel::addSample(const services::StatementsSample &sample)
{
    m_latest = sample;
    services::StatementsSample light;
    light.takenAt = sample.takenAt;
    light.statsReset = sample.statsReset;
    light.rows.reserve(sample.rows.size());
    for (const StatementRow &r : sample.rows) {
        StatementRow l;
        l.key = r.key;
        l.counters = r.counters;
        light.rows.append(l);
    }
    m_history.push_back(std::move(light));
    // Keep two hours, and at most one sample per 30 s beyond the last few minutes.
    const QDateTime horizon = sample.takenAt.addSecs(-2 * 3600);
    while (!m_history.empty() && m_history.front().takenAt < horizon)
        m_history.pop_front();
    if (m_history.size() > 20) {
        // thin out the middle: drop a sample closer than 30 s to its predecessor, older than 5 min
        const QDateTime recent = sample.takenAt.addSecs(-300);
        for (size_t i = 1; i + 1 < m_history.size(); ++i) {
            if (m_history[i].takenAt < recent &&
                m_history[i - 1].takenAt.secsTo(m_history[i].takenAt) < 30) {
                m_history.erase(m_history.begin() + long(i));
                break;
            }
        }
    }
    recompute();
}

void StatementsTableModel::clear()
{
    m_history.clear();
    m_latest = {};
    recompute();
}

void StatementsTableModel::recompute()
{
    if (m_windowSeconds == 0 || m_history.size() < 2) {
        m_coveredSeconds = 0;
        replaceRows(m_windowSeconds == 0 ? m_latest.rows : QList<StatementRow>{});
        return;
    }
    const QDateTime start = m_latest.takenAt.addSecs(-m_windowSeconds);
    // The newest sample at or before the window's start; else the oldest we have.
    const services::StatementsSample *base = &m_history.front();
    for (const auto &s : m_history) {
        if (s.takenAt <= start)
            base = &s;
        else
            break;
    }
    if (base->takenAt >= m_latest.takenAt) {
        m_coveredSeconds = 0;
        replaceRows({});
        return;
    }
    m_coveredSeconds = base->takenAt.msecsTo(m_latest.takenAt) / 1000.0;
    replaceRows(services::diffStatementSamples(*base, m_latest));
}

bool StatementsTableModel::sameData(const StatementRow &a, const StatementRow &b) const
{
    return a.counters.calls == b.counters.calls && a.counters.totalMs == b.counters.totalMs &&
           a.counters.rows == b.counters.rows &&
           a.counters.sharedBlksRead == b.counters.sharedBlksRead &&
           a.counters.sharedBlksHit == b.counters.sharedBlksHit && a.maxMs == b.maxMs &&
           a.isNew == b.isNew && a.query == b.query;
}

int StatementsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StatementsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const StatementRow &r = m_rows.at(index.row());
    const int col = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(r, col);
    case Qt::ToolTipRole:
        return toolTipData(r, col);
    case Qt::BackgroundRole:
        return highlightBackground(highlightFor(r.counters.meanMs()));
    case Qt::TextAlignmentRole:
        return col >= Calls ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SortRole:
        return sortData(r, col);
    case HighlightRole:
        return highlightFor(r.counters.meanMs());
    case FullQueryRole:
        return r.query;
    default:
        return {};
    }
}

QVariant StatementsTableModel::displayData(const StatementRow &r, int col) const
{
    const auto &c = r.counters;
    const QLocale locale;
    switch (col) {
    case Query:
        return r.query.simplified().left(300);
    case Database:
        return r.database;
    case User:
        return r.user;
    case Calls:
        return locale.toString(c.calls);
    case TotalTime:
        return formatSeconds(c.totalMs / 1000.0);
    case MeanTime:
        return formatSeconds(c.meanMs() / 1000.0);
    case MaxTime:
        return m_windowSeconds == 0 ? formatSeconds(r.maxMs / 1000.0) : QString();
    case Rows:
        return locale.toString(c.rows);
    case SharedHit:
        return locale.toString(c.sharedBlksHit);
    case SharedRead:
        return locale.toString(c.sharedBlksRead);
    case TempWritten:
        return locale.toString(c.tempBlksWritten);
    }
    return {};
}

QVariant StatementsTableModel::toolTipData(const StatementRow &r, int col)
{
    if (col == Query)
        return r.query.left(4000);
    if (col != MeanTime)
        return {};
    switch (highlightFor(r.counters.meanMs())) {
    case 2:
        return tr("Mean time above 5 s: the operations manual's slow-query threshold.");
    case 1:
        return tr("Mean time above 1 s.");
    default:
        return {};
    }
}

QVariant StatementsTableModel::sortData(const StatementRow &r, int col) const
{
    const auto &c = r.counters;
    switch (col) {
    case Calls:
        return c.calls;
    case TotalTime:
        return c.totalMs;
    case MeanTime:
        return c.meanMs();
    case MaxTime:
        return r.maxMs;
    case Rows:
        return c.rows;
    case SharedHit:
        return c.sharedBlksHit;
    case SharedRead:
        return c.sharedBlksRead;
    case TempWritten:
        return c.tempBlksWritten;
    default:
        return displayData(r, col);
    }
}

QVariant StatementsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Query:
        return tr("Query");
    case Database:
        return tr("Database");
    case User:
        return tr("User");
    case Calls:
        return tr("Calls");
    case TotalTime:
        return tr("Total time");
    case MeanTime:
        return tr("Mean time");
    case MaxTime:
        return tr("Max time");
    case Rows:
        return tr("Rows");
    case SharedHit:
        return tr("Shared hit");
    case SharedRead:
        return tr("Shared read");
    case TempWritten:
        return tr("Temp written");
    }
    return {};
}

} // namespace vigil::models
