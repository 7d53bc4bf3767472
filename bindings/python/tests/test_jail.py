"""warden.JailDriver and warden.Jail: real jails (linux backend, as root, from a busybox-static
root) and the pot backend against fake_pot, the tests' stand-in for FreeBSD's pot."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import warden

ROOT = Path(__file__).resolve().parents[3]
HELLO = ROOT / "examples" / "jobs" / "hello-web.nomad"
BUSYBOX = Path("/bin/busybox")
ALLOC = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"

needs_root = pytest.mark.skipif(os.geteuid() != 0 or not BUSYBOX.exists(),
                                reason="real jails need root and busybox-static")


def busybox_root(path: Path) -> Path:
    for d in ("bin", "etc", "proc", "dev", "tmp", "www", "usr/local/sbin"):
        (path / d).mkdir(parents=True, exist_ok=True)
    shutil.copy(BUSYBOX, path / "bin" / "busybox")
    for applet in subprocess.run([str(BUSYBOX), "--list"], capture_output=True, text=True).stdout.split():
        if applet != "busybox":
            (path / "bin" / applet).symlink_to("busybox")
    (path / "www" / "index.html").write_text("hello from python\n")
    return path


def free_pool() -> str:
    taken = Path("/proc/net/route").read_text() + Path("/etc/resolv.conf").read_text() + \
        subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True).stdout
    for i in range(16384):
        n = (os.getpid() * 31 + i * 7919) % 16384
        prefix = f"10.{192 + (n >> 8)}.{n & 255}."
        if prefix not in taken and f"{n & 255:02X}{192 + (n >> 8):02X}0A" not in taken:
            return prefix + "0/24"
    return "10.251.251.0/24"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scratch():
    d = Path(tempfile.mkdtemp(prefix="warden-pytest-jail-"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def rootfs(scratch):
    return busybox_root(scratch / "rootfs")


@pytest.fixture
def driver(scratch, request):
    pid = os.getpid()
    d = warden.JailDriver(data_dir=str(scratch / f"data-{request.node.name}"), backend="linux",
                          cgroup_parent=f"warden-test-{pid}", bridge=f"wt{pid}", nft_table=f"warden_t{pid}",
                          address_pool=free_pool(), ip_forward=False, dns_servers=["127.0.0.1"])
    yield d
    for info in d.list():
        with d.open(info["Name"]) as j:
            j.destroy(force=True)
    d.teardown()
    d.close()


def config(command, args=(), **more):
    return dict(image="https://potluck.honeyguide.net/busybox", pot="busybox", tag="1.0",
                command=command, args=list(args), **more)


@needs_root
def test_fingerprint(driver):
    fp = driver.fingerprint()
    assert fp["Healthy"], fp["Description"]
    assert fp["Attributes"]["driver.pot"] == "true"
    assert fp["Attributes"]["driver.pot.backend"] == "linux"


@needs_root
def test_run_exec_logs_and_context_manager(driver, rootfs):
    with driver.create(alloc_id=ALLOC, task_name="py", rootfs=str(rootfs), memory=32,
                       env={"WHO": "python"},
                       config=config("sh", ["-c", "'echo hello $WHO; sleep 30'"])) as jail:
        name = jail.name
        assert name.startswith("py_") and name.endswith(ALLOC)
        assert jail.status == "created"
        jail.start()
        assert jail.status == "running"
        r = jail.exec(["hostname"])
        assert (r.exit_code, r.stdout) == (0, name + "\n")
        r = jail.exec(["sh", "-c", "cat; exit 3"], input="piped")
        assert (r.exit_code, r.stdout) == (3, "piped")
        assert b"".join(jail.logs(follow=True, timeout=2)).startswith(b"hello python\n")
        assert jail.stats().memory_usage > 0
        assert jail.wait(timeout=0.05) is None
        jail.stop("SIGTERM", timeout=5)
        e = jail.wait()
        assert e.signal == 15 and not e.successful
        assert jail.info()["Exit"]["Signal"] == 15
    # Destroyed on leaving the with block.
    assert driver.list() == []
    with pytest.raises(warden.WardenError) as err:
        driver.open(name)
    assert err.value.code == 6  # WARDEN_ERROR_NOT_FOUND


@needs_root
def test_seed_job_task_with_port_map(driver, scratch):
    image = busybox_root(scratch / "nginx-like")
    nginx = image / "usr" / "local" / "sbin" / "nginx"
    nginx.write_text("#!/bin/sh\necho \"nginx-like $1 [$2]\"\nexec httpd -f -p 80 -h /www\n")
    nginx.chmod(0o755)
    job = warden.Job.parse(HELLO.read_text(), filename=str(HELLO)).canonicalize()
    port = free_port()
    with driver.create(alloc_id=ALLOC, job=job, group=0, task=0, rootfs=str(image),
                       host_ports={"http": port}) as jail:
        jail.start()
        deadline = time.time() + 20
        body = ""
        while time.time() < deadline:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.05)
        assert body == "hello from python\n"
        assert jail.info()["Ports"] == {"http": f"{port}:80"}
        assert b"".join(jail.logs()) == b"nginx-like -g [daemon off;]\n"


@needs_root
def test_errors(driver, rootfs):
    with pytest.raises(warden.JobError) as err:
        driver.create(alloc_id=ALLOC, task_name="t", rootfs=str(rootfs), config={"pot": "p", "tag": "t"})
    assert "config.image" in str(err.value)
    with pytest.raises(warden.WardenError) as err:
        driver.create(alloc_id=ALLOC, task_name="t", rootfs=str(rootfs),
                      config=config("true", network_mode="alias"))
    assert err.value.code == 7  # WARDEN_ERROR_UNSUPPORTED


def fake_pot():
    lib = os.environ.get("WARDEN_LIBRARY")
    if not lib:
        return None
    p = Path(lib).resolve().parents[1] / "tests" / "jail" / "fake_pot"
    return p if p.exists() else None


@pytest.mark.skipif(fake_pot() is None, reason="fake_pot (the tests' stand-in for pot) is not built")
def test_pot_backend_runs_pot_as_nomad_pot_driver(tmp_path, monkeypatch):
    log = tmp_path / "pot.log"
    monkeypatch.setenv("FAKE_POT_LOG", str(log))
    monkeypatch.setenv("FAKE_POT_DIR", str(tmp_path / "pots"))
    d = warden.JailDriver(data_dir=str(tmp_path / "data"), backend="pot", pot_binary=str(fake_pot()))
    assert d.fingerprint()["Version"] == "0.16.0"
    with d.create(alloc_id=ALLOC, task_name="web", invocation="a1b2c3d4", memory=64,
                  config=config("sh", ["-c", "'echo from pot; exit 2'"])) as jail:
        jail.start()
        assert jail.wait(timeout=20).exit_code == 2  # pot start said 125: last-run-stats has 2
        assert b"".join(jail.logs()) == b"from pot\n"
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    name = f"web_a1b2c3d4_{ALLOC}"
    assert calls[0] == ["version"]
    assert calls[1] == ["prepare", "-U", "https://potluck.honeyguide.net/busybox", "-p", "busybox", "-t", "1.0",
                        "-c", "\"sh -c 'echo from pot; exit 2'\"", "-a", f"a1b2c3d4_{ALLOC}", "-n", "web", "-v"]
    assert calls[2] == ["set-rss", "-M", "64M", "-p", name]
    assert calls[3:] == [["start", name], ["last-run-stats", "-p", name], ["destroy", "-p", name, "-F"]]
    d.close()
