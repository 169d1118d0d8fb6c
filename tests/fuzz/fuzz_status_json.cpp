// The status JSON (`vigil status --json`, services/monitor/snapshotjson): a snapshot read back
// (snapshotFromJson) and written again (snapshotToJson) must read back to the same JSON: what
// Vigil writes, it reads without loss.
#include "fuzzsupport.h"
#include "services/monitor/snapshotjson.h"

#include <QJsonDocument>

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument doc = QJsonDocument::fromJson(vigil::fuzz::bytes(data, size));
    const Result<ClusterSnapshot> first = snapshotFromJson(doc.object());
    if (!first.ok()) {
        (void)first.error().toText();
        return 0;
    }
    const QJsonObject written = snapshotToJson(first.value());
    const Result<ClusterSnapshot> second = snapshotFromJson(written);
    vigil::fuzz::check(second.ok(), "a written snapshot reads back",
                       QJsonDocument(written).toJson());
    const QJsonObject rewritten = snapshotToJson(second.value());
    vigil::fuzz::check(rewritten == written, "written, read and written again, the JSON agrees",
                       QJsonDocument(written).toJson() + "\n--- then ---\n" +
                           QJsonDocument(rewritten).toJson());
    return 0;
}
