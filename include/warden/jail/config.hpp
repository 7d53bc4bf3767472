// The pot driver's task configuration: what a task with `driver = "pot"` says in its `config`
// block, decoded from the job model's HCL value (nomad-pot-driver's schema), and the names and
// command lines derived from it that both backends share.
//
//   config {
//     image = "https://potluck.honeyguide.net/nginx-nomad"   # required
//     pot   = "nginx-nomad-amd64-13_1"                        # required
//     tag   = "1.1.13"                                        # required
//     command = "nginx"
//     args    = ["-g", "'daemon off;'"]                       # needs command
//     port_map = { http = "80" }                              # label -> port in the jail
//     network_mode = "public-bridge"                          # host, inherit, public-bridge, ...
//     mount = ["/src:/dst"]  mount_read_only = [...]  copy = ["/file:/dst/file"]
//     extra_hosts = ["name:10.0.0.1"]  attributes = ["devfs_ruleset:4"]
//   }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/job/hcl/value.hpp"

namespace warden::jail {

// One `port_map` entry: the allocation's port `label` is forwarded to `jail_port` in the jail.
struct PortMapping {
  std::string label;
  uint16_t jail_port = 0;
  friend bool operator==(const PortMapping&, const PortMapping&) = default;
};

// A "source:destination" pair of `mount`, `mount_read_only` or `copy`.
struct PathPair {
  std::string source;       // on the host
  std::string destination;  // in the jail
  friend bool operator==(const PathPair&, const PathPair&) = default;
};

// A "key:value" entry of `attributes` (a pot jail attribute, `pot set-attribute -A key -V value`).
struct Attribute {
  std::string key;
  std::string value;
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

struct PotConfig {
  std::string image;
  std::string pot;
  std::string tag;
  std::string command;
  std::vector<std::string> args;
  std::vector<PortMapping> port_map;  // sorted by label (nomad-pot-driver walks a Go map)
  std::string network_mode;           // "" lets the driver choose (see effective_network_mode)
  std::vector<PathPair> mount;
  std::vector<PathPair> mount_read_only;
  std::vector<PathPair> copy;
  std::vector<std::string> extra_hosts;  // "hostname:IP"
  std::vector<Attribute> attributes;

  friend bool operator==(const PotConfig&, const PotConfig&) = default;
};

// Decodes a task's `config` value (the HCL1-shaped object of the job model: port_map as a list of
// maps, numbers allowed where strings are expected). Unknown keys, missing image/pot/tag, args
// without command and malformed entries are errors with code invalid_job, one diagnostic each.
Result<PotConfig> decode_config(const hcl::Value& config);

// The same from a JSON object ({"image": "...", "port_map": {"http": "80"}, ...}), for callers
// that have no job: the C API, minipot's `jail run`.
Result<PotConfig> decode_config_json(std::string_view json);

// The network mode pot uses: network_mode when set (with "host" meaning pot's "inherit"),
// "public-bridge" when port_map is set, otherwise "inherit" (the host's network).
std::string effective_network_mode(const PotConfig& config);

// `command` and `args` joined with spaces, as pot stores it: the image's /bin/sh later runs
// `exec <this>`, so shell quoting inside args is honoured ("'daemon off;'" is one argument).
std::string command_line(const PotConfig& config);

// The jail's name, as `pot prepare -n <task> -a <invocation>_<alloc>` names it:
// "<task>_<invocation>_<alloc>", with '.' (and anything unsafe in a file or cgroup name)
// replaced by '_'.
std::string jail_name(std::string_view task, std::string_view invocation,
                      std::string_view alloc_id);

}  // namespace warden::jail
