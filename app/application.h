#pragma once

#include <QStringList>

namespace vigil::app {

// Entry point: `vigil [GUI options]` opens the window; `vigil COMMAND ...` runs a headless
// command (status, ...) on a QCoreApplication, without any display. Returns the exit code.
int run(int argc, char **argv);

// A headless command: gets the arguments after its name; returns the process exit code.
struct HeadlessCommand
{
    const char *name;
    const char *summary; // untranslated source text; translated at display time
    int (*run)(const QStringList &arguments);
};

// The registered headless commands (defined in commands.cpp).
const QList<HeadlessCommand> &headlessCommands();

} // namespace vigil::app
