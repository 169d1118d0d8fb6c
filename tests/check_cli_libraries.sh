#!/usr/bin/env bash
# The light `vigil` (app/main.cpp) loads no GUI library, and hands what it does not run itself to
# vigil-gui: `vigil --version` and `vigil --help` answer through it, with the same words.
# Usage: check_cli_libraries.sh VIGIL VIGIL_GUI
set -euo pipefail
vigil=$1 gui=$2
libs=$(ldd "$vigil")
if grep -E 'libQt6(Gui|Widgets|Charts|OpenGL)' <<<"$libs"; then
  echo "FAIL: $vigil loads the GUI libraries above (a headless command pulled in Qt Gui code)"
  exit 1
fi
echo "ok: $vigil loads $(wc -l <<<"$libs") libraries, none of Qt Gui, Widgets, Charts"
[ "$("$vigil" --version)" = "$("$gui" --version)" ] || { echo "FAIL: vigil --version differs from vigil-gui's"; exit 1; }
# Read the help once: `vigil --help | grep -q` under pipefail fails whenever grep exits before
# vigil has written the rest (SIGPIPE), which the longer command list made happen under -j2.
help=$("$vigil" --help)
grep -q '^  status ' <<<"$help" || { echo "FAIL: vigil --help does not list the status command"; exit 1; }
grep -q '^Usage: .*vigil ' <<<"$help" || { echo "FAIL: vigil --help names another program"; head -1 <<<"$help"; exit 1; }
echo "ok: --version and --help answer through vigil-gui"
