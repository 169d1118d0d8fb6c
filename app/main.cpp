// The vigil executable: command-line dispatch (GUI or a headless command) and nothing else.
#include "app/application.h"

int main(int argc, char **argv)
{
    return vigil::app::run(argc, argv);
}
