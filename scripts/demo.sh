#!/usr/bin/env bash
# Installs what is missing, builds minipot, and runs the main job: the nginx-minipot job of the
# pot + nomad walkthrough, read, defaulted and validated as nomad would, shown as nomad's API
# sees it, and planned by the scheduler onto the example cluster (examples/sched/nodes.json).
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
echo
echo "== minipot sched simulate --nodes examples/sched/nodes.json $job"
"$minipot" sched simulate --nodes examples/sched/nodes.json "$job"
