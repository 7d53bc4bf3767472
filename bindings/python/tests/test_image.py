"""warden.ImageStore, export_image and RegistryServer, over loopback against the fresh library."""

import os
import threading
from pathlib import Path

import pytest

import warden
from warden import errors


def make_root(root: Path, marker: str = "hello") -> None:
    (root / "etc").mkdir(parents=True)
    (root / "bin").mkdir()
    (root / "etc" / "motd").write_text(marker + "\n")
    (root / "bin" / "tool").write_text("#!/bin/sh\necho tool\n")
    os.chmod(root / "bin" / "tool", 0o755)
    os.symlink("motd", root / "etc" / "motd.link")


@pytest.fixture
def registry(tmp_path):
    make_root(tmp_path / "root")
    out = warden.export_image(tmp_path / "root", "web", "1.0", tmp_path / "reg", level=1)
    assert out["Archive"] == str(tmp_path / "reg" / "web_1.0.xz")
    assert Path(out["Meta"]).read_text() == "-\n"
    requests = []
    with warden.RegistryServer(tmp_path / "reg", on_request=lambda *r: requests.append(r)) as server:
        yield tmp_path, server, requests


def test_fetch_with_progress_then_lookup_list_remove(registry):
    tmp, server, requests = registry
    calls, steps = [], []
    with warden.ImageStore(tmp / "store") as store:
        img = store.fetch(server.url, "web", "1.0", progress=lambda done, total: calls.append((done, total)),
                          on_step=lambda image, step: steps.append((image, step)))
        assert img.name == "web_1_0"
        assert img.algorithm == "skein1024" and len(img.digest) == 256
        assert img.parent is None and img.meta == "-"
        assert (Path(img.rootfs) / "etc" / "motd").read_text() == "hello\n"
        assert os.readlink(Path(img.rootfs) / "etc" / "motd.link") == "motd"
        assert img.layers == (img.rootfs,)
        size = os.path.getsize(tmp / "reg" / "web_1.0.xz")
        assert calls and calls[-1] == (size, size)
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)
        assert steps[0] == ("web_1_0", "resolve") and steps[-1] == ("web_1_0", "done")
        assert [r[2] for r in requests if r[2].endswith(".xz")] == ["/web_1.0.xz"]
        assert all(r[3] == 200 for r in requests)

        assert store.lookup("web_1_0") == img
        assert [i.name for i in store.list()] == ["web_1_0"]
        again = store.fetch(server.url, "web", "1.0", on_step=lambda image, step: steps.append(step))
        assert again.rootfs == img.rootfs and steps[-1] == "cached"
        store.remove("web_1_0")
        assert store.list() == []
        with pytest.raises(warden.WardenError) as e:
            store.lookup("web_1_0")
        assert e.value.code == errors.NOT_FOUND


def test_tampered_payload_is_a_hash_error_and_nothing_is_cached(registry):
    tmp, server, _ = registry
    xz = tmp / "reg" / "web_1.0.xz"
    data = bytearray(xz.read_bytes())
    data[len(data) // 2] ^= 1
    xz.write_bytes(bytes(data))
    store = warden.ImageStore(tmp / "store")
    with pytest.raises(warden.WardenError) as e:
        store.fetch(server.url, "web", "1.0")
    assert "hash mismatch for " + server.url + "/web_1.0.xz" in e.value.message
    assert e.value.code == errors.VERIFY
    assert store.list() == []
    assert os.listdir(tmp / "store" / "objects") == [] and os.listdir(tmp / "store" / "staging") == []
    store.close()


def test_an_exception_in_the_callback_cancels_the_fetch(registry):
    tmp, server, _ = registry

    class Stop(Exception):
        pass

    def progress(done, total):
        raise Stop()

    with warden.ImageStore(tmp / "store") as store:
        with pytest.raises(Stop):
            store.fetch(server.url, "web", "1.0", progress=progress)
        assert store.list() == []
        assert store.fetch(server.url, "web", "1.0").name == "web_1_0"


def test_layered_images_and_signatures(tmp_path):
    if not any(os.access(os.path.join(d, "signify-openbsd"), os.X_OK) for d in os.environ["PATH"].split(":")):
        pytest.skip("signify-openbsd missing")
    import subprocess
    subprocess.run(["signify-openbsd", "-G", "-n", "-p", str(tmp_path / "k.pub"), "-s", str(tmp_path / "k.sec")],
                   check=True)
    make_root(tmp_path / "base")
    make_root(tmp_path / "app", marker="app")
    warden.export_image(tmp_path / "base", "base", "13.2", tmp_path / "reg", level=0, sign_key=str(tmp_path / "k.sec"))
    out = warden.export_image(tmp_path / "app", "app", "1", tmp_path / "reg", level=0, base="base:13.2@1700000000",
                              sign_key=str(tmp_path / "k.sec"))
    assert out["Signature"].endswith("app_1.xz.skein.sig")
    with warden.RegistryServer(tmp_path / "reg") as server, warden.ImageStore(tmp_path / "store") as store:
        img = store.fetch(server.url, "app", "1", public_key=str(tmp_path / "k.pub"))
        assert img.signature_verified
        assert img.parent == "base_13_2"
        base = store.lookup("base_13_2")
        assert img.layers == (img.rootfs, base.rootfs)
        assert (Path(img.rootfs) / "etc" / "motd").read_text() == "app\n"
        with pytest.raises(warden.WardenError) as e:
            store.remove("base_13_2")
        assert "is the base of" in e.value.message


def test_cancel_from_another_thread(tmp_path):
    make_root(tmp_path / "root")
    (tmp_path / "root" / "big").write_bytes(os.urandom(2 << 20))
    warden.export_image(tmp_path / "root", "big", "1", tmp_path / "reg", level=0)
    with warden.RegistryServer(tmp_path / "reg", rate_limit=1 << 20) as server, \
            warden.ImageStore(tmp_path / "store") as store:
        timer = threading.Timer(0.3, store.cancel)
        timer.start()
        with pytest.raises(warden.WardenError) as e:
            store.fetch(server.url, "big", "1")
        timer.join()
        assert "cancelled" in e.value.message
        assert store.list() == []


def test_errors_from_bad_arguments(tmp_path):
    with warden.ImageStore(tmp_path / "store") as store:
        with pytest.raises(warden.WardenError) as e:
            store.fetch("ftp://example.org", "x", "1")
        assert e.value.code == errors.INVALID_ARGUMENT
        with pytest.raises(warden.WardenError):
            store.fetch("file://" + str(tmp_path / "none"), "x", "1")
    with pytest.raises(warden.WardenError):
        warden.export_image(tmp_path / "missing", "x", "1", tmp_path / "out")
