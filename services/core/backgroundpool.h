#pragma once

#include <QThreadPool>

namespace vigil::services {

// The pool for Vigil's own work off the UI thread (checking and hashing a dump, building a
// blocker tree, freeing a large snapshot), never Qt's global pool: Qt 6.4's raster engine splits
// every fill of 96 rows or more across QThreadPool::globalInstance() and keeps the UI thread
// waiting for the pieces (QT_THREAD_PARALLEL_FILLS in qdrawhelper.cpp). A global pool busy with
// Vigil's work queues those pieces behind it, and painting waits for the work: hashing a dump
// takes seconds per gigabyte, and on a one-CPU machine the global pool has one thread.
//
// Never destroyed (newLastingPool): a long hash must not hold up Vigil's exit.
QThreadPool *backgroundPool();

// A pool that is never destroyed, for work that may still run when Vigil exits (a hash, a
// libpq cancel stuck on a frozen server): QThreadPool's destructor, and QCoreApplication's for
// the global pool, waits for the tasks running. Left without an object name on purpose: Qt 6.4
// names a pool's threads after it, and unnamed ones are "Thread (pooled)", the name StallProbe
// looks for when it counts the pool threads' wait for a CPU.
QThreadPool *newLastingPool(int maxThreads, int expiryMs);

} // namespace vigil::services
