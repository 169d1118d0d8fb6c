// The menu bar keeps File, View, Operations, Security, Troubleshooting, Help in that order,
// whichever of them is installed first.
#include "support/qtprinters.h"
#include "ui/shell/menuorder.h"

#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
QMenu *menu(QMainWindow &w, const QString &objectName)
{
    auto *m = new QMenu(objectName, &w);
    m->setObjectName(objectName);
    return m;
}

QStringList order(QMainWindow &w)
{
    QStringList names;
    for (QAction *a : w.menuBar()->actions())
        names << a->menu()->objectName();
    return names;
}

const QStringList kExpected = {QStringLiteral("fileMenu"),
                               QStringLiteral("viewMenu"),
                               QStringLiteral("operationsMenu"),
                               QStringLiteral("securityMenu"),
                               QStringLiteral("troubleshootingMenu"),
                               QStringLiteral("helpMenu")};
} // namespace

TEST(MenuOrder, HelpStaysLastWhicheverMenuComesFirst)
{
    for (bool operationsFirst : {true, false}) {
        QMainWindow w;
        for (const char *name : {"fileMenu", "viewMenu", "helpMenu"})
            ui::insertMenuInOrder(w.menuBar(), menu(w, QLatin1String(name)));
        const QStringList later =
            operationsFirst
                ? QStringList{QStringLiteral("operationsMenu"),
                              QStringLiteral("troubleshootingMenu"), QStringLiteral("securityMenu")}
                : QStringList{QStringLiteral("securityMenu"), QStringLiteral("troubleshootingMenu"),
                              QStringLiteral("operationsMenu")};
        for (const QString &name : later)
            ui::insertMenuInOrder(w.menuBar(), menu(w, name));
        EXPECT_EQ(order(w), kExpected) << "operations first: " << operationsFirst;
    }
}

TEST(MenuOrder, AnyOrderOfInstallingGivesTheSameBar)
{
    QStringList names = kExpected;
    std::sort(names.begin(), names.end());
    do {
        QMainWindow w;
        for (const QString &name : names)
            ui::insertMenuInOrder(w.menuBar(), menu(w, name));
        EXPECT_EQ(order(w), kExpected) << names.join(QLatin1Char(' ')).toStdString();
    } while (std::next_permutation(names.begin(), names.end()));
}

TEST(MenuOrder, AnotherMenuGoesBeforeHelpInTheOrderItCame)
{
    QMainWindow w;
    for (const char *name :
         {"fileMenu", "helpMenu", "viewMenu", "extraA", "troubleshootingMenu", "extraB"})
        ui::insertMenuInOrder(w.menuBar(), menu(w, QLatin1String(name)));
    EXPECT_EQ(order(w),
              (QStringList{QStringLiteral("fileMenu"), QStringLiteral("viewMenu"),
                           QStringLiteral("troubleshootingMenu"), QStringLiteral("extraA"),
                           QStringLiteral("extraB"), QStringLiteral("helpMenu")}));
}

TEST(MenuOrder, SecurityGoesBetweenOperationsAndTroubleshooting)
{
    QMainWindow w;
    for (const char *name : {"fileMenu", "viewMenu", "helpMenu", "troubleshootingMenu",
                             "securityMenu", "operationsMenu"})
        ui::insertMenuInOrder(w.menuBar(), menu(w, QLatin1String(name)));
    EXPECT_EQ(order(w),
              (QStringList{QStringLiteral("fileMenu"), QStringLiteral("viewMenu"),
                           QStringLiteral("operationsMenu"), QStringLiteral("securityMenu"),
                           QStringLiteral("troubleshootingMenu"), QStringLiteral("helpMenu")}));
}
