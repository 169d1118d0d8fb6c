#pragma once

#include <QSocketNotifier>
#include <csignal>
#include <functional>
#include <memory>

namespace vigil::app {

// SIGINT/SIGTERM for a headless command that must end cleanly (vigil status --watch, vigil
// backup: its pg_dump child and temporary password file): the self-pipe trick (a handler may
// only write(2)). Installs the handlers and a notifier on the pipe, which calls `handler` on the
// event loop; the old handlers come back when it is destroyed. One at a time per process.
class StopSignals
{
public:
    explicit StopSignals(const std::function<void()> &handler);
    ~StopSignals();
    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;
    bool active() const { return bool(m_notifier); }

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    struct sigaction m_oldInt = {}, m_oldTerm = {};
};

} // namespace vigil::app
