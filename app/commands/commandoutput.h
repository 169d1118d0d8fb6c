#pragma once

#include <QString>

namespace vigil::app {

// The headless commands' output: the text in the locale's encoding, flushed at once (a script
// reading the pipe sees each line as it happens). No newline is added.
void printOut(const QString &text);
void printErr(const QString &text);

// A command's error line, "vigil COMMAND: MESSAGE" and a newline, on stderr.
void printCommandError(const QString &command, const QString &message);
// printCommandError, then ends the command's event loop with `code` (an asynchronous failure).
void failCommand(const QString &command, const QString &message, int code);

} // namespace vigil::app
