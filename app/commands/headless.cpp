// What both executables need to run a headless command, and the light vigil's hand-over to
// vigil-gui (application.h). Nothing here may use Qt Gui or Widgets: the light vigil links this
// file, and the linker drops every library it does not reference (tests/check_cli_libraries.sh).
#include "app/application.h"
#include "app/tr.h"
#include "services/core/version.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QThread>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace vigil::app {

namespace {

// The directory of this executable (from /proc/self/exe: argv[0] may be a bare name found on
// PATH, or a symbolic link).
std::string executableDirectory()
{
    std::vector<char> buf(4096);
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0)
        return {};
    std::string path(buf.data(), std::size_t(n));
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

} // namespace

void letNetworkThreadsEnd()
{
#if defined(__SANITIZE_ADDRESS__)
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (int i = 0; i < 200; ++i) { // at most 1 s
        bool running = false;
        for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
            running |=
                comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("QNetworkAccessM");
        }
        if (!running)
            return;
        QThread::msleep(5);
    }
#endif
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(QLatin1String(vigil::kOrganization));
    QCoreApplication::setOrganizationDomain(QStringLiteral("vigil.example.org"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil"));
    QCoreApplication::setApplicationVersion(QLatin1String(vigil::kVersion));
}

const HeadlessCommand *findCommand(const QList<HeadlessCommand> &commands, int argc, char **argv)
{
    if (argc < 2)
        return nullptr;
    for (const auto &c : commands)
        if (std::strcmp(argv[1], c.name) == 0)
            return &c;
    return nullptr;
}

int runHeadless(const HeadlessCommand &command, int argc, char **argv)
{
    // No display needed, no Widgets initialised.
    QCoreApplication app(argc, argv);
    setIdentity();
    QStringList args = app.arguments();
    args.removeAt(1); // the command name; args[0] stays the program
    const int code = command.run(args);
    letNetworkThreadsEnd();
    return code;
}

int execGui(int argc, char **argv)
{
    const std::string gui = executableDirectory() + "/vigil-gui";
    // argv[0] stays as the user typed it: usage lines and messages name "vigil".
    std::vector<char *> args(argv, argv + argc);
    args.push_back(nullptr);
    ::execv(gui.c_str(), args.data());
    const int error = errno;
    std::fprintf(stderr, "%s\n",
                 qPrintable(Tr::tr("vigil: cannot start the desktop interface %1: %2. Reinstall "
                                   "Vigil; headless commands such as 'vigil status' still work.")
                                .arg(QString::fromLocal8Bit(gui.c_str()),
                                     QString::fromLocal8Bit(std::strerror(error)))));
    return 1;
}

} // namespace vigil::app
