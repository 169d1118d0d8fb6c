// The vigil-gui executable: the window, --help and --version, and every headless command too
// (application.h). `vigil` hands it everything that is not a headless command.
#include "app/application.h"

int main(int argc, char **argv)
{
    return vigil::app::run(argc, argv);
}
