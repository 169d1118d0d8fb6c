#include "services/postgres/sqlresource.h"

#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <map>

namespace vigil::services {

const QString &sqlResource(const QString &name)
{
    // A std::map: its elements never move, so the references handed out stay valid.
    static QMutex mutex;
    static std::map<QString, QString> cache;
    const QMutexLocker lock(&mutex);
    const auto it = cache.find(name);
    if (it != cache.end())
        return it->second;
    QString text;
    QFile f(QStringLiteral(":/sql/%1.sql").arg(name));
    if (f.open(QIODevice::ReadOnly))
        text = QString::fromUtf8(f.readAll());
    return cache.emplace(name, std::move(text)).first->second;
}

} // namespace vigil::services
