#pragma once

#include <QMetaObject>
#include <QObject>
#include <utility>

namespace vigil::services {

// The one callback rule of the services: a call that takes a callback always calls it back from
// the event loop, never before the call returns, also when it ends before any work started
// (refused, no connection, nothing to do). So a caller may update its own state after the call
// and still see the answer after that, whichever way the call ended. Every such early answer
// goes through here: callLater(this, callback, error) queues callback(error) on `context`'s
// thread; when `context` is destroyed first, the call is dropped (as every pending callback of
// a destroyed service is).
template <typename Callback, typename... Args>
void callLater(QObject *context, Callback callback, Args... args)
{
    QMetaObject::invokeMethod(
        context, [callback = std::move(callback), args...]() mutable { callback(args...); },
        Qt::QueuedConnection);
}

} // namespace vigil::services
