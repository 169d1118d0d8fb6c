// patroni.yml / patronictl.yaml as a DBA hands them to the import (PatroniYamlImport, yaml-cpp):
// the input is up to four files, split at NUL bytes (one per member, as `vigil profile import`
// takes them), so the merge across files (scopes, URLs, credentials) is fuzzed too.
#include "fuzzsupport.h"
#include "services/settings/patroniyamlimport.h"

using namespace vigil::services;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    vigil::fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray all = vigil::fuzz::bytes(data, size);
    QList<PatroniYamlImport::Input> inputs;
    for (const QByteArray &part : all.split('\0').mid(0, 4))
        inputs << PatroniYamlImport::Input{QStringLiteral("m%1.yml").arg(inputs.size()), part};
    const auto result = PatroniYamlImport::parse(inputs, QString());
    if (result.ok()) {
        (void)result.profile.isValid();
        (void)result.notes.join(QLatin1Char('\n'));
    } else if (result.error.isEmpty()) {
        std::abort(); // a failure always says why
    }
    return 0;
}
