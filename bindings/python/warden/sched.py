"""The scheduler: plan jobs onto a described cluster, nomad's way, and ask why not.

    import warden
    cluster = warden.Cluster()
    cluster.add_nodes([warden.Node("rack1", cpu=8000, memory_mb=16384, count=10, meta={"rack": "r1"})])
    plan = cluster.register(warden.Job.parse(open("hello-web.nomad").read()))
    for p in plan.placements:
        print(p.name, "on", p.node, p.ports)
    for f in plan.failures:
        print(f.group, f.unplaced, f.reasons)
    cluster.apply(plan)

A plan changes nothing until it is applied. The C functions are those of
capi/include/warden_sched.h.
"""

import ctypes
import json
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

from . import _native as n
from ._managed import Managed
from .errors import check_error
from .job import Job

__all__ = ["Cluster", "Failure", "Node", "Placement", "Plan"]

_c = ctypes
_err = _c.c_void_p
_ptr = _c.c_void_p


class _ClusterOptions(_c.Structure):
    _fields_ = [("version", _c.c_uint), ("mode", _c.c_int), ("seed", _c.c_uint64), ("preempt_non_system", _c.c_int),
                ("spread_algorithm", _c.c_int)]


_fn = n._fn
_new = _fn("warden_cluster_new", _err, _c.POINTER(_ptr), _c.POINTER(_ClusterOptions))
_free = _fn("warden_cluster_free", None, _ptr)
_set_now = _fn("warden_cluster_set_now", None, _ptr, _c.c_int64)
_add_nodes = _fn("warden_cluster_add_nodes_json", _err, _ptr, _c.c_char_p, _c.c_size_t)
_remove_node = _fn("warden_cluster_remove_node", _err, _ptr, _c.c_char_p)
_set_status = _fn("warden_cluster_set_node_status", _err, _ptr, _c.c_char_p, _c.c_char_p)
_set_elig = _fn("warden_cluster_set_node_eligibility", _err, _ptr, _c.c_char_p, _c.c_int)
_set_drain = _fn("warden_cluster_set_node_drain", _err, _ptr, _c.c_char_p, _c.c_int)
_eval_node = _fn("warden_cluster_evaluate_node", _err, _ptr, _c.c_char_p, _c.POINTER(_c.c_size_t))
_node_count = _fn("warden_cluster_node_count", _c.c_size_t, _ptr)
_register = _fn("warden_cluster_register", _err, _c.POINTER(_ptr), _ptr, _ptr)
_stop = _fn("warden_cluster_stop_job", _err, _c.POINTER(_ptr), _ptr, _c.c_char_p)
_scale = _fn("warden_cluster_scale", _err, _c.POINTER(_ptr), _ptr, _c.c_char_p, _c.c_char_p, _c.c_int64)
_evaluate = _fn("warden_cluster_evaluate", _err, _c.POINTER(_ptr), _ptr, _c.c_char_p)
_apply = _fn("warden_cluster_apply", _err, _ptr, _ptr)
_set_alloc = _fn("warden_cluster_set_alloc_status", _err, _ptr, _c.c_char_p, _c.c_char_p)
_allocs = _fn("warden_cluster_allocations_json", _err, _c.POINTER(n._Buf), _ptr, _c.c_char_p, _c.c_int)
_plan_free = _fn("warden_plan_free", None, _ptr)
_plan_json = _fn("warden_plan_to_json", _err, _c.POINTER(n._Buf), _ptr, _c.c_uint)
_plan_describe = _fn("warden_plan_describe", _err, _c.POINTER(n._Buf), _ptr)

MODES = {"exact": 0, "nomad": 1}


@dataclass
class Node:
    """A client node. `count` > 1 stands for that many such nodes, named <name>-1 … <name>-N."""

    name: str
    cpu: int
    memory_mb: int
    disk_mb: int = 100_000
    datacenter: str = "dc1"
    node_pool: str = "default"
    node_class: str = ""
    attributes: Dict[str, str] = field(default_factory=lambda: {"kernel.name": "freebsd", "driver.pot": "1"})
    meta: Dict[str, str] = field(default_factory=dict)
    drivers: List[str] = field(default_factory=lambda: ["pot"])
    reserved_cpu: int = 0
    reserved_memory_mb: int = 0
    reserved_ports: List[int] = field(default_factory=list)
    count: int = 1
    id: Optional[str] = None

    def to_dict(self) -> Dict:
        d = {"Name": self.name, "Datacenter": self.datacenter, "NodePool": self.node_pool,
             "NodeClass": self.node_class, "Attributes": self.attributes, "Meta": self.meta,
             "Drivers": self.drivers,
             "Resources": {"CPU": self.cpu, "MemoryMB": self.memory_mb, "DiskMB": self.disk_mb},
             "Reserved": {"CPU": self.reserved_cpu, "MemoryMB": self.reserved_memory_mb},
             "ReservedPorts": self.reserved_ports}
        if self.count != 1:
            d["Count"] = self.count
        d["ID"] = self.id if self.id else (self.name if self.count == 1 else None)
        if d["ID"] is None:
            del d["ID"]
        return d


@dataclass(frozen=True)
class Placement:
    alloc_id: str
    name: str
    node: str
    group: str
    index: int
    kind: str
    reason: str
    score: float
    ports: Dict[str, int]


@dataclass(frozen=True)
class Failure:
    group: str
    unplaced: int
    nodes_evaluated: int
    nodes_filtered: int
    nodes_exhausted: int
    constraint_filtered: Dict[str, int]
    dimension_exhausted: Dict[str, int]
    reasons: List[str]


class Plan(Managed):
    """What an evaluation decided. Nothing changes until Cluster.apply(plan)."""

    def __init__(self, ptr):
        self._set_ptr(ptr)
        self._doc = None

    def _delete(self, ptr):
        _plan_free(ptr)

    def to_dict(self) -> Dict:
        if self._doc is None:
            buf = n._Buf()
            check_error(_plan_json(ctypes.byref(buf), self._borrow(), 0))
            self._doc = json.loads(n.take_buf(buf))
        return self._doc

    def describe(self) -> str:
        buf = n._Buf()
        check_error(_plan_describe(ctypes.byref(buf), self._borrow()))
        return n.take_buf(buf)

    @property
    def placements(self) -> List[Placement]:
        out = []
        for p in self.to_dict()["Placements"]:
            a = p["Allocation"]
            out.append(Placement(a["ID"], a["Name"], a["NodeID"], a["TaskGroup"], a["Index"], p["Kind"], p["Reason"],
                                 p["Score"], {port["Label"]: port["Value"] for port in a["Ports"]}))
        return out

    @property
    def stops(self) -> List[Dict]:
        return self.to_dict()["Stops"]

    @property
    def failures(self) -> List[Failure]:
        return [Failure(f["TaskGroup"], f["Unplaced"], f["NodesEvaluated"], f["NodesFiltered"], f["NodesExhausted"],
                        f["ConstraintFiltered"], f["DimensionExhausted"], f["Explanation"])
                for f in self.to_dict()["Failures"]]

    @property
    def blocked(self) -> bool:
        return self.to_dict()["Blocked"]

    def __repr__(self):
        d = self.to_dict()
        return (f"<warden.Plan {d['JobID']!r} v{d['JobVersion']}: {len(d['Placements'])} placements, "
                f"{len(d['Stops'])} stops, {len(d['Failures'])} failed groups>")


class Cluster(Managed):
    """Nodes, jobs and allocations, and nomad's scheduler over them. mode: "exact" (the best node
    of all) or "nomad" (nomad's sampled choice); the same seed and state give the same plans.
    algorithm: "binpack" (fill nodes up) or "spread" (prefer empty nodes). preempt: let service
    and batch jobs evict allocations at least 10 priority below them (system jobs always may)."""

    def __init__(self, mode: str = "exact", seed: int = 1, algorithm: str = "binpack", preempt: bool = False):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {sorted(MODES)}")
        if algorithm not in ("binpack", "spread"):
            raise ValueError("algorithm must be binpack or spread")
        opts = _ClusterOptions(1, MODES[mode], seed, 1 if preempt else 0, 1 if algorithm == "spread" else 0)
        out = _ptr()
        check_error(_new(ctypes.byref(out), ctypes.byref(opts)))
        self._set_ptr(out.value)

    def _delete(self, ptr):
        _free(ptr)

    def add_nodes(self, nodes: Iterable) -> "Cluster":
        """Adds Node objects or nomad-style node dicts (see warden/sched/json.hpp)."""
        doc = json.dumps([x.to_dict() if isinstance(x, Node) else x for x in nodes]).encode()
        check_error(_add_nodes(self._borrow(), doc, len(doc)))
        return self

    def remove_node(self, node_id: str) -> None:
        check_error(_remove_node(self._borrow(), node_id.encode()))

    def set_node_status(self, node_id: str, status: str) -> None:
        check_error(_set_status(self._borrow(), node_id.encode(), status.encode()))

    def set_node_eligibility(self, node_id: str, eligible: bool) -> None:
        check_error(_set_elig(self._borrow(), node_id.encode(), 1 if eligible else 0))

    def drain_node(self, node_id: str, drain: bool = True) -> None:
        check_error(_set_drain(self._borrow(), node_id.encode(), 1 if drain else 0))

    def evaluate_node(self, node_id: str) -> int:
        """Re-plans and applies what a node's change concerns; returns how many allocations moved."""
        placed = ctypes.c_size_t()
        check_error(_eval_node(self._borrow(), node_id.encode(), ctypes.byref(placed)))
        return placed.value

    def fail_node(self, node_id: str) -> int:
        """Marks the node down and replaces its allocations elsewhere; returns how many moved."""
        self.set_node_status(node_id, "down")
        return self.evaluate_node(node_id)

    @property
    def node_count(self) -> int:
        return _node_count(self._borrow())

    def set_now(self, unix_nanos: int) -> None:
        _set_now(self._borrow(), unix_nanos)

    def _plan(self, fn, *args) -> Plan:
        out = _ptr()
        check_error(fn(ctypes.byref(out), self._borrow(), *args))
        return Plan(out.value)

    def register(self, job: Job) -> Plan:
        return self._plan(_register, job._borrow())

    def stop(self, job_id: str) -> Plan:
        return self._plan(_stop, job_id.encode())

    def scale(self, job_id: str, group: str, count: int) -> Plan:
        return self._plan(_scale, job_id.encode(), group.encode(), count)

    def evaluate(self, job_id: str) -> Plan:
        return self._plan(_evaluate, job_id.encode())

    def apply(self, plan: Plan) -> None:
        check_error(_apply(self._borrow(), plan._borrow()))

    def set_alloc_status(self, alloc_id: str, status: str) -> None:
        check_error(_set_alloc(self._borrow(), alloc_id.encode(), status.encode()))

    def allocations(self, job_id: Optional[str] = None, include_terminal: bool = False) -> List[Dict]:
        buf = n._Buf()
        check_error(_allocs(ctypes.byref(buf), self._borrow(), job_id.encode() if job_id else None,
                            1 if include_terminal else 0))
        return json.loads(n.take_buf(buf))

    def __repr__(self):
        return f"<warden.Cluster {self.node_count} nodes>" if self._ptr else "<warden.Cluster closed>"
