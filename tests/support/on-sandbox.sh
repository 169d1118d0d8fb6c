#!/usr/bin/env bash
# Runs one integration test executable (the arguments) on a sandbox of its own, as CTest calls
# every integration test (tests/CMakeLists.txt):
#   - With a resource spec (tests/run.sh passes --resource-spec-file: one resource per running
#     sandbox, of type "sandbox" (fast), "production" or "tls", id "s<port base>"), CTest hands
#     each test a sandbox of the kind it asks for that no other test holds meanwhile
#     (CTEST_RESOURCE_GROUP_0=sandbox, CTEST_RESOURCE_GROUP_0_SANDBOX=id:s61300,slots:1); its
#     environment, as `sandbox.sh env` printed it, is read from $VIGIL_SANDBOX_ENV_DIR/s<base>.env.
#   - Without one (ctest run by hand), the sandbox of the caller's environment is used, and a lock
#     on its directory keeps two tests from breaking it at once (ctest -j2 by hand).
# Each test also gets data, config and cache folders of its own (XDG_*), removed afterwards, so
# that two tests running at once never share a timeline, an audit log or a profile file.
set -uo pipefail

kind=${CTEST_RESOURCE_GROUP_0:-}
given=
if [[ -n "$kind" ]]; then
  var=CTEST_RESOURCE_GROUP_0_${kind^^}
  given=${!var:-}
fi
if [[ -n "$given" ]]; then
  id=${given#id:}
  id=${id%%,*}
  envfile=${VIGIL_SANDBOX_ENV_DIR:-}/$id.env
  if [[ ! -r "$envfile" ]]; then
    echo "on-sandbox: CTest gave $kind sandbox $id, but $envfile cannot be read" >&2
    exit 1
  fi
  # shellcheck disable=SC1090
  source "$envfile"
fi

own=$(mktemp -d "${TMPDIR:-/tmp}/vigil-test-home.XXXXXX")
trap 'rm -rf "$own"' EXIT
export XDG_DATA_HOME=$own/data XDG_CONFIG_HOME=$own/config XDG_CACHE_HOME=$own/cache
export XDG_STATE_HOME=$own/state
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"

if [[ -n "${VIGIL_SANDBOX_DIR:-}" && -d "$VIGIL_SANDBOX_DIR" ]]; then
  exec 9>"$VIGIL_SANDBOX_DIR/.test-lock"
  flock 9
fi
"$@" 9>&-
