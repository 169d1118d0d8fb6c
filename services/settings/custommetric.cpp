#include "services/settings/custommetric.h"

#include "services/core/error.h"
#include "services/postgres/sqlresource.h"

namespace vigil::services {

QString CustomMetric::validationError() const
{
    if (name.trimmed().isEmpty())
        return Tr::tr("A custom metric needs a name.");
    if (sql.trimmed().isEmpty())
        return Tr::tr("The custom metric %1 has no query.").arg(name);
    if (intervalMs < kMinIntervalMs)
        return Tr::tr("The custom metric %1 runs every %2 s; the shortest interval is %3 s.")
            .arg(name)
            .arg(intervalMs / 1000.0)
            .arg(kMinIntervalMs / 1000);
    if (warning && critical && *critical < *warning)
        return Tr::tr("The custom metric %1 has its critical level (%2) below its warning level "
                      "(%3); an alert fires at or above a level.")
            .arg(name)
            .arg(*critical)
            .arg(*warning);
    return {};
}

QString customMetricTargetName(CustomMetric::Target target)
{
    return target == CustomMetric::Target::AnyReplica ? QStringLiteral("replica")
                                                      : QStringLiteral("leader");
}

std::optional<CustomMetric::Target> customMetricTargetFromName(const QString &name)
{
    if (name == QLatin1String("leader"))
        return CustomMetric::Target::Leader;
    if (name == QLatin1String("replica"))
        return CustomMetric::Target::AnyReplica;
    return std::nullopt;
}

QList<CustomMetric> manualGamingMetrics(const QString &database)
{
    CustomMetric games;
    games.name = Tr::tr("Active game sessions");
    games.sql = sqlResource(QStringLiteral("custom_game_sessions"));
    games.database = database;
    games.target = CustomMetric::Target::AnyReplica;
    games.intervalMs = 10000;
    games.unit = Tr::tr("games");

    CustomMetric players;
    players.name = Tr::tr("Player connections");
    players.sql = sqlResource(QStringLiteral("custom_player_connections"));
    players.database = database;
    players.intervalMs = 10000;
    players.unit = Tr::tr("connections");

    CustomMetric slow;
    slow.name = Tr::tr("Slow game statements");
    slow.sql = sqlResource(QStringLiteral("custom_slow_game_statements"));
    slow.database = database;
    slow.intervalMs = 30000;
    slow.unit = Tr::tr("s");
    slow.warning = 5; // the manual's warning "Slow queries (>5 seconds average)"
    return {games, players, slow};
}

} // namespace vigil::services
