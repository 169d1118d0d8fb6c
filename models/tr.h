#pragma once

#include <QCoreApplication>

namespace vigil::models {

// Translatable strings of the models layer that are not in a QObject (Qt Creator's idiom): one
// translation context for the whole layer.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VigilModels)
};

} // namespace vigil::models
