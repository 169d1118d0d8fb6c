#pragma once

#include "services/core/error.h"
#include "services/metrics/custommetricreading.h"
#include "services/postgres/pgresult.h"

#include <QList>
#include <QString>

namespace vigil::services {

// How a custom metric's query is run (CustomMetricRunner), as pure functions so they are
// unit-tested:
//
//   BEGIN READ ONLY                                 -- simple protocol
//   SET LOCAL statement_timeout = 5000              -- simple protocol
//   <the metric's SQL>                              -- extended protocol: ONE statement only
//   ROLLBACK                                        -- whatever happened
//
// The extended protocol refuses several statements in one text, so a query cannot close the
// read-only transaction and write after it ("SELECT 1; COMMIT; DELETE ..."); a lone COMMIT only
// ends the empty transaction, and a SET inside it is rolled back. The sessions are opened with
// default_transaction_read_only=on and the same statement_timeout as well
// (customMetricConnectionOptions), so even a query that lands on a connection re-opened after a
// failed BEGIN (PgSession re-connects on the next query) cannot write or run unbounded. What
// read-only does not stop: functions that act outside the data (pg_terminate_backend,
// pg_cancel_backend); give the profile's SQL role no such rights.
constexpr int kCustomMetricStatementTimeoutMs = 5000;
constexpr int kCustomMetricMaxLabels = 20;

QString customMetricBeginStatement();   // "BEGIN READ ONLY"
QString customMetricTimeoutStatement(); // "SET LOCAL statement_timeout = 5000"
QString customMetricEndStatement();     // "ROLLBACK"
// libpq's `options` for a custom metric session: `existing` (the conninfo's own options, kept)
// followed by -c default_transaction_read_only=on -c statement_timeout=5000.
QString customMetricConnectionOptions(const QString &existing);

// Reads a custom metric's answer:
// - one column: one row holding a number (a NULL is no value: an empty list, not an error);
// - two columns: rows of (label, number), the label's NULL shown as "(null)", a row whose number
//   is NULL left out; labels must be distinct, at most kCustomMetricMaxLabels rows;
// anything else, a cell that is not a finite number (text, a boolean, NaN, Infinity), or more
// columns is an error (Kind::Parse) whose message says what the query returned.
Result<QList<CustomMetricValue>> parseCustomMetricAnswer(const PgResult &result);

// The sentence a DBA reads when a custom metric's query failed: the server's error with what it
// means here (a write refused by the read-only transaction, the statement_timeout, a missing
// pg_stat_statements and what to do about it), `database` being where it ran.
QString explainCustomMetricError(const ServiceError &error, const QString &database);

} // namespace vigil::services
