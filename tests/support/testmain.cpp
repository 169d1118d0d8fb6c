// One main() for every test executable: a Q(Core)Application for the event loop, and
// QStandardPaths' test mode so tests never touch the user's real settings or audit log.
#include <QCoreApplication>
#include <QStandardPaths>
#ifdef VIGIL_TEST_GUI
#include <QApplication>
#elif defined(VIGIL_TEST_GUI_APPLICATION)
#include <QGuiApplication>
#endif

#include <gtest/gtest.h>

int main(int argc, char **argv)
{
    QStandardPaths::setTestModeEnabled(true);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    ::testing::InitGoogleTest(&argc, argv);
#ifdef VIGIL_TEST_GUI
    QApplication app(argc, argv);
#elif defined(VIGIL_TEST_GUI_APPLICATION)
    QGuiApplication app(argc, argv); // models paint (report charts, PDF): fonts, no widgets
#else
    QCoreApplication app(argc, argv);
#endif
    QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil-tests"));
    return RUN_ALL_TESTS();
}
