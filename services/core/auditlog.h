#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace vigil::services {

// One executed action, as the audit log keeps it.
struct AuditEntry
{
    QDateTime when;         // UTC; set by append() when invalid
    QString osUser;         // who ran Vigil; set by append() when empty
    QString cluster;        // profile or Patroni scope name
    QString member;         // the member acted on, or empty for cluster-wide actions
    QString action;         // stable machine name: "terminate_backend", "cancel_backend",
                            // "terminate_idle_sessions", "switchover", ...
    QJsonObject parameters; // what exactly was asked (pids, thresholds, candidate, ...)
    QString result;         // "ok", "partial", "failed", "refused"
    QString serverAnswer;   // the server's answer or error text, verbatim
};

// The local audit log: append-only JSON lines (one object per line) in
// QStandardPaths::AppDataLocation/audit.jsonl (tests switch QStandardPaths to test mode).
//
// Contracts: every executed destructive action is appended by the service that ran it, after the
// server answered (or refused). Nothing secret is ever written: parameter keys that look like a
// secret (password, secret, token, passphrase, key material) are replaced by "<redacted>" before
// writing, recursively. Each entry is one line of a JsonlFile (one write() in append mode, so
// concurrent Vigil processes do not interleave lines). Not thread-safe per object: use it from
// one thread (the UI thread).
class AuditLog
{
public:
    explicit AuditLog(QString filePath = defaultPath());

    static QString defaultPath();
    QString filePath() const { return m_filePath; }

    // Returns false (and the reason in *error) when the entry could not be written.
    bool append(AuditEntry entry, QString *error = nullptr);

    // All entries, oldest first; unreadable lines are skipped.
    QList<AuditEntry> readAll() const;

    static QJsonObject toJson(const AuditEntry &entry);
    static AuditEntry fromJson(const QJsonObject &object);
    static QJsonObject redacted(const QJsonObject &parameters);
    static QString currentOsUser();

private:
    QString m_filePath;
};

} // namespace vigil::services
