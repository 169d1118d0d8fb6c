#pragma once
// A member's disk filling, for the fault drills: a tiny volume (a tmpfs of 8 MiB mounted under
// the sandbox directory, owned by the OS user that runs PostgreSQL) as the tablespace
// vigil_drill_full, where hokm_app may create tables. An application fills it with TEMPORARY
// tables (the drill's writer creates one per session).
//
// Why temporary tables: the sandbox's three members run on one host, so a replica replays
// CREATE TABLESPACE at the SAME path and shares the folder with the primary. The files of any
// table that reaches the WAL are then touched by the replicas' redo as well, and that breaks the
// primary. Tried with an UNLOGGED table first: the replicas replay its DROP by unlinking at once
// the file the primary keeps (truncated) until its next checkpoint, so the primary's
// checkpointer PANICked ("could not fsync file ...: No such file or directory") and the member
// crashed. A temporary table never reaches the WAL, is never fsynced and is removed by its own
// session: only the primary's backends meet the full volume, as on a member with its own disk.
//
// Every step runs while the event loop turns (runInLoop), so the UI thread a drill measures is
// never held by it. Needs root (mount); CI runs as root.

#include "support/eventloop.h"
#include "support/processrun.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::test {

class TinyTablespace
{
public:
    static constexpr const char *kTablespace = "vigil_drill_full";

    TinyTablespace()
        : m_path(QDir(QString::fromLocal8Bit(qgetenv("VIGIL_SANDBOX_DIR")))
                     .filePath(QStringLiteral("drill-diskfull")))
    {
    }

    QString path() const { return m_path; }

    // Mounts the volume and creates the tablespace (hokm_app may create tables in it). Empty
    // when done, otherwise what failed and what to do.
    QString create()
    {
        if (::geteuid() != 0)
            return QStringLiteral("the disk-full drill mounts a tmpfs and needs root (uid 0); this "
                                  "test runs as uid %1. Run it as root, as CI does.")
                .arg(::geteuid());
        if (QString left = remove(); !left.isEmpty()) // what a killed earlier run left behind
            return left;
        m_present = true;
        if (!QDir().mkpath(m_path))
            return QStringLiteral("could not create %1").arg(m_path);
        const ProcessRun mount =
            runInLoop(QStringLiteral("mount"),
                      {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                       QStringLiteral("size=8m,mode=0700"), QStringLiteral("vigil-drill"), m_path},
                      30000);
        if (mount.exitCode != 0)
            return QStringLiteral("mount -t tmpfs on %1 was not permitted (the drill needs root "
                                  "and a kernel that allows tmpfs mounts): %2")
                .arg(m_path, QString::fromStdString(show(mount)));
        // Owned by whoever runs PostgreSQL (the sandbox's data directories tell).
        const QFileInfo data(QFileInfo(m_path).absolutePath() + QStringLiteral("/node1/data"));
        if (::chown(QFile::encodeName(m_path).constData(), data.ownerId(), data.groupId()) != 0)
            return QStringLiteral("could not give %1 to uid %2").arg(m_path).arg(data.ownerId());
        if (QString e =
                sql(QStringLiteral("leader"), {QStringLiteral("CREATE TABLESPACE %1 LOCATION '%2'")
                                                   .arg(QLatin1String(kTablespace), m_path)});
            !e.isEmpty())
            return e;
        if (!replicasCaughtUp())
            return QStringLiteral("the replicas did not replay CREATE TABLESPACE within 60 s");
        return sql(QStringLiteral("leader"),
                   {QStringLiteral("GRANT CREATE ON TABLESPACE %1 TO hokm_app")
                        .arg(QLatin1String(kTablespace))});
    }

    // Drops the table and the tablespace, waits for the replicas to replay that, has every
    // member checkpoint past it, unmounts and removes the folder. Safe to call again and when
    // create() stopped half-way. Empty when the volume is gone, otherwise what is left.
    //
    // The checkpoints matter: a member's crash recovery replays WAL from its last checkpoint, and
    // the replay of CREATE TABLESPACE fails ("directory ... does not exist": the member never
    // starts again) when the folder is gone (found the hard way, after the PANIC above). So the
    // folder is removed only once every member's redo starts after the DROP; otherwise it is
    // kept (empty) and said so.
    QString remove()
    {
        if (!m_present && !mounted() && !QFileInfo::exists(m_path))
            return {};
        // The writer's sessions remove their temporary tables as they end: until then the
        // tablespace is not empty.
        QString problem;
        waitUntil(
            [&] {
                problem = sql(
                    QStringLiteral("leader"),
                    {QStringLiteral("DROP TABLESPACE IF EXISTS %1").arg(QLatin1String(kTablespace)),
                     QStringLiteral("CHECKPOINT")});
                return problem.isEmpty();
            },
            20000);
        if (problem.isEmpty() && !replicasCaughtUp())
            problem = QStringLiteral("the replicas did not replay DROP TABLESPACE within 60 s");
        for (const char *member : {"node1", "node2", "node3"}) // a replica: a restartpoint
            if (problem.isEmpty())
                problem = sql(QLatin1String(member), {QStringLiteral("CHECKPOINT")});
        // Should a process still hold the volume, give it a moment, then detach lazily rather
        // than leave a mount behind.
        waitUntil(
            [this] {
                return !mounted() ||
                       runInLoop(QStringLiteral("umount"), {m_path}, 30000).exitCode == 0;
            },
            10000);
        if (mounted())
            runInLoop(QStringLiteral("umount"), {QStringLiteral("-l"), m_path}, 30000);
        if (mounted())
            problem += QStringLiteral(" %1 is still mounted.").arg(m_path);
        if (problem.isEmpty()) {
            QDir().rmdir(m_path);
            m_present = false;
        } else if (QFileInfo::exists(m_path))
            problem += QStringLiteral(" Kept the empty folder %1: a member whose redo starts "
                                      "before the DROP TABLESPACE needs it to recover.")
                           .arg(m_path);
        return problem.trimmed();
    }

    // The volume is mounted (per /proc/mounts).
    bool mounted() const
    {
        QFile mounts(QStringLiteral("/proc/mounts"));
        if (!mounts.open(QIODevice::ReadOnly))
            return false;
        const QByteArray needle = ' ' + QFile::encodeName(m_path) + ' ';
        return mounts.readAll().contains(needle);
    }

    // Statements as postgres on `target` (a sandbox.sh psql target: leader, node1..3), each in
    // its own transaction (CREATE/DROP TABLESPACE refuse to run in one); empty when all
    // succeeded, else psql's error.
    static QString sql(const QString &target, const QStringList &statements)
    {
        QStringList args = {QStringLiteral("psql"), target, QStringLiteral("-XAtq"),
                            QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1")};
        for (const QString &s : statements)
            args << QStringLiteral("-c") << s;
        const ProcessRun r = runInLoop(QStringLiteral(VIGIL_SANDBOX_SCRIPT), args, 60000);
        return r.exitCode == 0 ? QString()
                               : QStringLiteral("%1 on %2: %3")
                                     .arg(statements.join(QStringLiteral("; ")), target,
                                          QString::fromStdString(show(r)));
    }

private:
    // Both replicas have replayed the leader's WAL up to now.
    static bool replicasCaughtUp()
    {
        const ProcessRun lsn =
            runInLoop(QStringLiteral(VIGIL_SANDBOX_SCRIPT),
                      {QStringLiteral("psql"), QStringLiteral("leader"), QStringLiteral("-XAtqc"),
                       QStringLiteral("SELECT pg_current_wal_lsn()")},
                      60000);
        if (lsn.exitCode != 0)
            return false;
        const QString query = QStringLiteral("SELECT count(*) FROM pg_stat_replication WHERE "
                                             "replay_lsn >= '%1'")
                                  .arg(lsn.out.trimmed());
        return waitUntil(
            [&] {
                const ProcessRun r = runInLoop(QStringLiteral(VIGIL_SANDBOX_SCRIPT),
                                               {QStringLiteral("psql"), QStringLiteral("leader"),
                                                QStringLiteral("-XAtqc"), query},
                                               60000);
                return r.exitCode == 0 && r.out.trimmed() == QLatin1String("2");
            },
            60000);
    }

    QString m_path;
    bool m_present = false; // create() began and remove() has not finished since
};

} // namespace vigil::test
