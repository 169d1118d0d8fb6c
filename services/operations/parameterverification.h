#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <optional>

// After a PATCH /config that changes postgresql.parameters: has every member picked the new
// values up? Pure logic; ParameterReloadCheck reads pg_settings on each member and asks here.
namespace vigil::services {

// One parameter as one member runs with it (a row of pg_settings).
struct ParameterSetting
{
    QString setting;             // pg_settings.setting, in `unit` ("1000")
    QString unit;                // pg_settings.unit ("ms"), empty when none
    bool pendingRestart = false; // pg_settings.pending_restart
};

// What one member shows for the parameters that were changed.
struct MemberParameterReading
{
    QString member;
    QString error; // not empty: the member could not be read (no reading)
    QMap<QString, ParameterSetting> settings;
};

enum class ParameterApplyState
{
    Applied,        // every parameter shows the new value
    PendingRestart, // the rest shows, but a parameter waits for a restart
    NotYet,         // a parameter still shows the old value (Patroni reloads on its next cycle)
    Unreachable     // the member could not be read
};

struct MemberParameterStatus
{
    QString member;
    ParameterApplyState state = ParameterApplyState::NotYet;
    QString shown; // "log_min_duration_statement = 1000 ms", or the error
};

// Whether a running value (`setting` in `unit`) is the configured `expected` text. Time values
// compare in milliseconds ("1s" is 1000 with unit ms), memory in bytes ("5MB" is 5120 with unit
// kB, "128MB" is 16384 with unit 8kB), booleans by meaning ("true" is "on"), everything else as
// text, case-insensitively.
bool settingMatches(const QString &expected, const ParameterSetting &running);

// The state of one member for `expected` (parameter name -> configured value as text).
MemberParameterStatus classifyReading(const MemberParameterReading &reading,
                                      const QMap<QString, QString> &expected);

// Applied and PendingRestart are final: reading again will not change them without a restart.
bool isFinal(ParameterApplyState state);

// "applied", "pending restart", "not yet", "unreachable" (translated).
QString applyStateText(ParameterApplyState state);

// The expected values of the postgresql.parameters in a /config merge patch, as text (a
// removed parameter, null, is left out: its value then comes from the server's own files).
QMap<QString, QString> expectedParameters(const QJsonObject &patch);

} // namespace vigil::services
