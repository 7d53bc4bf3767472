#!/usr/bin/env bash
# Installs what is missing (Debian packages), builds, and runs every test: the GoogleTest
# suites, the C API tests, the consumer test of the installed package, the fuzz corpus replay
# and the Python (pytest) suite, all through ctest — first in the dev preset (Debug), then
# again under ASan+UBSan (the asan preset, no recovery).
#
#   scripts/test.sh             dev, then asan
#   scripts/test.sh dev         one preset only
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
((${#presets[@]})) || presets=(dev asan)

./scripts/install-deps.sh
for preset in "${presets[@]}"; do
  echo "== preset $preset"
  cmake --preset "$preset"
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done
