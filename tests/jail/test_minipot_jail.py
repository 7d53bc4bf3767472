"""minipot jail run | ls | exec | logs | stop | rm | inspect | recover | teardown, end to end:
real jails (as root, from a busybox-static root), through the command line."""

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

MINIPOT = os.environ.get("MINIPOT")
BUSYBOX = Path("/bin/busybox")

pytestmark = pytest.mark.skipif(
    not MINIPOT or os.geteuid() != 0 or not BUSYBOX.exists(),
    reason="needs the minipot binary ($MINIPOT), root and busybox-static")


def free_pool() -> str:
    taken = Path("/proc/net/route").read_text() + Path("/etc/resolv.conf").read_text() + \
        subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True).stdout
    for i in range(16384):
        n = (os.getpid() * 13 + i * 7919) % 16384
        prefix = f"10.{192 + (n >> 8)}.{n & 255}."
        if prefix not in taken and f"{n & 255:02X}{192 + (n >> 8):02X}0A" not in taken:
            return prefix + "0/24"
    return "10.252.252.0/24"


@pytest.fixture(scope="module")
def env():
    d = Path(tempfile.mkdtemp(prefix="warden-minipot-jail-"))
    d.chmod(0o755)
    root = d / "rootfs"
    for sub in ("bin", "etc", "proc", "dev", "tmp", "www"):
        (root / sub).mkdir(parents=True)
    shutil.copy(BUSYBOX, root / "bin" / "busybox")
    for applet in subprocess.run([str(BUSYBOX), "--list"], capture_output=True, text=True).stdout.split():
        if applet != "busybox":
            (root / "bin" / applet).symlink_to("busybox")
    (root / "www" / "index.html").write_text("served by minipot\n")
    pid = os.getpid()
    flags = ["--data-dir", str(d / "data"), "-bridge", f"wt{pid}", "-pool", free_pool(),
             "-nft-table", f"warden_t{pid}", "-cgroup-parent", f"warden-test-{pid}"]
    yield {"root": str(root), "flags": flags}
    for j in json.loads(run(flags, "jail", "ls", "-json").stdout or "[]"):
        run(flags, "jail", "rm", "-force", j["Name"])
    r = run(flags, "jail", "teardown")
    shutil.rmtree(d, ignore_errors=True)
    assert r.returncode == 0, r.stderr


def run(flags, *args, **kw):
    cmd = [MINIPOT, *args[:2], *flags, *args[2:]]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


def test_run_passes_argv_and_exit_status(env):
    r = run(env["flags"], "jail", "run", env["root"], "--", "sh", "-c", 'echo "one arg: $0"; exit 3',
            "two words")
    assert r.returncode == 3, r.stderr
    assert r.stdout == "one arg: two words\n"
    r = run(env["flags"], "jail", "run", "-json", env["root"], "--", "false")
    assert json.loads(r.stdout.splitlines()[-1])["ExitCode"] == 1
    # Destroyed once done.
    assert json.loads(run(env["flags"], "jail", "ls", "-json").stdout) == []


def test_detach_ls_exec_logs_stop_rm(env):
    r = run(env["flags"], "jail", "run", "-detach", "-env", "GREETING=hi", env["root"], "--",
            "sh", "-c", 'echo "$GREETING from $(hostname)"; exec sleep 60')
    assert r.returncode == 0, r.stderr
    name = r.stdout.strip()
    ls = run(env["flags"], "jail", "ls")
    assert name in ls.stdout and "running" in ls.stdout
    ex = run(env["flags"], "jail", "exec", "-json", name, "--", "hostname")
    assert json.loads(ex.stdout)["Stdout"] == name + "\n"
    assert run(env["flags"], "jail", "exec", name, "--", "cat", input="piped").stdout == "piped"
    deadline = time.time() + 10
    logs = ""
    while time.time() < deadline and "from" not in logs:
        logs = run(env["flags"], "jail", "logs", name).stdout
    assert logs == f"hi from {name}\n"
    assert json.loads(run(env["flags"], "jail", "inspect", name).stdout)["Status"] == "running"
    assert run(env["flags"], "jail", "stop", "-signal", "SIGTERM", "-timeout", "5", name).returncode == 0
    info = json.loads(run(env["flags"], "jail", "inspect", name).stdout)
    assert info["Status"] == "exited" and info["Exit"]["Signal"] == 15
    assert run(env["flags"], "jail", "rm", name).returncode == 0
    assert name not in run(env["flags"], "jail", "ls").stdout


def test_port_forwarding(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run(env["flags"], "jail", "run", "-detach", "-port", f"{port}:80", env["root"], "--",
            "httpd", "-f", "-p", "80", "-h", "/www")
    assert r.returncode == 0, r.stderr
    name = r.stdout.strip()
    body = ""
    deadline = time.time() + 20
    while time.time() < deadline and not body:
        try:
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
        except OSError:
            time.sleep(0.05)
    assert body == "served by minipot\n"
    info = json.loads(run(env["flags"], "jail", "inspect", name).stdout)
    assert info["NetworkMode"] == "public-bridge" and info["Ports"] == {"port0": f"{port}:80"}
    assert run(env["flags"], "jail", "rm", "-force", name).returncode == 0


def test_errors_and_recover(env):
    r = run(env["flags"], "jail", "run", "/nonexistent-root", "--", "true")
    assert r.returncode == 1 and "not a directory" in r.stderr
    r = run(env["flags"], "jail", "exec", "no-such-jail", "--", "true")
    assert r.returncode == 1 and "no jail named no-such-jail" in r.stderr
    r = run(env["flags"], "jail", "run", "-detach", env["root"], "--", "sh", "-c", "exit 7")
    name = r.stdout.strip()
    time.sleep(0.5)
    report = json.loads(run(env["flags"], "jail", "recover").stdout)
    assert [c["Name"] for c in report["Cleaned"]] == [name]
    assert report["Cleaned"][0]["ExitCode"] == 7
