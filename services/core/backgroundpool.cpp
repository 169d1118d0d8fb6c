#include "services/core/backgroundpool.h"

#include <QThread>

namespace vigil::services {

QThreadPool *newLastingPool(int maxThreads, int expiryMs)
{
    auto *pool = new QThreadPool;
    pool->setMaxThreadCount(maxThreads);
    pool->setExpiryTimeout(expiryMs);
    return pool;
}

QThreadPool *backgroundPool()
{
    static QThreadPool *pool = newLastingPool(qMax(2, QThread::idealThreadCount()), 30000);
    return pool;
}

} // namespace vigil::services
