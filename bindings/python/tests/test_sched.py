"""The scheduler from Python: a capacity-planning question scripted through warden.Cluster."""

import pytest

import warden

WEB = """
job "web" {
  datacenters = ["*"]
  group "app" {
    count = %d
    network {
      port "http" {}
    }
    constraint {
      attribute = "${attr.kernel.name}"
      value     = "freebsd"
    }
    task "nginx" {
      driver = "pot"
      config {
        image = "https://potluck.honeyguide.net/nginx-nomad"
        pot   = "nginx-nomad-amd64-13_1"
        tag   = "1.1.13"
      }
      resources {
        cpu    = 1000
        memory = 2048
      }
    }
  }
}
"""


def racked_cluster(racks=4, per_rack=5, mode="exact"):
    cluster = warden.Cluster(mode=mode, seed=7)
    cluster.add_nodes([warden.Node(f"r{r}", cpu=4000, memory_mb=8192, count=per_rack, meta={"rack": f"r{r}"})
                       for r in range(racks)])
    return cluster


def fits_after_losing(cluster_factory, job_text, racks_lost):
    """Would the job still fit if these racks failed? Place it, fail the racks, see what is left."""
    cluster = cluster_factory()
    plan = cluster.register(warden.Job.parse(job_text))
    assert not plan.failures
    cluster.apply(plan)
    for rack in racks_lost:
        for i in range(1, 6):
            cluster.fail_node(f"{rack}-{i}")
    running = cluster.allocations("web")
    return len(running), cluster


def test_capacity_planning_two_racks_fail():
    # 4 racks × 5 nodes × 4 cores: 80 slots of 1 core. 30 instances survive losing two racks
    # (40 slots left); 45 do not.
    placed, _ = fits_after_losing(racked_cluster, WEB % 30, ["r0", "r1"])
    assert placed == 30
    placed, cluster = fits_after_losing(racked_cluster, WEB % 45, ["r0", "r1"])
    assert placed == 40  # only 40 slots left
    plan = cluster.evaluate("web")
    assert plan.blocked
    [failure] = plan.failures
    assert failure.group == "app"
    assert failure.unplaced == 5
    assert failure.dimension_exhausted.get("cpu", 0) + failure.dimension_exhausted.get("memory", 0) == 10
    assert any("Resources exhausted" in line for line in failure.reasons)


def test_placements_have_ports_and_nodes():
    cluster = racked_cluster(racks=1, per_rack=3)
    plan = cluster.register(warden.Job.parse(WEB % 3))
    assert len(plan.placements) == 3
    for p in plan.placements:
        assert p.node.startswith("r0-")
        assert 20000 <= p.ports["http"] <= 32000
        assert p.kind == "create"
    assert sorted(p.index for p in plan.placements) == [0, 1, 2]
    assert cluster.allocations("web") == []  # not applied yet
    cluster.apply(plan)
    assert len(cluster.allocations("web")) == 3


def test_constraint_failure_is_explained():
    cluster = warden.Cluster()
    cluster.add_nodes([warden.Node("linux", cpu=4000, memory_mb=8192, count=2,
                                   attributes={"kernel.name": "linux"})])
    plan = cluster.register(warden.Job.parse(WEB % 1))
    [failure] = plan.failures
    assert failure.nodes_filtered == 2
    assert failure.constraint_filtered == {"${attr.kernel.name} = freebsd": 2}
    assert "filtered 2 nodes" in plan.describe()


def test_bad_node_description_is_an_error():
    cluster = warden.Cluster()
    with pytest.raises(warden.WardenError, match="Resources"):
        cluster.add_nodes([{"Name": "x"}])
    with pytest.raises(ValueError):
        warden.Cluster(mode="random")


def test_scale_and_stop():
    cluster = racked_cluster(racks=1, per_rack=4)
    cluster.apply(cluster.register(warden.Job.parse(WEB % 2)))
    cluster.apply(cluster.scale("web", "app", 4))
    assert len(cluster.allocations("web")) == 4
    stop = cluster.stop("web")
    assert len(stop.stops) == 4
    cluster.apply(stop)
    assert cluster.allocations("web") == []


def test_modes_are_deterministic():
    def names(mode):
        cluster = racked_cluster(mode=mode)
        return [(p.name, p.node, p.ports["http"]) for p in cluster.register(warden.Job.parse(WEB % 10)).placements]
    for mode in ("exact", "nomad"):
        assert names(mode) == names(mode)


def test_binpack_fills_up_spread_spreads_out():
    def nodes_of_two_jobs(algorithm):
        cluster = warden.Cluster(algorithm=algorithm)
        cluster.add_nodes([warden.Node("n", cpu=4000, memory_mb=8192, count=2)])
        used = set()
        for name in ("a", "b"):
            plan = cluster.register(warden.Job.parse((WEB % 1).replace('job "web"', f'job "{name}"')))
            cluster.apply(plan)
            used |= {p.node for p in plan.placements}
        return used
    assert len(nodes_of_two_jobs("binpack")) == 1
    assert len(nodes_of_two_jobs("spread")) == 2
    with pytest.raises(ValueError):
        warden.Cluster(algorithm="random")
