#pragma once
// The real main window on the sandbox cluster "hokm-ha", as `vigil-gui --patroni ...` opens it
// (integration tests only: it needs Vigil::app): its own profile file in a temporary folder,
// secrets in memory, 1440x900, shown.

#include "app/gui/compositionroot.h"
#include "app/gui/guilaunch.h"
#include "models/clusterwatch.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/sandbox.h"
#include "ui/shell/mainwindow.h"

#include <QTemporaryDir>

namespace vigil::test {

struct SandboxWindow
{
    SandboxWindow()
        : launch(app::parseGuiArguments(Sandbox::guiArguments(QStringLiteral("hokm-ha"))))
        , window(launch.options)
        , profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr)
        , session(&window, &secrets, &profiles)
    {
        window.resize(1440, 900);
        window.show();
        app::openLaunch(session, launch);
    }
    // The cluster's latest snapshot as the window has it; null before the first one.
    const services::ClusterSnapshot *last() const
    {
        const models::ClusterWatch *w = window.watch(QStringLiteral("hokm-ha"));
        return w && w->lastSnapshot() ? w->lastSnapshot().get() : nullptr;
    }

    QTemporaryDir dir;
    app::GuiLaunch launch;
    ui::MainWindow window;
    services::MemorySecretStore secrets;
    services::ProfileStore profiles;
    app::CompositionRoot session;
};

} // namespace vigil::test
