#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

// The dynamic-configuration editor's logic, pure: what PATCH /config must carry to turn the
// current configuration into the edited one, a readable diff, and which PostgreSQL parameters
// only take effect after a restart. Parameter changes go through Patroni (PATCH /config), never
// ALTER SYSTEM: Patroni would overwrite postgresql.auto.conf's effect on the next reload.
namespace vigil::services {

// A JSON merge patch (RFC 7396) from `current` to `edited`: changed keys with their new value,
// removed keys as null, nested objects recursively. Empty when nothing changed.
QJsonObject configMergePatch(const QJsonObject &current, const QJsonObject &edited);

// One line per changed leaf, by its dotted path:
// "postgresql.parameters.max_connections: 1200 → 1300", "ttl: (unset) → 30", "x: 1 → (removed)".
QStringList configChangeLines(const QJsonObject &current, const QJsonObject &edited);

// Parameters of context "postmaster" (PostgreSQL 15): changing them needs a restart.
bool parameterNeedsRestart(const QString &name);

// The PostgreSQL parameters in a patch (postgresql.parameters.*) that need a restart.
QStringList restartRequiredParameters(const QJsonObject &patch);

} // namespace vigil::services
