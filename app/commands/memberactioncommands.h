#pragma once

#include "services/operations/memberaction.h"

#include <QStringList>

namespace vigil::app {

// `vigil restart MEMBER [--at TIME] [--pending]`, `vigil cancel-restart MEMBER`, `vigil reload
// MEMBER`, `vigil reinit MEMBER [--force]`, `vigil pause`, `vigil resume`: the member-action
// dialogs' code (MemberActionRunner). Each prints what will happen, asks for the cluster name (or
// takes
// --confirm), runs, prints progress and the verified result. Exit codes as `vigil switchover`.
class MemberActionCommands
{
public:
    static int restart(const QStringList &arguments);
    static int reload(const QStringList &arguments);
    static int reinit(const QStringList &arguments);
    static int pause(const QStringList &arguments);
    static int resume(const QStringList &arguments);
    static int cancelRestart(const QStringList &arguments);

private:
    static int run(services::MemberAction::Kind kind, const QStringList &arguments);
};

} // namespace vigil::app
