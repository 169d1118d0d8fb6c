#include "ui/shell/menuorder.h"

#include <QMenu>
#include <QMenuBar>
#include <QStringList>

namespace vigil::ui {

namespace {
int rankOf(const QMenu *menu)
{
    static const QStringList order = {
        QStringLiteral("fileMenu"), QStringLiteral("viewMenu"), QStringLiteral("operationsMenu"),
        QStringLiteral("securityMenu"), QStringLiteral("troubleshootingMenu")};
    if (menu->objectName() == QLatin1String("helpMenu"))
        return int(order.size()) + 1;
    const int i = int(order.indexOf(menu->objectName()));
    return i < 0 ? int(order.size()) : i;
}
} // namespace

void insertMenuInOrder(QMenuBar *bar, QMenu *menu)
{
    const int rank = rankOf(menu);
    QAction *before = nullptr;
    for (QAction *a : bar->actions())
        if (a->menu() && rankOf(a->menu()) > rank) {
            before = a;
            break;
        }
    bar->insertMenu(before, menu);
}

} // namespace vigil::ui
