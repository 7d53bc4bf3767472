"""minipot image export/fetch/ls/inspect/rm and registry serve, end to end.

The acceptance scenario of the image layer: a busybox root exported by `minipot image export`,
served by `minipot registry serve`, fetched, verified and unpacked by `minipot image fetch` with
a progress bar (on a pseudo-terminal); one byte of the .xz tampered with makes the fetch fail with
the hash error and leaves the cache as it was.
"""

import json
import os
import pty
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIPOT = os.environ.get("MINIPOT", str(ROOT / "build" / "dev" / "examples" / "minipot" / "minipot"))
BUSYBOX = shutil.which("busybox") or "/bin/busybox"


def run(*args, data_dir=None, check=True):
    cmd = [MINIPOT, *args] + (["--data-dir", str(data_dir)] if data_dir else [])
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if check:
        assert r.returncode == 0, f"{cmd}: {r.stderr}"
    return r


def run_on_tty(*args):
    """Runs minipot with its stderr (and stdout) on a pseudo-terminal; returns (status, output)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(MINIPOT, [MINIPOT, *args])
    out = b""
    while True:
        r, _, _ = select.select([fd], [], [], 60)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def cache_state(data_dir):
    images = Path(data_dir) / "images"
    out = []
    for sub in ("names", "objects", "staging", "trash"):
        base = images / sub
        if base.exists():
            out += sorted(str(p.relative_to(images)) for p in base.rglob("*"))
    return out


@pytest.fixture
def busybox_root(tmp_path):
    if not os.path.exists(BUSYBOX):
        pytest.skip("busybox missing")
    root = tmp_path / "rootfs"
    for d in ("bin", "etc", "tmp", "var/log"):
        (root / d).mkdir(parents=True)
    shutil.copy(BUSYBOX, root / "bin" / "busybox")
    for applet in ("sh", "ls", "cat", "echo", "httpd"):
        os.symlink("busybox", root / "bin" / applet)
    (root / "etc" / "motd").write_text("busybox jail\n")
    os.chmod(root / "tmp", 0o1777)
    return root


@pytest.fixture
def registry(tmp_path, busybox_root):
    reg = tmp_path / "reg"
    r = run("image", "export", str(busybox_root), "--pot", "busybox", "--tag", "1.35", "--out", str(reg), "-json")
    out = json.loads(r.stdout)
    assert out["Archive"] == str(reg / "busybox_1.35.xz")
    assert (reg / "busybox_1.35.xz.meta").read_text() == "-\n"
    assert len((reg / "busybox_1.35.xz.skein").read_text().strip()) == 256
    proc = subprocess.Popen([MINIPOT, "registry", "serve", str(reg), "--listen", "127.0.0.1:0", "-json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = json.loads(proc.stdout.readline())
    assert first["URL"].startswith("http://127.0.0.1:")
    yield reg, first["URL"], proc
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)


def test_acceptance_export_serve_fetch_with_progress_bar_and_tamper(tmp_path, registry, busybox_root):
    reg, url, server = registry
    data = tmp_path / "data"
    status, out = run_on_tty("image", "fetch", url, "busybox", "1.35", "--data-dir", str(data))
    assert status == 0, out
    assert "busybox_1_35 [" in out and "] 100%" in out, out  # the bar
    assert "/s" in out  # the rate
    assert "\r" in out
    assert "Image busybox_1_35" in out

    info = json.loads(run("image", "inspect", "busybox_1_35", "-json", data_dir=data).stdout)
    rootfs = Path(info["Rootfs"])
    assert (rootfs / "etc" / "motd").read_text() == "busybox jail\n"
    assert os.readlink(rootfs / "bin" / "sh") == "busybox"
    assert (rootfs / "bin" / "busybox").read_bytes() == (busybox_root / "bin" / "busybox").read_bytes()
    assert os.stat(rootfs / "tmp").st_mode & 0o7777 == 0o1777
    # The unpacked busybox runs.
    r = subprocess.run([str(rootfs / "bin" / "busybox"), "echo", "alive"], capture_output=True, text=True)
    assert r.stdout == "alive\n"

    # The server's request log has one line per request, as JSON with -json.
    line = json.loads(server.stdout.readline())
    assert line["Method"] == "GET" and line["Status"] == 200

    # A new version of the image, with one byte of its .xz tampered with: the hash error, and
    # the cache (holding 1.35) exactly as it was.
    (busybox_root / "etc" / "motd").write_text("busybox jail, v1.36\n")
    run("image", "export", str(busybox_root), "--pot", "busybox", "--tag", "1.36", "--out", str(reg))
    before = cache_state(data)
    assert before
    xz = reg / "busybox_1.36.xz"
    blob = bytearray(xz.read_bytes())
    blob[len(blob) // 3] ^= 0x20
    xz.write_bytes(bytes(blob))
    r = run("image", "fetch", url, "busybox", "1.36", data_dir=data, check=False)
    assert r.returncode == 1
    assert "hash mismatch for " + url + "/busybox_1.36.xz" in r.stderr
    assert "expected skein1024 " in r.stderr and ", got " in r.stderr
    assert "busybox_1_36: hash mismatch, retrying once" in r.stderr  # one line per step, not a tty
    assert cache_state(data) == before
    assert (rootfs / "etc" / "motd").read_text() == "busybox jail\n"
    # The same on a terminal.
    status, out = run_on_tty("image", "fetch", url, "busybox", "1.36", "--data-dir", str(data))
    assert status == 1 and "hash mismatch" in out
    assert cache_state(data) == before
    # A fresh data dir stays empty too.
    fresh = tmp_path / "fresh"
    r = run("image", "fetch", url, "busybox", "1.36", data_dir=fresh, check=False)
    assert r.returncode == 1 and "hash mismatch" in r.stderr
    assert cache_state(fresh) == []


def test_steps_without_a_terminal_and_json(tmp_path, registry):
    _, url, _ = registry
    data = tmp_path / "data"
    r = run("image", "fetch", url, "busybox", "1.35", "-json", data_dir=data)
    img = json.loads(r.stdout)
    assert img["Name"] == "busybox_1_35" and img["Parent"] is None
    lines = r.stderr.splitlines()
    assert lines[0] == "busybox_1_35: resolving"
    assert lines[1].startswith("busybox_1_35: downloading (")
    assert lines[-1] == "busybox_1_35: done"
    again = run("image", "fetch", url, "busybox", "1.35", "--quiet", data_dir=data)
    assert again.stderr == ""

    listing = json.loads(run("image", "ls", "-json", data_dir=data).stdout)
    assert [i["Name"] for i in listing] == ["busybox_1_35"]
    table = run("image", "ls", data_dir=data).stdout
    assert table.splitlines()[0].split()[:2] == ["NAME", "SIZE"] and "busybox_1_35" in table
    assert json.loads(run("image", "rm", "busybox_1_35", "-json", data_dir=data).stdout) == {"Removed": ["busybox_1_35"]}
    assert "No images" in run("image", "ls", data_dir=data).stdout
    r = run("image", "rm", "busybox_1_35", data_dir=data, check=False)
    assert r.returncode == 1 and "no image named" in r.stderr


def test_data_dir_from_the_environment(tmp_path, registry):
    _, url, _ = registry
    env = dict(os.environ, WARDEN_DATA_DIR=str(tmp_path / "envdata"))
    r = subprocess.run([MINIPOT, "image", "fetch", url, "busybox", "1.35", "--quiet"], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "envdata" / "images" / "names" / "busybox_1_35.json").exists()


def test_layered_export_and_signed_fetch(tmp_path, busybox_root):
    if not shutil.which("signify-openbsd"):
        pytest.skip("signify-openbsd missing")
    subprocess.run(["signify-openbsd", "-G", "-n", "-p", str(tmp_path / "k.pub"), "-s", str(tmp_path / "k.sec")],
                   check=True)
    reg = tmp_path / "reg"
    run("image", "export", str(busybox_root), "--pot", "base", "--tag", "1", "--out", str(reg), "--level", "0",
        "--sign", str(tmp_path / "k.sec"))
    app = tmp_path / "app"
    (app / "srv").mkdir(parents=True)
    (app / "srv" / "index.html").write_text("<h1>hi</h1>\n")
    r = run("image", "export", str(app), "-pot", "app", "-tag", "2.0", "-out", str(reg), "-from", "base:1@100",
            "-sign", str(tmp_path / "k.sec"))
    assert "app_2.0.xz" in r.stdout
    assert (reg / "app_2.0.xz.meta").read_text() == "base:1@100\n"
    subprocess.run(["signify-openbsd", "-V", "-p", str(tmp_path / "k.pub"), "-m", str(reg / "app_2.0.xz.skein")],
                   check=True, capture_output=True)
    data = tmp_path / "data"
    img = json.loads(run("image", "fetch", "file://" + str(reg), "app", "2.0", "-pubkey", str(tmp_path / "k.pub"),
                         "-json", data_dir=data).stdout)
    assert img["Parent"] == "base_1" and img["SignatureVerified"] is True
    assert len(img["Layers"]) == 2
    r = run("image", "rm", "base_1", data_dir=data, check=False)
    assert r.returncode == 1 and "is the base of" in r.stderr
    # A registry signed by someone else.
    subprocess.run(["signify-openbsd", "-G", "-n", "-p", str(tmp_path / "o.pub"), "-s", str(tmp_path / "o.sec")],
                   check=True)
    r = run("image", "fetch", "file://" + str(reg), "app", "2.0", "--refresh", "--pubkey", str(tmp_path / "o.pub"),
            data_dir=data, check=False)
    assert r.returncode == 1 and "different key" in r.stderr


def test_registry_serve_tls_and_usage_errors(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl missing")
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg" / "x.txt").write_text("x")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem"), "-days", "1", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    proc = subprocess.Popen([MINIPOT, "registry", "serve", str(tmp_path / "reg"), "--listen", "127.0.0.1:0",
                             "--tls-cert", str(tmp_path / "c.pem"), "--tls-key", str(tmp_path / "k.pem")],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "at https://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0]
        r = subprocess.run(["curl", "-s", "--cacert", str(tmp_path / "c.pem"), url + "/x.txt"], capture_output=True,
                           text=True)
        assert r.stdout == "x"
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    r = run("registry", "serve", str(tmp_path / "reg"), "--tls-cert", str(tmp_path / "c.pem"), check=False)
    assert r.returncode == 1 and "go together" in r.stderr
    for cmd in (["image", "fetch"], ["image", "export"], ["image", "ls"], ["image", "rm"], ["image", "inspect"],
                ["registry", "serve"]):
        assert run(*cmd, "--help").stdout.startswith("Usage: minipot " + " ".join(cmd))
        assert run(*cmd, "-help").returncode == 0
    r = run("image", "fetch", "http://x", data_dir=tmp_path, check=False)
    assert r.returncode == 1 and "URL POT TAG" in r.stderr
    r = run("image", "export", str(tmp_path), "--pot", "a", data_dir=tmp_path, check=False)
    assert r.returncode == 1 and "required" in r.stderr
    r = run("image", "export", str(tmp_path), "--pot", "a", "--tag", "1", "--out", str(tmp_path / "o"), "--level", "12",
            check=False)
    assert r.returncode == 1 and "0-9" in r.stderr
