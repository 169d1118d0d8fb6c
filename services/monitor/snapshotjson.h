#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QJsonObject>
#include <QString>

// The machine-readable form of a ClusterSnapshot (`vigil status --json`), documented as a JSON
// Schema in resources/status-schema.json. Stable names in snake_case; times in ISO 8601 UTC with
// milliseconds; sizes in bytes; durations in seconds (lag) or milliseconds (latency); an unknown
// value is null, never a made-up 0.
namespace vigil::services {

// "vigil.status/1": bump the number when a field changes meaning or disappears (adding is fine).
inline constexpr const char *kSnapshotJsonSchemaId = "vigil.status/1";

QString
channelStateName(ChannelStatus::State state); // "unknown", "ok", "unreachable", "unresponsive"

QJsonObject snapshotToJson(const ClusterSnapshot &snapshot);

// The inverse, for tools and tests (e.g. replaying a recorded snapshot): everything
// snapshotToJson writes is read back. Unknown fields are ignored; a wrong schema id or a
// non-object is a Parse error.
Result<ClusterSnapshot> snapshotFromJson(const QJsonObject &json);

} // namespace vigil::services
