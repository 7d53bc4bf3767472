import json
from pathlib import Path

import pytest

import warden

ROOT = Path(__file__).resolve().parents[3]
HELLO = ROOT / "examples" / "jobs" / "hello-web.nomad"


def test_version_matches_the_header():
    assert warden.version().count(".") == 2


def test_parse_hello_web_and_read_the_basics():
    with warden.Job.parse(HELLO.read_text(), filename=str(HELLO)) as job:
        assert job.id == "nginx-minipot"
        assert job.region is None  # not set in the file, not canonicalized yet
        job.canonicalize()
        assert job.region == "global"
        assert job.priority == 50
        assert job.groups == [warden.Group("group1", 1, [warden.Task("www1", "pot")])]
        job.validate()


def test_to_json_is_nomad_shaped():
    job = warden.Job.parse(HELLO.read_text()).canonicalize()
    doc = json.loads(job.to_json(envelope=True))
    task = doc["Job"]["TaskGroups"][0]["Tasks"][0]
    assert doc["Job"]["TaskGroups"][0]["Networks"][0]["DynamicPorts"][0]["Label"] == "http"
    assert task["Config"]["port_map"] == [{"http": "80"}]
    assert task["Config"]["args"] == ["-g", "'daemon off;'"]
    assert task["Services"][0]["Checks"][0]["Interval"] == 5_000_000_000
    assert task["Resources"]["CPU"] == 200 and task["Resources"]["MemoryMB"] == 64


def test_json_round_trip_is_byte_identical():
    job = warden.Job.parse(HELLO.read_text()).canonicalize()
    text = job.to_json()
    again = warden.Job.from_json(text)
    assert again.to_json() == text
    assert warden.Job.from_json(json.loads(job.to_json(envelope=True))).to_json() == text
    assert job.to_dict()["ID"] == "nginx-minipot"


def test_typo_reports_line_column_and_suggestion():
    text = HELLO.read_text().replace('interval = "5s"', 'intervl = "5s"')
    with pytest.raises(warden.JobError) as e:
        warden.Job.parse(text, filename="typo.nomad")
    err = e.value
    assert err.code == 4
    assert err.file == "typo.nomad"
    assert (err.line, err.column) == (25, 11)
    assert 'Did you mean "interval"?' in err.diagnostics[0].detail
    assert "^~~~~~~" in err.diagnostics[0].excerpt


def test_syntax_error_is_a_job_error_with_position():
    with pytest.raises(warden.JobError) as e:
        warden.Job.parse('job "x" {\n  a = \n}\n', filename="bad.nomad")
    assert e.value.code == 3
    assert e.value.line == 2


def test_several_errors_are_reported_at_once():
    text = 'job "x" {\n  bogus = 1\n  group "g" {\n    nope = 2\n  }\n}\n'
    with pytest.raises(warden.JobError) as e:
        warden.Job.parse(text)
    assert [d.line for d in e.value.diagnostics] == [2, 4]


def test_variables_precedence():
    text = '''
variable "dc" {
  default = "dc1"
}
job "j" {
  datacenters = [var.dc]
  group "g" {
    task "t" {
      driver = "exec"
    }
  }
}
'''
    assert warden.Job.parse(text).to_dict()["Datacenters"] == ["dc1"]
    assert warden.Job.parse(text, env={"NOMAD_VAR_dc": "env"}).to_dict()["Datacenters"] == ["env"]
    assert warden.Job.parse(text, env={"NOMAD_VAR_dc": "env"}, variables={"dc": "cli"}).to_dict()["Datacenters"] == ["cli"]


def test_validation_errors():
    text = '''
job "j" {
  priority = 500
  group "g" {
    task "t" {
      driver = "pot"
      config {
        args = ["x"]
      }
    }
  }
}
'''
    job = warden.Job.parse(text, filename="v.nomad").canonicalize()
    with pytest.raises(warden.JobError) as e:
        job.validate()
    summaries = [d.summary for d in e.value.diagnostics]
    assert "Invalid priority" in summaries
    assert "Invalid pot driver config" in summaries
    assert e.value.diagnostics[0].line == 3


def test_hcl_to_json():
    doc = json.loads(warden.hcl_to_json('a = 1\nb = "x ${y}"\nblk "l" {\n  c = upper("q")\n  d = foo.bar\n}\n'))
    assert doc == {"a": 1, "b": "x ${y}", "blk": {"l": [{"c": "Q", "d": "${foo.bar}"}]}}


def test_closed_job_raises():
    job = warden.Job.parse(HELLO.read_text())
    job.close()
    job.close()  # closing twice is fine
    with pytest.raises(ValueError):
        job.to_json()


def test_bad_json():
    with pytest.raises(warden.JobError):
        warden.Job.from_json("{not json")
