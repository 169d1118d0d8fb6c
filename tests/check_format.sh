#!/usr/bin/env bash
# Enforces .clang-format on every tracked C++ file: prints the files that clang-format would
# change (run `clang-format -i FILE` to fix them) and fails if there is any.
set -u
src=$1
cd "$src" || exit 2
if ! command -v clang-format >/dev/null 2>&1; then
  echo "clang-format is not installed (packaging/install-deps.sh installs it)"; exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
  mapfile -t files < <(find app models services ui tests -name '*.cpp' -o -name '*.h')
fi
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "FAIL: ${#bad[@]} file(s) do not follow .clang-format (fix with clang-format -i):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "ok: ${#files[@]} files follow .clang-format"
