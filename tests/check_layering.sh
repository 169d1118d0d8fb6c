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
if grep -nE 'Qt6::(Widgets|Charts)' "$src/services/CMakeLists.txt" "$src/models/CMakeLists.txt"; then
  echo "FAIL: services or models link Qt Widgets in CMake"; rc=1
fi
exit $rc
