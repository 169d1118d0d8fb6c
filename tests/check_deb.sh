#!/usr/bin/env bash
# The .deb that CPack builds installs with apt (dependencies resolved from Debian's archive,
# as on a fresh machine) and its vigil --version runs. Needs root; exits 77 (skipped) otherwise.
set -euo pipefail
build=$1
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: installing a .deb needs root"; exit 77
fi
cd "$build"
rm -f vigil_*.deb
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; exit 1; }
deb=$(ls vigil_*.deb)
echo "built $deb"
dpkg-deb -I "$deb" | sed -n '/Package:/,/Description:/p'
listing=$(dpkg-deb -c "$deb")
for f in ./usr/bin/vigil ./usr/bin/vigil-gui ./usr/share/applications/org.vigil.Vigil.desktop \
         ./usr/share/metainfo/org.vigil.Vigil.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/org.vigil.Vigil.svg; do
  grep -qF " $f" <<<"$listing" || { echo "FAIL: $f missing from $deb"; exit 1; }
done
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >apt.log 2>&1 || { cat apt.log; exit 1; }
out=$(/usr/bin/vigil --version)
echo "installed: $out"
[ "$out" = "vigil $(dpkg-deb -f "$deb" Version)" ] || { echo "FAIL: unexpected version output"; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq vigil >/dev/null 2>&1 || true
echo "ok: $deb installs with apt and runs"
