#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil rotate-password ROLE --patroni URL [--pgbouncer CONNINFO] [--valid-until T]
// --confirm CLUSTER`: the password rotation wizard's code (RotationDiscovery, PasswordRotator)
// from the command line. The new password comes from the first line of stdin, or is generated
// (--generate, printed once to stdout with --print); never from an argument or the environment,
// which /proc/PID/cmdline and /proc/PID/environ would show. With --check-old the second line of
// stdin is the old password, which must then be refused.
//
// Exit codes as Nagios: 0 rotated and verified; 1 rotated, something left to do by hand (the
// userlist line printed); 2 refused or failed (what to do is printed); 3 bad usage.
class RotatePasswordCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace vigil::app
