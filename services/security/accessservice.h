#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "services/security/accessrules.h"

#include <QObject>
#include <QPointer>
#include <functional>

namespace vigil::services {

class PgSession;

// Reads what the access view shows of one member: pg_hba_file_rules, the TLS state of the
// client and replication connections, and the ssl* settings (three queries, one after another on
// the member's session), and flags them (access::assess).
//
// Lives on its PgSession's thread; calls back exactly once, from the event loop. A part that
// fails (pg_hba_file_rules needs superuser, for one) does not fail the others: its error text
// is in the snapshot. Only a dead connection (every part failed) is an error.
class AccessService : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Result<AccessSnapshot> &)>;

    explicit AccessService(PgSession *session, QObject *parent = nullptr);

    void fetch(Callback callback);

    static QList<HbaRule> parseRules(const PgResult &result);
    static QList<SslSession> parseSessions(const PgResult &result);
    static QList<AccessSetting> parseSettings(const PgResult &result);
    // The sentence for a part that failed: permission errors say which privilege is missing.
    static QString partError(const ServiceError &error, const QString &part);

private:
    QPointer<PgSession> m_session;
};

} // namespace vigil::services
