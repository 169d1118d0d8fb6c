#include "services/security/pgbounceruserlist.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStringList>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::services {

namespace {

QByteArray quoted(const QByteArray &field)
{
    QByteArray out = field;
    out.replace('"', "\"\"");
    return '"' + out + '"';
}

// The first quoted field of a line, unescaped; nullopt when the line does not start with one.
std::optional<QByteArray> firstField(const QByteArray &line)
{
    const QByteArray t = line.trimmed();
    if (!t.startsWith('"'))
        return std::nullopt;
    QByteArray field;
    for (qsizetype i = 1; i < t.size(); ++i) {
        if (t.at(i) != '"') {
            field.append(t.at(i));
        } else if (i + 1 < t.size() && t.at(i + 1) == '"') {
            field.append('"');
            ++i;
        } else {
            return field;
        }
    }
    return std::nullopt;
}

ServiceError fileError(const QString &path, const QString &message)
{
    return ServiceError::make(ServiceError::Kind::Refused, Tr::tr("write %1").arg(path), {}, {},
                              message);
}

} // namespace

QByteArray PgBouncerUserlist::line(const QString &role, const QByteArray &verifier)
{
    return quoted(role.toUtf8()) + ' ' + quoted(verifier);
}

QString PgBouncerUserlist::userOf(const QByteArray &line)
{
    const auto field = firstField(line);
    return field ? QString::fromUtf8(*field) : QString();
}

bool PgBouncerUserlist::contains(const QByteArray &content, const QString &role)
{
    for (const QByteArray &l : content.split('\n'))
        if (firstField(l) && userOf(l) == role)
            return true;
    return false;
}

QByteArray PgBouncerUserlist::withLine(const QByteArray &content, const QString &role,
                                       const QByteArray &newLine)
{
    QList<QByteArray> lines = content.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the final newline
    bool replaced = false;
    for (QByteArray &l : lines)
        if (firstField(l) && userOf(l) == role) {
            l = newLine;
            replaced = true;
        }
    if (!replaced)
        lines.append(newLine);
    return lines.join('\n') + '\n';
}

ServiceError PgBouncerUserlist::writeAtomically(const QString &path, const QByteArray &content,
                                                QString *backupPath)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return fileError(path, Tr::tr("The file does not exist on this machine."));
    const QString backup = path + QStringLiteral(".bak");
    QFile::remove(backup);
    if (!QFile::copy(path, backup))
        return fileError(path,
                         Tr::tr("Could not keep a backup as %1; nothing was changed.").arg(backup));
    // The backup holds the old secrets: the old file's mode and owner.
    ::chmod(QFile::encodeName(backup).constData(), st.st_mode & 07777);
    [[maybe_unused]] int rc = ::chown(QFile::encodeName(backup).constData(), st.st_uid, st.st_gid);
    if (backupPath)
        *backupPath = backup;

    QSaveFile file(path); // a temporary file beside it, renamed over it on commit()
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file.errorString());
    // Before any byte is written: only the owner may read the temporary file.
    ::fchmod(file.handle(), st.st_mode & 07777);
    rc = ::fchown(file.handle(), st.st_uid, st.st_gid);
    if (file.write(content) != content.size() || !file.commit())
        return fileError(path, Tr::tr("%1; the old file is unchanged.").arg(file.errorString()));
    return {};
}

} // namespace vigil::services
