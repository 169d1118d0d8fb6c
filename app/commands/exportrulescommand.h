#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil export-rules --profile NAME [--out FILE] [--matcher LABEL="VALUE"]... [--for 1m]`:
// writes the Prometheus alerting rules of a saved profile (ExportRulesYaml) at its thresholds,
// so the manual's alerts fire when nobody runs Vigil. The cluster's series are selected by the
// matchers (default: scope="NAME", Patroni's scope label). No network, no keychain.
//
// Exit codes: 0 written; 2 no such profile, or FILE cannot be written; 3 bad usage.
class ExportRulesCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace vigil::app
