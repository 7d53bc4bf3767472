#include "warden/sched/node.hpp"

#include <openssl/evp.h>

#include <cstdio>

#include "warden/sched/allocation.hpp"

namespace warden::sched {

const char* node_status_name(NodeStatus s) {
  switch (s) {
    case NodeStatus::ready:
      return "ready";
    case NodeStatus::down:
      return "down";
    case NodeStatus::disconnected:
      return "disconnected";
  }
  return "?";
}

std::optional<NodeStatus> parse_node_status(std::string_view s) {
  if (s == "ready") return NodeStatus::ready;
  if (s == "down") return NodeStatus::down;
  if (s == "disconnected") return NodeStatus::disconnected;
  return std::nullopt;
}

std::optional<std::string> resolve_target(std::string_view target, const Node& node) {
  if (target.size() < 3 || target.substr(0, 2) != "${" || target.back() != '}')
    return std::string(target);
  std::string_view name = target.substr(2, target.size() - 3);
  auto lookup = [](const std::map<std::string, std::string, std::less<>>& m,
                   std::string_view key) -> std::optional<std::string> {
    auto it = m.find(key);
    if (it == m.end()) return std::nullopt;
    return it->second;
  };
  if (name == "node.unique.id") return node.id;
  if (name == "node.datacenter") return node.datacenter;
  if (name == "node.unique.name") return node.name;
  if (name == "node.class") return node.node_class;
  if (name == "node.pool") return node.node_pool;
  if (name.substr(0, 5) == "attr.") return lookup(node.attributes, name.substr(5));
  if (name.substr(0, 5) == "meta.") return lookup(node.meta, name.substr(5));
  return std::nullopt;
}

bool target_is_unique(std::string_view t) {
  return t.find("${node.unique.") != std::string_view::npos ||
         t.find("${attr.unique.") != std::string_view::npos ||
         t.find("${meta.unique.") != std::string_view::npos;
}

std::string computed_class(const Node& node) {
  // Length-prefixed fields, so no two different nodes produce the same text.
  std::string text;
  auto add = [&](std::string_view s) {
    text += std::to_string(s.size());
    text += ':';
    text += s;
  };
  add(node.datacenter);
  add(node.node_pool);
  add(node.node_class);
  for (const auto& [k, v] : node.attributes) {
    if (k.rfind("unique.", 0) == 0) continue;
    add(k), add(v);
  }
  text += '|';
  for (const auto& [k, v] : node.meta) {
    if (k.rfind("unique.", 0) == 0) continue;
    add(k), add(v);
  }
  text += '|';
  for (const auto& d : node.drivers) add(d);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return std::string("v1:") + hex;
}

const char* desired_status_name(DesiredStatus s) {
  switch (s) {
    case DesiredStatus::run:
      return "run";
    case DesiredStatus::stop:
      return "stop";
    case DesiredStatus::evict:
      return "evict";
  }
  return "?";
}

const char* client_status_name(ClientStatus s) {
  switch (s) {
    case ClientStatus::pending:
      return "pending";
    case ClientStatus::running:
      return "running";
    case ClientStatus::complete:
      return "complete";
    case ClientStatus::failed:
      return "failed";
    case ClientStatus::lost:
      return "lost";
  }
  return "?";
}

std::optional<ClientStatus> parse_client_status(std::string_view s) {
  for (auto c : {ClientStatus::pending, ClientStatus::running, ClientStatus::complete,
                 ClientStatus::failed, ClientStatus::lost})
    if (s == client_status_name(c)) return c;
  return std::nullopt;
}

std::string allocation_name(std::string_view job, std::string_view group, int64_t index) {
  std::string s(job);
  s += '.';
  s += group;
  s += '[';
  s += std::to_string(index);
  s += ']';
  return s;
}

}  // namespace warden::sched
