#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace vigil::services {

// One table of the schema and what a role may do with it. `sequences` are the sequences the
// table owns (serial / identity columns, as "schema.name" pairs): an INSERT needs USAGE on them.
struct TableGrant
{
    QString schema, table;
    bool select = false, insert = false, update = false, del = false;
    QList<QPair<QString, QString>> sequences;

    bool any() const { return select || insert || update || del; }
    QStringList privileges() const; // "SELECT", "INSERT", "UPDATE", "DELETE" in that order
};

// The manual's two application roles ("Create Application Users"), as a plan the wizard
// previews and runs:
//   Reporting: LOGIN, read-only by default (default_transaction_read_only), CONNECT on the
//     database, USAGE on the schema, SELECT on all its tables (those that exist now).
//   Game: LOGIN, CONNECT, USAGE, and per table exactly the privileges chosen, plus USAGE and
//     SELECT on the sequences of the tables it may INSERT into.
// With createRole false the role exists already: only the grants are run, its password and
// attributes are left as they are.
struct ApplicationRolePlan
{
    enum class Kind
    {
        Reporting,
        Game
    };
    Kind kind = Kind::Reporting;
    QString role, database, schema = QStringLiteral("public");
    QList<TableGrant> tables; // Game: the chosen privileges (tables without any are skipped)
    bool createRole = true;

    // Empty when the plan can run, else what is missing, in a sentence.
    QString problem() const;
    // What the audit log keeps: kind, role, database, schema, per-table privileges. Never a
    // password or verifier (there is none in the plan).
    QJsonObject toAuditJson() const;
    static QString kindName(Kind kind); // "reporting", "game"
};

// Quotes an identifier (PgSession::escapeIdentifier, i.e. PQescapeIdentifier, in the product).
using IdentifierQuoter = std::function<QString(const QString &)>;

// The statements of `plan`, in order, each without a trailing semicolon. `passwordStatement`
// (ALTER ROLE ... PASSWORD '<SCRAM verifier>', built by rolePasswordSql) goes right after
// CREATE ROLE; it is skipped when empty or when the role is not created. Every identifier goes
// through `quote`; nothing else of the plan reaches the SQL.
QStringList applicationRoleStatements(const ApplicationRolePlan &plan,
                                      const IdentifierQuoter &quote,
                                      const QString &passwordStatement = {});

// The statements as one script run in a single transaction (BEGIN ... COMMIT): all or nothing.
QString applicationRoleScript(const QStringList &statements);

} // namespace vigil::services
