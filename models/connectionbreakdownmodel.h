#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

namespace vigil::models {

// Client backends of one member broken down by one dimension (state, application or database):
// name, count, share of the member's total. Keyed by the name ("" is shown as "(none)").
class ConnectionBreakdownModel : public CellTableModel
{
    Q_OBJECT
public:
    enum class Dimension
    {
        State,
        Application,
        Database
    };
    enum Column
    {
        Name,
        Count,
        Share,
        ColumnCount
    };

    explicit ConnectionBreakdownModel(Dimension dimension, QObject *parent = nullptr);

    Dimension dimension() const { return m_dimension; }
    void setStats(const std::optional<services::ConnectionStats> &stats);

private:
    Dimension m_dimension;
};

// The connection figures of `member` ("" = the sum over all members that answered), or nullopt
// when no member had figures.
std::optional<services::ConnectionStats>
connectionStatsOf(const services::ClusterSnapshot &snapshot, const QString &member);

} // namespace vigil::models
