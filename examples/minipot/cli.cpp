#include "cli.hpp"

#include <algorithm>
#include <cstdlib>

#include "commands.hpp"

namespace minipot {

namespace {
std::vector<std::vector<Command> (*)()>& topics() {
  static std::vector<std::vector<Command> (*)()> t;
  return t;
}
}  // namespace

Registrar::Registrar(std::vector<Command> (*topic)()) {
  topics().push_back(topic);
}

std::vector<Command> all_commands() {
  std::vector<Command> out;
  for (auto topic : topics()) {
    for (auto& c : topic()) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(),
            [](const Command& a, const Command& b) { return a.path < b.path; });
  return out;
}

std::vector<FlagSpec> global_flags() {
  return {{"data-dir", true, false,
           "State directory (default $WARDEN_DATA_DIR, else /var/lib/warden)."}};
}

std::string data_dir(const Parsed& p) {
  if (p.has("data-dir")) return p.get("data-dir");
  if (const char* env = std::getenv("WARDEN_DATA_DIR"); env && *env) return env;
  return "/var/lib/warden";
}

bool parse_flags(const std::vector<std::string>& argv, const std::vector<FlagSpec>& flags,
                 Parsed& out, std::string& error) {
  std::vector<FlagSpec> all = flags;
  for (auto& g : global_flags()) all.push_back(g);
  bool only_args = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_args || a.size() < 2 || a[0] != '-') {
      out.args.push_back(a);
      continue;
    }
    if (a == "--") {
      only_args = true;
      continue;
    }
    std::string name = a.substr(a[1] == '-' ? 2 : 1);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (name == "help" || name == "h") {
      out.help = true;
      continue;
    }
    const FlagSpec* spec = nullptr;
    for (const auto& f : all) {
      if (f.name == name) spec = &f;
    }
    if (!spec) {
      error = "unknown flag \"" + a + "\"";
      return false;
    }
    if (spec->takes_value && !has_value) {
      if (i + 1 >= argv.size()) {
        error = "flag -" + name + " needs a value";
        return false;
      }
      value = argv[++i];
    } else if (!spec->takes_value && has_value) {
      if (value != "true" && value != "false") {
        error = "flag -" + name + " takes no value";
        return false;
      }
      if (value == "false") continue;
      value.clear();
    }
    auto& slot = out.values[name];
    if (!spec->repeatable) slot.clear();
    slot.push_back(value);
  }
  return true;
}

std::string usage(const Command& c) {
  std::string s = "Usage: minipot " + c.path + (c.synopsis.empty() ? "" : " " + c.synopsis) +
                  "\n\n  " + c.summary + "\n";
  if (!c.help.empty()) s += "\n" + c.help + "\n";
  std::vector<FlagSpec> flags = c.flags;
  for (auto& g : global_flags()) flags.push_back(g);
  s += "\nOptions (-flag and --flag are the same):\n";
  for (const auto& f : flags) {
    std::string left = "  -" + f.name + (f.takes_value ? " <value>" : "");
    if (left.size() < 24) left.append(24 - left.size(), ' ');
    s += left + " " + f.help + (f.repeatable ? " May be repeated." : "") + "\n";
  }
  s += "  -help                  Show this help.\n";
  return s;
}

}  // namespace minipot
