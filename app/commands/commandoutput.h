#pragma once

#include <QString>

namespace vigil::app {

// The headless commands' output: the text in the locale's encoding, flushed at once (a script
// reading the pipe sees each line as it happens). No newline is added.
void printOut(const QString &text);
void printErr(const QString &text);

} // namespace vigil::app
