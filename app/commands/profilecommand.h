#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil profile import FILE... [--name NAME] [--patroni URL] [--replace] [--dry-run]`: reads
// the members' patroni.yml (one per member) or a patronictl.yaml (PatroniYamlImport), prints what
// it found and what is left to fill, then saves the profile (ProfileStore, no secret) and the
// REST password found in the files (the system keychain, SecretStore::Slot::Rest). The
// superuser's password is never taken (see patroniyamlimport.h).
// `vigil profile set NAME --prometheus URL [--prometheus-matchers M] ...` changes a saved
// profile's Prometheus (the --prometheus* options also apply to `import`).
//
// Exit codes: 0 saved (or, with --dry-run, importable); 1 saved, but the REST password could not
// be stored in the keychain (what to do is printed); 2 the files cannot be imported or the
// profile exists; 3 bad usage.
class ProfileCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace vigil::app
