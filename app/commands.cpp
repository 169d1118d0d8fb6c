// The table of headless commands. Each command lives in its own file pair in app/.
#include "app/application.h"

#include <QList>

namespace vigil::app {

const QList<HeadlessCommand> &headlessCommands()
{
    static const QList<HeadlessCommand> commands = {
    };
    return commands;
}

} // namespace vigil::app
