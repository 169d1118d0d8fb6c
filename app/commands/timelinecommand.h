#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil timeline [--profile P | --patroni URL] [--since 2h] [--markdown | --json]`: the
// incident timeline of one cluster: what the window (or the wall) recorded on this machine
// (TimelineStore, named after the profile), the audit log's operator actions on the cluster, and
// Patroni's GET /history (asked with the profile's deadline, 5 s by default; when no member
// answers, a note on stderr and the recorded events only). A table (TextTable) by default,
// the post-mortem markdown (models::timelineMarkdown) with --markdown, JSON lines with --json.
// Reads only: nothing is written to the stored timeline. Exit 0, 2 for unusable options.
int runTimelineCommand(const QStringList &arguments);

} // namespace vigil::app
