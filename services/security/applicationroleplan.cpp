#include "services/security/applicationroleplan.h"

#include "services/core/error.h"

#include <QJsonArray>

namespace vigil::services {

QStringList TableGrant::privileges() const
{
    QStringList p;
    if (select)
        p << QStringLiteral("SELECT");
    if (insert)
        p << QStringLiteral("INSERT");
    if (update)
        p << QStringLiteral("UPDATE");
    if (del)
        p << QStringLiteral("DELETE");
    return p;
}

QString ApplicationRolePlan::kindName(Kind kind)
{
    return kind == Kind::Reporting ? QStringLiteral("reporting") : QStringLiteral("game");
}

QString ApplicationRolePlan::problem() const
{
    if (role.trimmed().isEmpty())
        return Tr::tr("Give the role a name.");
    if (role.startsWith(QLatin1String("pg_")))
        return Tr::tr("Role names starting with pg_ are reserved by PostgreSQL.");
    if (database.isEmpty())
        return Tr::tr("Choose the database the role works in.");
    if (schema.isEmpty())
        return Tr::tr("Choose the schema.");
    if (kind == Kind::Game) {
        bool any = false;
        for (const auto &t : tables)
            any = any || t.any();
        if (!any)
            return Tr::tr("Choose at least one privilege on one table for the game role.");
    }
    return {};
}

QJsonObject ApplicationRolePlan::toAuditJson() const
{
    QJsonObject o{{QStringLiteral("kind"), kindName(kind)},
                  {QStringLiteral("role"), role},
                  {QStringLiteral("database"), database},
                  {QStringLiteral("schema"), schema},
                  {QStringLiteral("create_role"), createRole}};
    if (kind == Kind::Game) {
        QJsonObject grants;
        for (const auto &t : tables)
            if (t.any())
                grants.insert(t.schema + QLatin1Char('.') + t.table,
                              QJsonArray::fromStringList(t.privileges()));
        o.insert(QStringLiteral("tables"), grants);
    }
    return o;
}

QStringList applicationRoleStatements(const ApplicationRolePlan &plan,
                                      const IdentifierQuoter &quote,
                                      const QString &passwordStatement)
{
    const QString role = quote(plan.role);
    const QString schema = quote(plan.schema);
    QStringList out;
    if (plan.createRole) {
        out << QStringLiteral("CREATE ROLE %1 WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                              "NOREPLICATION")
                   .arg(role);
        if (!passwordStatement.isEmpty())
            out << passwordStatement;
    }
    if (plan.kind == ApplicationRolePlan::Kind::Reporting)
        out << QStringLiteral("ALTER ROLE %1 SET default_transaction_read_only = on").arg(role);
    out << QStringLiteral("GRANT CONNECT ON DATABASE %1 TO %2").arg(quote(plan.database), role);
    out << QStringLiteral("GRANT USAGE ON SCHEMA %1 TO %2").arg(schema, role);
    if (plan.kind == ApplicationRolePlan::Kind::Reporting) {
        out << QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA %1 TO %2").arg(schema, role);
        return out;
    }
    for (const auto &t : plan.tables) {
        if (!t.any())
            continue;
        const QString table = quote(t.schema) + QLatin1Char('.') + quote(t.table);
        out << QStringLiteral("GRANT %1 ON TABLE %2 TO %3")
                   .arg(t.privileges().join(QStringLiteral(", ")), table, role);
        if (t.insert)
            for (const auto &[seqSchema, seq] : t.sequences)
                out << QStringLiteral("GRANT USAGE, SELECT ON SEQUENCE %1.%2 TO %3")
                           .arg(quote(seqSchema), quote(seq), role);
    }
    return out;
}

QString applicationRoleScript(const QStringList &statements)
{
    QString s = QStringLiteral("BEGIN;\n");
    for (const QString &st : statements)
        s += st + QStringLiteral(";\n");
    s += QStringLiteral("COMMIT;");
    return s;
}

} // namespace vigil::services
