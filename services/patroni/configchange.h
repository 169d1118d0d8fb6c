#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <optional>

// The dynamic-configuration editor's logic, pure: what PATCH /config must carry to turn the
// current configuration into the edited one, a readable diff, and which PostgreSQL parameters
// only take effect after a restart. Parameter changes go through Patroni (PATCH /config), never
// ALTER SYSTEM: Patroni would overwrite postgresql.auto.conf's effect on the next reload.
namespace vigil::services {

// A config value as one line of text: strings bare, numbers without a needless fraction,
// objects and arrays as compact JSON, null as "null", an absent value as "(unset)".
QString configValueText(const QJsonValue &v);

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

// The JSON value a person meant by `text` (a form cell, `vigil edit-config --set`). The type of
// `original` (the value it replaces) is kept when the text fits it: a boolean stays a boolean
// for "true"/"false", a number stays a number for a numeric text, a string stays a string (so a
// parameter Patroni holds as "100" is sent as "100"). A new key (original undefined or null)
// becomes a number for an integer or decimal text, a boolean for "true"/"false", null for
// "null", and a string otherwise.
QJsonValue configValueFromText(const QString &text,
                               const QJsonValue &original = QJsonValue(QJsonValue::Undefined));

// The dotted path of a configuration key, as the diff names it ("loop_wait",
// "postgresql.parameters.max_connections"). Below postgresql.parameters the rest of the path is
// one parameter name, dots included ("postgresql.parameters.pg_stat_statements.track").
// Empty when the path has an empty part.
QStringList configPathKeys(const QString &path);

// `config` with the key at `path` set to `value`, or removed when `value` is nullopt; the
// objects on the way are created when missing. Returns the reason when that is impossible (a
// key on the way holds a value that is no object: "ttl is 30, not a group of settings").
QString setConfigValue(QJsonObject &config, const QString &path,
                       const std::optional<QJsonValue> &value);
// The value at `path` (undefined when absent).
QJsonValue configValue(const QJsonObject &config, const QString &path);

// After a PATCH /config: the leaves of `patch` that `config` (as read back) does not show,
// one sentence each ("loop_wait: sent 7, /config shows 10"). A null leaf (a removal) must be
// absent. Empty when every change shows.
QStringList configPatchMismatches(const QJsonObject &patch, const QJsonObject &config);

} // namespace vigil::services
