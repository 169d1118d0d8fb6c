#include "services/core/backgroundpool.h"

#include <QThread>

namespace vigil::services {

QThreadPool *backgroundPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setObjectName(QStringLiteral("vigil-background"));
        p->setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
        p->setExpiryTimeout(30000);
        return p;
    }();
    return pool;
}

} // namespace vigil::services
