#pragma once

#include "services/settings/clusterprofile.h"
#include "ui/shell/mainwindow.h"

#include <QString>
#include <QStringList>
#include <optional>

class QCommandLineParser;

namespace vigil::app {

class CompositionRoot;

// What `vigil [GUI options]` asks for: the window options and, for --patroni, the profile built
// from the command line. Shared by the vigil executable and the GUI integration test, so the test
// runs exactly the command-line path.
struct GuiLaunch
{
    ui::MainWindow::Options options;
    std::optional<services::ClusterProfile>
        profile;   // --patroni URL (+ --sql, --haproxy-stats, ...)
    QString error; // a message for stderr; empty when fine
};

// Registers the GUI options (--patroni, --profile, --read-only, and the --patroni settings).
void addGuiOptions(QCommandLineParser &parser);
// Reads them from a parser that has processed the arguments.
GuiLaunch guiLaunchFromParser(const QCommandLineParser &parser);
// Parses `arguments` (arguments[0] is the program) on a fresh parser; unknown options are errors.
GuiLaunch parseGuiArguments(const QStringList &arguments);
// Opens what the launch asks for: the --patroni cluster, the --profile, or the profiles open at
// the last exit.
void openLaunch(CompositionRoot &session, const GuiLaunch &launch);

} // namespace vigil::app
