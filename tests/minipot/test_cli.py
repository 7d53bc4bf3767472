"""minipot's command line: exit codes, output on stdout/stderr, flags in both dash forms."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIPOT = os.environ.get("MINIPOT", str(ROOT / "build" / "dev" / "examples" / "minipot" / "minipot"))
HELLO = ROOT / "examples" / "jobs" / "hello-web.nomad"


def run(*args, env=None):
    return subprocess.run([MINIPOT, *args], capture_output=True, text=True, env=env)


def test_inspect_json_is_the_canonical_api_job():
    r = run("job", "inspect", str(HELLO), "-json")
    assert r.returncode == 0, r.stderr
    job = json.loads(r.stdout)["Job"]
    assert job["ID"] == "nginx-minipot" and job["Region"] == "global"
    group = job["TaskGroups"][0]
    assert group["Networks"][0]["DynamicPorts"][0]["Label"] == "http"
    task = group["Tasks"][0]
    assert task["Config"]["port_map"] == [{"http": "80"}]
    assert task["Services"][0]["Checks"][0]["Interval"] == 5000000000
    assert '"Interval": 5000000000' in r.stdout  # nomad's indented layout


def test_double_dash_flags_are_the_same():
    assert run("job", "inspect", str(HELLO), "--json").stdout == run("job", "inspect", str(HELLO), "-json").stdout


def test_validate_ok_and_typo(tmp_path):
    ok = run("job", "validate", str(HELLO))
    assert ok.returncode == 0 and "Job validation successful" in ok.stdout
    typo = tmp_path / "typo.nomad"
    typo.write_text(HELLO.read_text().replace('interval = "5s"', 'intervl = "5s"'))
    bad = run("job", "validate", str(typo))
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert f"{typo}:25:11: error: Unsupported argument" in bad.stderr
    assert 'Did you mean "interval"?' in bad.stderr
    assert "^~~~~~~" in bad.stderr


def test_semantic_errors_fail_validate(tmp_path):
    f = tmp_path / "j.nomad"
    f.write_text('job "j" {\n  priority = 0\n  group "g" {\n    task "t" {\n      driver = "exec"\n    }\n  }\n}\n')
    r = run("job", "validate", str(f))
    assert r.returncode == 1
    assert f"{f}:2:14: error: Invalid priority" in r.stderr


def test_variables_from_flags_files_and_environment(tmp_path):
    f = tmp_path / "v.nomad"
    f.write_text('variable "dc" {}\njob "j" {\n  datacenters = [var.dc]\n  group "g" {\n'
                 '    task "t" {\n      driver = "exec"\n    }\n  }\n}\n')
    vf = tmp_path / "vars.hcl"
    vf.write_text('dc = "from-file"\n')
    env = dict(os.environ, NOMAD_VAR_dc="from-env")
    dcs = lambda r: json.loads(r.stdout)["Job"]["Datacenters"]
    assert dcs(run("job", "inspect", str(f), "-json", env=env)) == ["from-env"]
    assert dcs(run("job", "inspect", str(f), "-json", "-var-file", str(vf), env=env)) == ["from-file"]
    assert dcs(run("job", "inspect", str(f), "-json", "-var-file", str(vf), "-var", "dc=cli", env=env)) == ["cli"]
    assert dcs(run("job", "inspect", str(f), "-json", "-var=dc=eq", env=env)) == ["eq"]
    unset = run("job", "inspect", str(f))
    assert unset.returncode == 1 and 'Unset variable "dc"' in unset.stderr


def test_hcl2json():
    r = run("hcl2json", str(HELLO))
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert doc["job"]["nginx-minipot"][0]["group"]["group1"][0]["count"] == 1


@pytest.mark.parametrize("args", [["--help"], ["job", "validate", "--help"], ["job", "inspect", "-h"], ["hcl2json", "-help"]])
def test_help_everywhere(args):
    r = run(*args)
    assert r.returncode == 0
    assert "Usage: minipot" in r.stdout


def test_usage_errors():
    assert run().returncode == 1
    r = run("job", "frobnicate")
    assert r.returncode == 1
    r = run("job", "inspect", str(HELLO), "--nope")
    assert r.returncode == 1 and 'unknown flag "--nope"' in r.stderr
    r = run("job", "inspect", "/no/such/file.nomad")
    assert r.returncode == 1 and "No such file" in r.stderr


def test_version_json():
    r = run("version", "-json")
    assert r.returncode == 0 and json.loads(r.stdout)["Version"].count(".") == 2
