// The pg_dump archive header reader (services/backup/pgdumparchive.h): the start of a file a
// backup wrote, which a wrong --pg-dump program, a full disk or another tool may have filled
// with anything. Seeded from the start of a real dump of the sandbox's hokm_game.
#include "fuzzsupport.h"
#include "services/backup/pgdumparchive.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const auto header = parsePgDumpArchiveHeader(vigil::fuzz::bytes(data, size), &error);
    if (header) {
        (void)majorOfVersionString(header->serverVersion);
        (void)majorOfVersionString(header->pgDumpVersion);
    } else if (error.isEmpty()) {
        std::abort(); // a refusal always says why
    }
    return 0;
}
