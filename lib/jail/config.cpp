#include "warden/jail/config.hpp"

#include <algorithm>
#include <array>

#include "warden/core/strings.hpp"
#include "warden/job/hcl/json.hpp"

namespace warden::jail {
namespace {

using hcl::Value;
using Kind = hcl::Type::Kind;

// nomad-pot-driver's task config schema. "ip" is accepted for compatibility (the driver only
// advertises it); warden reports the jail's own address instead.
constexpr std::array<std::string_view, 13> kKeys = {
    "image", "pot",   "tag",  "command",         "args",        "port_map",  "network_mode",
    "ip",    "mount", "copy", "mount_read_only", "extra_hosts", "attributes"};

class Decoder {
 public:
  Diagnostics diags;

  void error(std::string summary, std::string detail) {
    diags.error(std::move(summary), std::move(detail));
  }

  // Strings, numbers and booleans all read as strings, as nomad's HCL1 decoding does.
  std::optional<std::string> scalar(const Value& v, const std::string& where) {
    if (v.is_null()) return std::nullopt;
    switch (v.type().kind()) {
      case Kind::string:
        return v.as_string();
      case Kind::number:
        return v.as_number().to_string();
      case Kind::boolean:
        return std::string(v.as_bool() ? "true" : "false");
      default:
        error("Invalid pot driver config",
              where + " must be a string, not " + v.type().friendly_name() + ".");
        return std::nullopt;
    }
  }

  std::vector<std::string> strings(const Value& v, const std::string& where) {
    std::vector<std::string> out;
    if (v.is_null()) return out;
    if (!v.type().is_list_like()) {
      error("Invalid pot driver config",
            where + " must be a list of strings, not " + v.type().friendly_name() + ".");
      return out;
    }
    size_t i = 0;
    for (const auto& e : v.elements()) {
      if (auto s = scalar(e, where + "[" + std::to_string(i) + "]")) out.push_back(*s);
      ++i;
    }
    return out;
  }

  std::vector<PathPair> pairs(const Value& v, const std::string& key) {
    std::vector<PathPair> out;
    for (const auto& s : strings(v, "config." + key)) {
      // nomad-pot-driver splits at ':' and takes the first two parts.
      auto parts = split(s, ":");
      if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
        error("Invalid pot driver config",
              "config." + key + " entry \"" + s + "\" must have the form \"source:destination\".");
        continue;
      }
      if (parts[1][0] != '/') {
        error("Invalid pot driver config",
              "config." + key + " entry \"" + s + "\": the destination must be an absolute path.");
        continue;
      }
      out.push_back({parts[0], parts[1]});
    }
    return out;
  }
};

}  // namespace

Result<PotConfig> decode_config(const hcl::Value& config) {
  Decoder d;
  PotConfig c;
  if (config.is_null() || !config.type().is_map_like()) {
    d.error("Invalid pot driver config",
            "The pot driver needs a config block with image, pot and tag.");
    return Error(ErrorCode::invalid_job, std::move(d.diags));
  }
  for (const auto& [key, value] : config.entries()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      std::vector<std::string_view> candidates(kKeys.begin(), kKeys.end());
      std::string hint = did_you_mean(key, candidates);
      d.error("Unsupported argument", "An argument named \"" + key +
                                          "\" is not expected in the pot driver's config." +
                                          (hint.empty() ? "" : " Did you mean \"" + hint + "\"?"));
    }
  }
  auto get = [&](const char* key) -> const Value* {
    const Value* v = config.get(key);
    return v && !v->is_null() ? v : nullptr;
  };
  for (auto [key, field] :
       {std::pair{"image", &c.image}, std::pair{"pot", &c.pot}, std::pair{"tag", &c.tag},
        std::pair{"command", &c.command}, std::pair{"network_mode", &c.network_mode}}) {
    if (const Value* v = get(key)) {
      if (auto s = d.scalar(*v, std::string("config.") + key)) *field = *s;
    }
  }
  for (const char* key : {"image", "pot", "tag"}) {
    if (!get(key))
      d.error("Invalid pot driver config",
              std::string("The pot driver needs config.") + key + " (a string).");
  }
  if (const Value* v = get("args")) c.args = d.strings(*v, "config.args");
  if (!c.args.empty() && c.command.empty())
    d.error("Invalid pot driver config",
            "config.args is set without config.command: the pot driver runs \"command args...\".");
  if (const Value* v = get("port_map")) {
    // HCL1 shape: a list of maps ([{"http": "80"}]); API JSON may give a plain map.
    std::vector<const Value*> maps;
    if (v->type().is_list_like()) {
      for (const auto& e : v->elements()) maps.push_back(&e);
    } else {
      maps.push_back(v);
    }
    for (const Value* m : maps) {
      if (!m->type().is_map_like()) {
        d.error("Invalid pot driver config", "config.port_map must map port labels to ports.");
        continue;
      }
      for (const auto& [label, port] : m->entries()) {
        auto s = d.scalar(port, "config.port_map." + label);
        if (!s) continue;
        char* end = nullptr;
        long n = std::strtol(s->c_str(), &end, 10);
        if (s->empty() || *end != '\0' || n < 1 || n > 65535) {
          d.error(
              "Invalid pot driver config",
              "config.port_map." + label + " must be a port number (1-65535), not \"" + *s + "\".");
          continue;
        }
        c.port_map.push_back({label, uint16_t(n)});
      }
    }
    std::sort(c.port_map.begin(), c.port_map.end(),
              [](const PortMapping& a, const PortMapping& b) { return a.label < b.label; });
  }
  if (!c.network_mode.empty()) {
    static const std::array<std::string_view, 6> modes = {
        "host", "inherit", "alias", "public-bridge", "private-bridge", "bridge"};
    if (std::find(modes.begin(), modes.end(), c.network_mode) == modes.end())
      d.error("Invalid pot driver config",
              "config.network_mode \"" + c.network_mode +
                  "\" is not one of host, inherit, alias, public-bridge, private-bridge.");
  }
  if (const Value* v = get("mount")) c.mount = d.pairs(*v, "mount");
  if (const Value* v = get("mount_read_only")) c.mount_read_only = d.pairs(*v, "mount_read_only");
  if (const Value* v = get("copy")) c.copy = d.pairs(*v, "copy");
  if (const Value* v = get("extra_hosts")) {
    for (auto& h : d.strings(*v, "config.extra_hosts")) {
      size_t colon = h.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == h.size()) {
        d.error("Invalid pot driver config",
                "config.extra_hosts entry \"" + h + "\" must have the form \"hostname:IP\".");
        continue;
      }
      c.extra_hosts.push_back(h);
    }
  }
  if (const Value* v = get("attributes")) {
    for (auto& a : d.strings(*v, "config.attributes")) {
      size_t colon = a.find(':');
      if (colon == std::string::npos || colon == 0) {
        d.error("Invalid pot driver config",
                "config.attributes entry \"" + a + "\" must have the form \"key:value\".");
        continue;
      }
      c.attributes.push_back({a.substr(0, colon), a.substr(colon + 1)});
    }
  }
  if (d.diags.has_errors()) return Error(ErrorCode::invalid_job, std::move(d.diags));
  return c;
}

Result<PotConfig> decode_config_json(std::string_view json) {
  std::string err;
  auto value = hcl::value_from_json(json, err);
  if (!value) return Error(ErrorCode::syntax, "pot driver config: " + err);
  return decode_config(*value);
}

std::string effective_network_mode(const PotConfig& config) {
  if (config.network_mode == "host") return "inherit";
  if (config.network_mode == "bridge") return "public-bridge";
  if (!config.network_mode.empty()) return config.network_mode;
  return config.port_map.empty() ? "inherit" : "public-bridge";
}

std::string command_line(const PotConfig& config) {
  std::string out = config.command;
  for (const auto& a : config.args) out += " " + a;
  return out;
}

std::string jail_name(std::string_view task, std::string_view invocation,
                      std::string_view alloc_id) {
  std::string name;
  name.reserve(task.size() + invocation.size() + alloc_id.size() + 2);
  name.append(task).append("_").append(invocation).append("_").append(alloc_id);
  for (char& ch : name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-';
    if (!ok) ch = '_';
  }
  return name;
}

}  // namespace warden::jail
