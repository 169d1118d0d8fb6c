#pragma once

class QMenu;
class QMenuBar;

namespace vigil::ui {

// The menu bar's order, whatever order the menus are installed in: File, View, Operations,
// Security, Troubleshooting, any other menu, and Help last. A menu is known by its objectName
// ("fileMenu", "viewMenu", "operationsMenu", "securityMenu", "troubleshootingMenu", "helpMenu");
// a menu with another name goes before Help. Menus of the same rank keep the order they were
// added in.
//
// The operations and troubleshooting menus are installed after the main window built its own
// (troubleshooting only once the first cluster is opened), so "before the last menu" would depend
// on who came first.
void insertMenuInOrder(QMenuBar *bar, QMenu *menu);

} // namespace vigil::ui
