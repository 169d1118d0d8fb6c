#pragma once

#include "services/settings/clusterprofile.h"
#include "ui/shell/mainwindow.h"

#include <QString>
#include <QStringList>
#include <optional>

class QCommandLineParser;

namespace vigil::app {

class CompositionRoot;
class WallRoot;

// What `vigil [GUI options]` asks for: the window options and, for --patroni, the profile built
// from the command line. Shared by the vigil executable and the GUI integration test, so the test
// runs exactly the command-line path.
struct GuiLaunch
{
    ui::MainWindow::Options options;
    std::optional<services::ClusterProfile>
        profile;   // --patroni URL (+ --sql, --haproxy-stats, ...)
    QString error; // a message for stderr; empty when fine
    // --wall: the war room's wall (WallRoot) instead of the window, on the --profile NAMEs (the
    // option may be repeated), every saved profile (--all-profiles), or --patroni URL.
    bool wall = false;
    bool allProfiles = false;
    bool windowed = false; // --windowed: not full screen (tests, screenshots, a second monitor)
    QStringList profiles;
};

// Registers the GUI options (--patroni, --profile, --read-only, --wall, --all-profiles,
// --windowed, and the --patroni settings).
void addGuiOptions(QCommandLineParser &parser);
// Reads them from a parser that has processed the arguments.
GuiLaunch guiLaunchFromParser(const QCommandLineParser &parser);
// Parses `arguments` (arguments[0] is the program) on a fresh parser; unknown options are errors.
GuiLaunch parseGuiArguments(const QStringList &arguments);
// Opens what the launch asks for: the --patroni cluster, the --profile, or the profiles open at
// the last exit.
void openLaunch(CompositionRoot &session, const GuiLaunch &launch);
// The same for the wall: the --patroni cluster, every --profile, --all-profiles, or the profiles
// open at the last exit.
void openWall(WallRoot &wall, const GuiLaunch &launch);

} // namespace vigil::app
