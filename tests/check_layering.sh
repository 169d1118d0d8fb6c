#!/usr/bin/env bash
# Proves the layering rule: services and models build and link without Qt Widgets.
# 1. the test executables that link only services / only models do not load libQt6Widgets;
# 2. no source below ui/ includes a Widgets or Charts header.
set -u
src=$1; shift
rc=0
for bin in "$@"; do
  if ldd "$bin" | grep -qE 'libQt6(Widgets|Charts)'; then
    echo "FAIL: $bin links Qt Widgets/Charts:"; ldd "$bin" | grep -E 'libQt6(Widgets|Charts)'; rc=1
  else
    echo "ok: $(basename "$bin") links no Qt Widgets"
  fi
done
if grep -rnE '#\s*include\s*<(QtWidgets|QtCharts|QWidget|QApplication|QMainWindow|QDialog|QChart)' \
     "$src/services" "$src/models"; then
  echo "FAIL: services/ or models/ include Widgets headers"; rc=1
else
  echo "ok: no Widgets headers in services/ or models/"
fi
if grep -rnE --include=CMakeLists.txt 'Qt6::(Widgets|Charts)' "$src/services" "$src/models"; then
  echo "FAIL: services or models link Qt Widgets in CMake"; rc=1
fi
# The headless commands (vigil_cli, linked alone by the light vigil) use no ui/ code and no widget.
if grep -rnE '#\s*include\s*("ui/|<(QtWidgets|QtCharts|QWidget|QApplication|QMainWindow|QDialog|QChart))' \
     "$src/app/commands"; then
  echo "FAIL: app/commands/ (vigil_cli) includes ui/ or Widgets headers"; rc=1
else
  echo "ok: app/commands/ includes no ui/ or Widgets header"
fi
# Every room lists its own sources: no file(GLOB) in a code folder's CMakeLists.txt.
if grep -rn --include=CMakeLists.txt 'file(GLOB' "$src/services" "$src/models" "$src/ui" "$src/app"; then
  echo "FAIL: a code folder globs its sources"; rc=1
fi
exit $rc
