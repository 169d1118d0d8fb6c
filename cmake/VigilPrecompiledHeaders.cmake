# Precompiled headers (VIGIL_PCH, on by default): the Qt, standard library and GoogleTest
# headers most of a layer's files include, parsed once per target instead of once per file.
# Parsing them was most of a file's compile time at the test build's -O0 -g0 and a large part
# at -O2 -g1; the CI run builds the tree three times (plain, sanitized, fuzz) on 2 cores inside
# its 45 minutes (README, "Where a clean ./tests/run.sh spends its time").
#
# Every file still includes what it uses: the lists below only add what is precompiled, so a
# build with -DVIGIL_PCH=OFF compiles the same code. Each list holds only headers of modules
# the target links (the services layer sees no Qt Gui, models no Qt Widgets).
option(VIGIL_PCH "Precompile the headers most files include (faster builds)" ON)

set(VIGIL_PCH_CORE
  <algorithm> <chrono> <cmath> <functional> <memory> <optional> <utility> <vector>
  <QByteArray> <QDateTime> <QDir> <QElapsedTimer> <QFile> <QFileInfo> <QHash> <QJsonArray>
  <QJsonDocument> <QJsonObject> <QList> <QMap> <QObject> <QPointer> <QRegularExpression> <QSet>
  <QString> <QStringList> <QTimer> <QUrl> <QVariant>)
set(VIGIL_PCH_NETWORK <QNetworkAccessManager> <QNetworkReply> <QNetworkRequest>)
set(VIGIL_PCH_GUI <QAbstractItemModel> <QColor> <QFont> <QLocale> <QPainter>
  <QSortFilterProxyModel>)
set(VIGIL_PCH_WIDGETS <QAction> <QApplication> <QCheckBox> <QComboBox> <QDialog>
  <QDialogButtonBox> <QFormLayout> <QHBoxLayout> <QHeaderView> <QLabel> <QLineEdit> <QMenu>
  <QMessageBox> <QPlainTextEdit> <QPushButton> <QTableView> <QVBoxLayout> <QWidget> <QWizard>)
set(VIGIL_PCH_TEST <gtest/gtest.h> <QProcess> <QTemporaryDir>)

# vigil_precompile_headers(<target> [GUI] [WIDGETS] [TEST] [REUSE_FROM <target>])
# GUI adds Qt Gui's headers, WIDGETS Qt Widgets' (and Gui's), TEST GoogleTest's.
# REUSE_FROM shares another target's precompiled header (same flags, definitions and include
# directories: the integration tests' executables, one source each, would otherwise compile
# a header each as long as their test).
function(vigil_precompile_headers target)
  if(NOT VIGIL_PCH)
    return()
  endif()
  cmake_parse_arguments(P "GUI;WIDGETS;TEST" "REUSE_FROM" "" ${ARGN})
  if(P_REUSE_FROM)
    target_precompile_headers(${target} REUSE_FROM ${P_REUSE_FROM})
    return()
  endif()
  set(_headers ${VIGIL_PCH_CORE} ${VIGIL_PCH_NETWORK})
  if(P_GUI OR P_WIDGETS)
    list(APPEND _headers ${VIGIL_PCH_GUI})
  endif()
  if(P_WIDGETS)
    list(APPEND _headers ${VIGIL_PCH_WIDGETS})
  endif()
  if(P_TEST)
    list(APPEND _headers ${VIGIL_PCH_TEST})
  endif()
  target_precompile_headers(${target} PRIVATE ${_headers})
endfunction()
