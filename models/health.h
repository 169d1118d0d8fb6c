#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QColor>
#include <QString>
#include <QVariant>

// How Vigil grades what it sees, in one place, so a table cell, the topology picture, the cluster
// list and the status bar always agree on what is "warning" and what is "critical".
namespace vigil::models {

enum class Health
{
    Ok,
    Warning,
    Critical,
    Unknown
};

// The operations manual's connection thresholds: warn at 80 % of max_connections, critical at 95 %.
constexpr double kConnectionsWarnFraction = 0.80;
constexpr double kConnectionsCriticalFraction = 0.95;
Health connectionsHealth(double usedFraction);

// Replication lag grading (bytes and seconds); the worse of both counts.
constexpr qint64 kLagWarnBytes = 16LL * 1024 * 1024;
constexpr qint64 kLagCriticalBytes = 256LL * 1024 * 1024;
constexpr double kLagWarnSeconds = 10.0;
constexpr double kLagCriticalSeconds = 60.0;
Health lagHealth(const std::optional<qint64> &bytes, const std::optional<double> &seconds);

// A Patroni member state: running/streaming ok; starting, stopping, restarting, creating replica
// warning; stopped, crashed, start failed critical; anything else unknown.
Health memberStateHealth(const QString &state);
Health channelHealth(const services::ChannelStatus &channel);
Health fromSeverity(services::Finding::Severity severity);
Health worse(Health a, Health b);
int healthRank(Health h); // Ok 0, Unknown 1, Warning 2, Critical 3 (Nagios order)

// Colours readable on both light and dark palettes (also for colour-blind users, the UI always
// pairs them with a word or a symbol).
QColor healthColor(Health h);
QString healthName(Health h); // translated: "OK", "Warning", "Critical", "Unknown"

// Row background of the troubleshooting tables for a highlight level: 1 (warning) pale amber,
// 2 (critical) pale red, anything else none (an invalid QVariant, the view's own background).
QVariant highlightBackground(int level);

// "OK (3 ms)", "Unreachable: connection refused", "No answer within 2500 ms", "Not checked".
QString channelText(const services::ChannelStatus &channel);

} // namespace vigil::models
