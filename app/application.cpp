#include "app/application.h"

#include "app/guisession.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QIcon>
#include <QTextStream>
#include <QUrl>

#include <cstdio>

namespace vigil::app {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VigilApp)
};

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral(VIGIL_ORGANIZATION));
    QCoreApplication::setOrganizationDomain(QStringLiteral("vigil.example.org"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
}

QString commandsHelp()
{
    QString text = Tr::tr("Commands (run without a display):") + QLatin1Char('\n');
    for (const auto &c : headlessCommands())
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromLatin1(c.name).leftJustified(12),
                         Tr::tr(c.summary));
    text += Tr::tr("Run 'vigil COMMAND --help' for a command's options.") + QLatin1Char('\n');
    return text;
}

struct GuiOptions
{
    QCommandLineOption patroni{QStringLiteral("patroni"),
                               Tr::tr("Open the window on the cluster whose Patroni REST API is at "
                                      "<url> (any member; the others are discovered)."),
                               Tr::tr("url")};
    QCommandLineOption profile{QStringLiteral("profile"),
                               Tr::tr("Open the window on the saved cluster profile <name>."),
                               Tr::tr("name")};
    QCommandLineOption readOnly{QStringLiteral("read-only"),
                                Tr::tr("Read-only mode: no action that changes the cluster can "
                                       "be reached.")};
    // Settings for --patroni (a saved profile has them already). No option takes a password:
    // libpq finds those in ~/.pgpass or the service file.
    QCommandLineOption name{QStringLiteral("name"), Tr::tr("Display name of the --patroni cluster."), Tr::tr("name")};
    QCommandLineOption sql{QStringLiteral("sql"),
                           Tr::tr("libpq conninfo for the members' SQL, without host/port, e.g. "
                                  "\"dbname=postgres user=vigil\" or \"service=NAME\"."),
                           Tr::tr("conninfo")};
    QCommandLineOption haproxyStats{QStringLiteral("haproxy-stats"),
                                    Tr::tr("HAProxy stats CSV URL, e.g. http://127.0.0.1:7000/;csv."), Tr::tr("url")};
    QCommandLineOption haproxyBackend{QStringLiteral("haproxy-backend"),
                                      Tr::tr("HAProxy listen/backend section of the read-write port (default: primary)."),
                                      Tr::tr("name")};
    QCommandLineOption pgbouncer{QStringLiteral("pgbouncer"),
                                 Tr::tr("PgBouncer admin console conninfo, e.g. \"host=127.0.0.1 port=6432 "
                                        "dbname=pgbouncer user=pgbouncer_admin\"."),
                                 Tr::tr("conninfo")};
    QCommandLineOption restUser{QStringLiteral("rest-user"), Tr::tr("Patroni REST API user for actions."), Tr::tr("user")};
    QCommandLineOption interval{QStringLiteral("interval"), Tr::tr("Polling interval in milliseconds (default 1000)."),
                                Tr::tr("ms")};
};

void setUpParser(QCommandLineParser &parser, const GuiOptions &o)
{
    parser.setApplicationDescription(
        Tr::tr("Vigil watches and operates PostgreSQL high-availability clusters run by Patroni, "
               "with HAProxy and PgBouncer in front.") +
        QStringLiteral("\n\n") + commandsHelp());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({o.patroni, o.profile, o.readOnly, o.name, o.sql, o.haproxyStats, o.haproxyBackend,
                       o.pgbouncer, o.restUser, o.interval});
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

int runGui(int argc, char **argv)
{
    GuiOptions o;
    if (wantsHelpOrVersion(argc, argv)) {
        // --help and --version work without a display.
        QCoreApplication app(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        setUpParser(parser, o);
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
    QGuiApplication::setDesktopFileName(QStringLiteral(VIGIL_APP_ID));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/org.vigil.Vigil.svg")));

    QCommandLineParser parser;
    setUpParser(parser, o);
    parser.process(app);

    ui::MainWindow::Options options;
    options.patroniUrl = parser.value(o.patroni);
    options.profileName = parser.value(o.profile);
    options.readOnly = parser.isSet(o.readOnly);
    if (!options.patroniUrl.isEmpty()) {
        const QUrl url = QUrl::fromUserInput(options.patroniUrl);
        if (!url.isValid() || url.host().isEmpty()) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(Tr::tr("vigil: '%1' is not a valid Patroni REST URL, "
                                           "e.g. http://127.0.0.1:8008")
                                        .arg(options.patroniUrl)));
            return 2;
        }
    }

    ui::MainWindow window(options);
    // The composition root: one QNetworkAccessManager for the whole application, the profile
    // store, the keychain, one ClusterMonitor per cluster.
    GuiSession session(&window);
    if (!options.patroniUrl.isEmpty()) {
        services::ClusterProfile profile = profileFromUrl(QUrl::fromUserInput(options.patroniUrl));
        if (parser.isSet(o.name))
            profile.name = parser.value(o.name);
        if (parser.isSet(o.sql))
            profile.sqlConninfo = parser.value(o.sql);
        if (parser.isSet(o.haproxyStats))
            profile.haproxyStatsUrl = QUrl::fromUserInput(parser.value(o.haproxyStats));
        if (parser.isSet(o.haproxyBackend))
            profile.haproxyReadWriteBackend = parser.value(o.haproxyBackend);
        if (parser.isSet(o.pgbouncer))
            profile.pgbouncerConninfo = parser.value(o.pgbouncer);
        if (parser.isSet(o.restUser))
            profile.restUser = parser.value(o.restUser);
        if (parser.isSet(o.interval))
            profile.stateIntervalMs = qBound(250, parser.value(o.interval).toInt(), 60000);
        profile.readOnly = options.readOnly;
        session.openProfile(profile);
    } else if (!options.profileName.isEmpty()) {
        session.openSavedProfile(options.profileName);
    } else {
        session.reopenLastProfiles();
    }
    window.show();
    return app.exec();
}

} // namespace

int run(int argc, char **argv)
{
    if (argc >= 2) {
        const QString first = QString::fromLocal8Bit(argv[1]);
        for (const auto &c : headlessCommands()) {
            if (first == QLatin1String(c.name)) {
                // Headless: no display needed, no Widgets initialised.
                QCoreApplication app(argc, argv);
                setIdentity();
                QStringList args = app.arguments();
                args.removeAt(1); // the command name; args[0] stays the program
                return c.run(args);
            }
        }
    }
    return runGui(argc, argv);
}

} // namespace vigil::app
