// The vigil executable: runs the light headless commands itself, and hands everything else
// (the window, --help, --version, `locks`, `sessions`) to vigil-gui. Linked without Qt Gui,
// Widgets or Charts (application.h).
#include "app/application.h"

int main(int argc, char **argv)
{
    using namespace vigil::app;
    if (const HeadlessCommand *command = findCommand(lightCommands(), argc, argv))
        return runHeadless(*command, argc, argv);
    return execGui(argc, argv);
}
