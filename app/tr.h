#pragma once

#include <QCoreApplication>

namespace vigil::app {

// Translatable strings of the command line and the application (Qt Creator's idiom): one
// translation context for the whole app layer.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VigilApp)
};

} // namespace vigil::app
