// The member probe's one-row JSON answer (resources/sql/monitor_member.sql, applyMemberProbe),
// applied twice to one member as consecutive cycles do, and the pending-restart sentence made
// of what it read.
#include "fuzzsupport.h"
#include "services/monitor/memberprobequery.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QDateTime at = QDateTime::fromMSecsSinceEpoch(1795000000000, Qt::UTC);
    const QByteArray json = vigil::fuzz::bytes(data, size);
    MemberSnapshot member;
    const ServiceError error = applyMemberProbe(json, member, at);
    if (error) {
        (void)error.toText();
        return 0;
    }
    (void)applyMemberProbe(json, member, at.addSecs(1));
    (void)describePendingRestart(member.pendingRestartSettings, nullptr);
    return 0;
}
