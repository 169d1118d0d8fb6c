#pragma once

#include <QList>
#include <QString>

namespace vigil::services {

// A named statement to run through libpq's prepared-statement protocol (PgSession::execPrepared).
// The server parses and plans it once per connection instead of once per run. `paramTypes`
// are the parameters' type OIDs ($1, $2, ... in order; 0 lets the server infer one). Give
// every parameter a type when the text does not use each of them with a cast of its own: a
// parameter the text never mentions has no type to infer.
struct PgStatement
{
    QString name; // unique per session, e.g. "vigil_member_probe"
    QString sql;
    QList<unsigned> paramTypes;

    static constexpr unsigned kBooleanOid = 16; // pg_type.oid of boolean (fixed in the catalog)
};

} // namespace vigil::services
