#include "services/core/jsonlfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace vigil::services {

JsonlFile::JsonlFile(QString filePath)
    : m_filePath(std::move(filePath))
{
}

JsonlFile::Result JsonlFile::append(const QJsonObject &object, QString *detail) const
{
    QDir().mkpath(QFileInfo(m_filePath).absolutePath());
    QFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        if (detail)
            *detail = file.errorString();
        return Result::OpenFailed;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    line.append('\n');
    if (file.write(line) != line.size()) {
        if (detail)
            *detail = file.errorString();
        return Result::WriteFailed;
    }
    return Result::Ok;
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
