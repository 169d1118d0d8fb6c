#include "app/gui/guilaunch.h"

#include "app/gui/compositionroot.h"
#include "app/gui/wallroot.h"
#include "app/tr.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>

namespace vigil::app {

namespace {

const QString kPatroni = QStringLiteral("patroni");
const QString kProfile = QStringLiteral("profile");
const QString kReadOnly = QStringLiteral("read-only");
const QString kName = QStringLiteral("name");
const QString kSql = QStringLiteral("sql");
const QString kHaproxyStats = QStringLiteral("haproxy-stats");
const QString kHaproxyBackend = QStringLiteral("haproxy-backend");
const QString kPgbouncer = QStringLiteral("pgbouncer");
const QString kRestUser = QStringLiteral("rest-user");
const QString kInterval = QStringLiteral("interval");
const QString kWall = QStringLiteral("wall");
const QString kAllProfiles = QStringLiteral("all-profiles");
const QString kWindowed = QStringLiteral("windowed");

// --wall and its options; an error message when they do not go together.
QString readWallOptions(const QCommandLineParser &parser, GuiLaunch &launch)
{
    launch.wall = parser.isSet(kWall);
    launch.allProfiles = parser.isSet(kAllProfiles);
    launch.windowed = parser.isSet(kWindowed);
    launch.profiles = parser.values(kProfile);
    if (!launch.wall && (launch.allProfiles || launch.windowed))
        return Tr::tr("vigil: --all-profiles and --windowed go with --wall.");
    if (!launch.wall && launch.profiles.size() > 1)
        return Tr::tr("vigil: the window opens one --profile; several are for --wall.");
    if (launch.allProfiles && !launch.profiles.isEmpty())
        return Tr::tr("vigil: give either --profile NAME (one per cluster) or --all-profiles.");
    return {};
}

} // namespace

void addGuiOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {kPatroni,
         Tr::tr("Open the window on the cluster whose Patroni REST API is at <url> (any member; "
                "the others are discovered)."),
         Tr::tr("url")},
        {kProfile,
         Tr::tr("Open the window on the saved cluster profile <name> (with --wall: repeat it, "
                "one per cluster)."),
         Tr::tr("name")},
        {kReadOnly, Tr::tr("Read-only mode: no action that changes the cluster can be reached.")},
        {kWall,
         Tr::tr("Wall mode for an incident room: full screen, one tile per cluster (--profile "
                "repeated, or --all-profiles), read-only by construction.")},
        {kAllProfiles, Tr::tr("With --wall: show every saved cluster profile.")},
        {kWindowed, Tr::tr("With --wall: a normal window instead of full screen.")},
        // Settings for --patroni (a saved profile has them already). No option takes a password:
        // passwords never go on a command line; libpq finds them in ~/.pgpass or the service file.
        {kName, Tr::tr("Display name of the --patroni cluster."), Tr::tr("name")},
        {kSql,
         Tr::tr("libpq conninfo for the members' SQL, without host/port, e.g. \"dbname=postgres "
                "user=vigil\" or \"service=NAME\"."),
         Tr::tr("conninfo")},
        {kHaproxyStats, Tr::tr("HAProxy stats CSV URL, e.g. http://127.0.0.1:7000/;csv."),
         Tr::tr("url")},
        {kHaproxyBackend,
         Tr::tr("HAProxy listen/backend section of the read-write port (default: primary)."),
         Tr::tr("name")},
        {kPgbouncer,
         Tr::tr("PgBouncer admin console conninfo, e.g. \"host=127.0.0.1 port=6432 "
                "dbname=pgbouncer user=pgbouncer_admin\"."),
         Tr::tr("conninfo")},
        {kRestUser, Tr::tr("Patroni REST API user for actions."), Tr::tr("user")},
        {kInterval, Tr::tr("Polling interval in milliseconds (default 1000)."), Tr::tr("ms")},
    });
}

GuiLaunch guiLaunchFromParser(const QCommandLineParser &parser)
{
    GuiLaunch launch;
    launch.options.patroniUrl = parser.value(kPatroni);
    launch.options.profileName = parser.value(kProfile);
    launch.options.readOnly = parser.isSet(kReadOnly);
    launch.error = readWallOptions(parser, launch);
    if (!launch.error.isEmpty() || launch.options.patroniUrl.isEmpty())
        return launch;
    const QUrl url = QUrl::fromUserInput(launch.options.patroniUrl);
    if (!url.isValid() || url.host().isEmpty()) {
        launch.error =
            Tr::tr("vigil: '%1' is not a valid Patroni REST URL, e.g. http://127.0.0.1:8008")
                .arg(launch.options.patroniUrl);
        return launch;
    }
    services::ClusterProfile profile = profileFromUrl(url);
    if (parser.isSet(kName))
        profile.name = parser.value(kName);
    if (parser.isSet(kSql))
        profile.sqlConninfo = parser.value(kSql);
    if (parser.isSet(kHaproxyStats))
        profile.haproxyStatsUrl = QUrl::fromUserInput(parser.value(kHaproxyStats));
    if (parser.isSet(kHaproxyBackend))
        profile.haproxyReadWriteBackend = parser.value(kHaproxyBackend);
    if (parser.isSet(kPgbouncer))
        profile.pgbouncerConninfo = parser.value(kPgbouncer);
    if (parser.isSet(kRestUser))
        profile.restUser = parser.value(kRestUser);
    if (parser.isSet(kInterval)) {
        bool ok = false;
        const int ms = parser.value(kInterval).toInt(&ok);
        if (!ok || ms < 250 || ms > 60000) {
            launch.error =
                Tr::tr("vigil: --interval must be a number of milliseconds between 250 and 60000.");
            return launch;
        }
        profile.stateIntervalMs = ms;
    }
    profile.readOnly = launch.options.readOnly || launch.wall;
    launch.profile = profile;
    return launch;
}

GuiLaunch parseGuiArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    addGuiOptions(parser);
    if (!parser.parse(arguments)) {
        GuiLaunch launch;
        launch.error = parser.errorText();
        return launch;
    }
    return guiLaunchFromParser(parser);
}

void openLaunch(CompositionRoot &session, const GuiLaunch &launch)
{
    if (launch.profile)
        session.openProfile(*launch.profile);
    else if (!launch.options.profileName.isEmpty())
        session.openSavedProfile(launch.options.profileName);
    else
        session.reopenLastProfiles();
}

} // namespace vigil::app

namespace vigil::app {

void openWall(WallRoot &wall, const GuiLaunch &launch)
{
    if (launch.profile)
        wall.openProfile(*launch.profile);
    for (const QString &name : launch.profiles)
        wall.openSavedProfile(name);
    if (launch.allProfiles)
        wall.openAllProfiles();
    else if (!launch.profile && launch.profiles.isEmpty())
        wall.reopenLastProfiles();
}

} // namespace vigil::app
