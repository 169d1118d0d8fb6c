#include "app/application.h"

#include "app/gui/compositionroot.h"
#include "app/gui/guilaunch.h"
#include "app/gui/stalllog.h"
#include "app/gui/wallroot.h"
#include "app/tr.h"
#include "services/core/version.h"
#include "ui/shell/mainwindow.h"
#include "ui/wall/wallview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QIcon>
#include <QTextStream>
#include <QUrl>
#include <algorithm>
#include <cstdio>

namespace vigil::app {

namespace {

QString commandsHelp()
{
    QString text = Tr::tr("Commands (run without a display):") + QLatin1Char('\n');
    qsizetype width = 12; // the names line up in one column, however long the longest
    for (const auto &c : headlessCommands())
        width = std::max<qsizetype>(width, qstrlen(c.name));
    for (const auto &c : headlessCommands())
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromLatin1(c.name).leftJustified(width), Tr::tr(c.summary));
    text += Tr::tr("Run 'vigil COMMAND --help' for a command's options.") + QLatin1Char('\n');
    return text;
}

void setUpParser(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        Tr::tr("Vigil watches and operates PostgreSQL high-availability clusters run by Patroni, "
               "with HAProxy and PgBouncer in front.") +
        QStringLiteral("\n\n") + commandsHelp());
    parser.addHelpOption();
    parser.addVersionOption();
    addGuiOptions(parser);
}

bool wantsHelpOrVersion(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version" ||
            a == "-?")
            return true;
    }
    return false;
}

bool haveDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

// vigil --wall: the wall's own composition, no main window (and so no operation) at all.
int runWall(QApplication &app, const GuiLaunch &launch)
{
    ui::WallView view;
    WallRoot wall(&view);
    openWall(wall, launch);
    if (launch.windowed) {
        view.resize(1280, 720);
        view.show();
    } else {
        view.showFullScreen();
    }
    return app.exec();
}

int runGui(int argc, char **argv)
{
    if (wantsHelpOrVersion(argc, argv)) {
        // --help and --version work without a display.
        QCoreApplication app(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        setUpParser(parser);
        parser.process(app); // prints and exits
        return 0;
    }
    if (!haveDisplay()) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(Tr::tr("vigil: no display found (neither DISPLAY nor "
                                       "WAYLAND_DISPLAY is set). Run it inside a desktop session, "
                                       "under Xvfb (xvfb-run -a vigil ...), or use a headless "
                                       "command such as 'vigil status'.")));
        return 1;
    }

    QApplication app(argc, argv);
    setIdentity();
    QGuiApplication::setApplicationDisplayName(Tr::tr("Vigil"));
    QGuiApplication::setDesktopFileName(QLatin1String(vigil::kAppId));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/org.vigil.Vigil.svg")));
    // Soak runs only (VIGIL_STALL_LOG=FILE): the UI thread's event-loop lateness, logged.
    StallLog::fromEnvironment(&app);

    QCommandLineParser parser;
    setUpParser(parser);
    parser.process(app);

    const GuiLaunch launch = guiLaunchFromParser(parser);
    if (!launch.error.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(launch.error));
        return 2;
    }
    if (launch.wall)
        return runWall(app, launch);

    ui::MainWindow window(launch.options);
    // The composition root: one QNetworkAccessManager for the whole application, the profile
    // store, the keychain, one ClusterMonitor per cluster.
    CompositionRoot session(&window);
    openLaunch(session, launch);
    window.show();
    return app.exec();
}

// A headless command that draws (HeadlessCommand::needsGui): Qt Gui's fonts, images and PDF
// writer need a QGuiApplication, and the offscreen platform gives one without a display (from
// cron, over ssh). Forced, not defaulted: such a command never shows anything, and a desktop's
// QT_QPA_PLATFORM=wayland would otherwise make it depend on the session.
int runHeadlessOnGui(const HeadlessCommand &command, int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    setIdentity();
    QStringList args = app.arguments();
    args.removeAt(1); // the command name; args[0] stays the program
    const int code = command.run(args);
    letNetworkThreadsEnd();
    return code;
}

} // namespace

int run(int argc, char **argv)
{
    if (const HeadlessCommand *command = findCommand(headlessCommands(), argc, argv))
        return command->needsGui ? runHeadlessOnGui(*command, argc, argv)
                                 : runHeadless(*command, argc, argv);
    const int code = runGui(argc, argv);
    letNetworkThreadsEnd();
    return code;
}

} // namespace vigil::app
