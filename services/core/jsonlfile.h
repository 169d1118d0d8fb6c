#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace vigil::services {

// An append-only JSON lines file (one compact object per line): the one way Vigil writes and
// reads its local logs (the audit log, the alert history).
//
// Contracts: append() opens the file in append mode, unbuffered, and writes the whole line with
// one write(), so several Vigil processes appending to the same file do not interleave lines; the
// file is created owner-only (0600) with its folder. readAll() returns the objects oldest first
// and skips lines that are not a JSON object (a torn or hand-edited line loses only itself).
// No locking and no state between calls: use it from one thread per object.
class JsonlFile
{
public:
    // `what` names the file for people, translated ("the audit log"), in append()'s messages.
    explicit JsonlFile(QString filePath, QString what = QString());
    QString filePath() const { return m_filePath; }

    // On failure, *error says which file could not be opened or written and the system's
    // reason: "Could not write to the audit log PATH: No space left on device".
    bool append(const QJsonObject &object, QString *error = nullptr) const;
    QList<QJsonObject> readAll() const;

private:
    QString m_filePath;
    QString m_what;
};

} // namespace vigil::services
