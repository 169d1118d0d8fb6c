#pragma once

#include <QStringList>

namespace vigil::app {

// Two executables share this folder (app/CMakeLists.txt):
//  * vigil-gui (guimain.cpp): run(): `vigil-gui [GUI options]` opens the window,
//    `vigil-gui COMMAND ...` runs a headless command in-process.
//  * vigil (main.cpp): the light one, linked without Qt Gui, Widgets or Charts, so that a
//    headless command (`vigil status` from cron or a monitoring system) does not load the GUI's
//    libraries: it runs a headless command itself (runHeadless), and hands everything else (the
//    window, --help, --version) to vigil-gui (execGui).
int run(int argc, char **argv);

// A headless command: gets the arguments after its name; returns the process exit code.
struct HeadlessCommand
{
    const char *name;
    const char *summary; // untranslated source text; translated at display time
    int (*run)(const QStringList &arguments);
    // Draws with Qt Gui (images, fonts, PDF): vigil-gui runs it on a QGuiApplication with the
    // offscreen platform instead of a QCoreApplication (still no display needed); the light
    // vigil hands it over like every command it does not run itself.
    bool needsGui = false;
};

// The registered headless commands (commands.cpp), in the order --help lists them.
const QList<HeadlessCommand> &headlessCommands();
// Those of them the light vigil runs itself: the ones that need no Qt Gui (lightcommands.cpp).
const QList<HeadlessCommand> &lightCommands();

// The command of `commands` named by argv[1], or nullptr (headless.cpp).
const HeadlessCommand *findCommand(const QList<HeadlessCommand> &commands, int argc, char **argv);
// Runs `command` on a QCoreApplication, without any display. Returns the exit code.
int runHeadless(const HeadlessCommand &command, int argc, char **argv);
// Replaces this process with vigil-gui, found next to this executable, with the same
// arguments. Returns only on failure (the reason printed), with exit code 1.
int execGui(int argc, char **argv);
// Sanitized builds only (no-op otherwise), called before main returns. LeakSanitizer checks when
// the process exits, and QThread::wait() returns before the thread's pthread-specific destructors
// have run; OpenSSL frees a thread's state (its random generators) in one of them. A command
// that returns right after deleting its QNetworkAccessManager raced the network thread's
// clean-up, and LSan reported that state as leaked (`vigil status` on the TLS sandbox: 3 of 14
// runs, only libcrypto frames; 0 of 14 with 300 ms before exit). Waits, at most 1 s, until no
// QNetworkAccessManager thread is left.
void letNetworkThreadsEnd();
// Organization, application name and version, for QSettings and --version.
void setIdentity();

} // namespace vigil::app
