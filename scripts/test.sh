#!/usr/bin/env bash
# Installs what is missing (Debian packages), builds, and runs every test: the GoogleTest
# suites, the C API tests, the consumer test of the installed package, the fuzz corpus replay
# and the Python (pytest) suite, all through ctest.
#
#   scripts/test.sh           the dev preset (Debug)
#   scripts/test.sh asan      the same under ASan+UBSan (no recovery)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}

./scripts/install-deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
