#!/usr/bin/env bash
# The .desktop file and AppStream metainfo must pass the freedesktop validators.
set -eu
src=$1
desktop-file-validate "$src/resources/org.vigil.Vigil.desktop"
echo "ok: desktop-file-validate"
appstreamcli validate --no-net --pedantic "$src/resources/org.vigil.Vigil.metainfo.xml"
echo "ok: appstreamcli validate"
