#pragma once

#include "services/core/error.h"
#include "services/postgres/pgsession.h"

#include <QCommandLineParser>
#include <QStringList>
#include <functional>

namespace vigil::app {

// `vigil locks [--json] (--patroni URL [--member NAME] | --sql CONNINFO)`: the blocker tree, with
// the same query (resources/sql/locks_tree.sql) and model (LockTreeModel) as the GUI.
int runLocksCommand(const QStringList &arguments);

// Shared by the troubleshooting commands: the options that say which server to read, and the
// asynchronous connection to it. --patroni finds the member (the leader unless --member) from
// GET /cluster; --sql is a libpq conninfo (with --patroni: the base conninfo, host/port come from
// the member). Passwords never come from the command line: libpq's own sources (~/.pgpass,
// PGPASSFILE, service file) apply.
struct TargetOptions
{
    QCommandLineOption patroni{
        QStringLiteral("patroni"),
        QStringLiteral("Patroni REST URL of any member (the leader is found from /cluster)."),
        QStringLiteral("url")};
    QCommandLineOption member{
        QStringLiteral("member"),
        QStringLiteral("With --patroni: read this member instead of the leader."),
        QStringLiteral("name")};
    QCommandLineOption sql{
        QStringLiteral("sql"),
        QStringLiteral(
            "libpq conninfo (e.g. \"service=prod\" or \"host=... port=... dbname=postgres\"). "
            "No passwords here: use ~/.pgpass or a service file."),
        QStringLiteral("conninfo")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Print JSON instead of text.")};
    QCommandLineOption timeout{QStringLiteral("timeout"),
                               QStringLiteral("Deadline in milliseconds (default 10000)."),
                               QStringLiteral("ms"), QStringLiteral("10000")};
    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({patroni, member, sql, json, timeout});
    }
};

// Resolves the target and opens a session on it; calls `done` exactly once, on the event loop,
// with the open session (owned by the caller via parent) and a "member (host:port)" label, or an
// error. Returns false (and prints usage to stderr) when the options are unusable.
bool connectTarget(
    const QCommandLineParser &parser, const TargetOptions &options, QObject *parent,
    std::function<void(services::PgSession *, const QString &label, const services::ServiceError &)>
        done);

// True when a conninfo string carries a password (refused: it would show in `ps` and history).
bool conninfoHasPassword(const QString &conninfo);

} // namespace vigil::app
