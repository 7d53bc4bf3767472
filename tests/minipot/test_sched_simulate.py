"""minipot sched simulate: placements on a described cluster, and the reasons for what does not fit."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MINIPOT = os.environ.get("MINIPOT", str(ROOT / "build" / "dev" / "examples" / "minipot" / "minipot"))
HELLO = ROOT / "examples" / "jobs" / "hello-web.nomad"
NODES = ROOT / "examples" / "sched" / "nodes.json"


def run(*args):
    return subprocess.run([MINIPOT, *args], capture_output=True, text=True)


def test_places_hello_web_on_a_freebsd_node():
    r = run("sched", "simulate", "--nodes", str(NODES), str(HELLO))
    assert r.returncode == 0, r.stderr
    assert "nginx-minipot.group1[0]" in r.stdout
    assert "on freebsd-" in r.stdout
    assert "http=" in r.stdout


def test_explains_what_does_not_fit(tmp_path):
    big = tmp_path / "big.nomad"
    text = HELLO.read_text().replace("count = 1", "count = 40").replace("memory = 64", "memory = 3000")
    big.write_text(text)
    r = run("sched", "simulate", "-nodes", str(NODES), str(big))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "could not be placed" in r.stdout
    # linux nodes lack the pot driver; the freebsd ones run out of memory.
    assert 'Constraint "missing drivers" filtered 2 nodes' in r.stdout
    assert 'dimension "memory"' in r.stdout


def test_json_output_and_both_modes():
    for mode in ("exact", "nomad"):
        r = run("sched", "simulate", "-nodes", str(NODES), "-mode", mode, "-json", str(HELLO), str(HELLO))
        assert r.returncode == 0, r.stderr
        plans = json.loads(r.stdout)
        assert len(plans) == 2
        assert len(plans[0]["Placements"]) == 1
        assert plans[1]["Placements"] == []  # the same job again: nothing to do


def test_usage_errors():
    assert run("sched", "simulate", str(HELLO)).returncode == 1
    bad = run("sched", "simulate", "-nodes", str(NODES), "-mode", "random", str(HELLO))
    assert bad.returncode == 1 and "exact or nomad" in bad.stderr
    missing = run("sched", "simulate", "-nodes", "/nonexistent.json", str(HELLO))
    assert missing.returncode == 1 and "/nonexistent.json" in missing.stderr
