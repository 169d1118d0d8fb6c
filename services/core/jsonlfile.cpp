#include "services/core/jsonlfile.h"

#include "services/core/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace vigil::services {

JsonlFile::JsonlFile(QString filePath, QString what)
    : m_filePath(std::move(filePath))
    , m_what(std::move(what))
{
}

bool JsonlFile::append(const QJsonObject &object, QString *error) const
{
    QDir().mkpath(QFileInfo(m_filePath).absolutePath());
    QFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        if (error)
            *error = Tr::tr("Could not open %1 %2: %3").arg(m_what, m_filePath, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    line.append('\n');
    if (file.write(line) != line.size()) {
        if (error)
            *error =
                Tr::tr("Could not write to %1 %2: %3").arg(m_what, m_filePath, file.errorString());
        return false;
    }
    return true;
}

QList<QJsonObject> JsonlFile::readAll() const
{
    QList<QJsonObject> objects;
    QFile file(m_filePath);
    if (!file.open(QIODevice::ReadOnly))
        return objects;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            objects.append(doc.object());
    }
    return objects;
}

} // namespace vigil::services
