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
// Never destroyed (as the libpq pools in pglibpq.cpp): QThreadPool's destructor waits for the
// tasks running, and a long hash must not hold up Vigil's exit.
QThreadPool *backgroundPool();

} // namespace vigil::services
