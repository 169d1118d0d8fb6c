#include "app/commands/commandoutput.h"

#include "app/tr.h"

#include <QCoreApplication>
#include <cstdio>

namespace vigil::app {

void printOut(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
}

void printCommandError(const QString &command, const QString &message)
{
    printErr(Tr::tr("vigil %1: %2").arg(command, message) + QLatin1Char('\n'));
}

void failCommand(const QString &command, const QString &message, int code)
{
    printCommandError(command, message);
    QCoreApplication::exit(code);
}

} // namespace vigil::app
