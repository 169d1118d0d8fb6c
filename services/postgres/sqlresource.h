#pragma once

#include <QString>

namespace vigil::services {

// The text of a query shipped as a resource (resources/sql/NAME.sql, compiled in as
// :/sql/NAME.sql); empty when there is no such resource. Every .sql file is loaded through
// here: read once, then served from a cache that lives as long as the program (so the reference
// stays valid). Safe to call from any thread.
const QString &sqlResource(const QString &name);

} // namespace vigil::services
