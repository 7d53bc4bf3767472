#!/usr/bin/env bash
# Installs what is missing, builds minipot, and runs the main job: the nginx-minipot job of the
# pot + nomad walkthrough, read, defaulted and validated as nomad would, then shown as nomad's
# API sees it.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target minipot

minipot=build/dev/examples/minipot/minipot
job=examples/jobs/hello-web.nomad
echo "== minipot job validate $job"
"$minipot" job validate "$job"
echo
echo "== minipot job inspect $job"
"$minipot" job inspect "$job"
echo
echo "== minipot job inspect $job -json"
"$minipot" job inspect "$job" -json
