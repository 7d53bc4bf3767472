// Command-line conventions shared by every minipot command:
//   - flags in nomad's single-dash form and in the double-dash form (-json == --json),
//     with values as "-flag value" or "-flag=value";
//   - --help / -help / -h on every command;
//   - --data-dir DIR (default $WARDEN_DATA_DIR, else /var/lib/warden).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace minipot {

struct FlagSpec {
  std::string name;  // without dashes: "json", "var"
  bool takes_value = false;
  bool repeatable = false;
  std::string help;
};

struct Parsed {
  std::map<std::string, std::vector<std::string>> values;  // flag -> values ("" for switches)
  std::vector<std::string> args;                           // positional arguments
  bool help = false;

  bool has(const std::string& flag) const { return values.count(flag) > 0; }
  std::string get(const std::string& flag, const std::string& fallback = "") const {
    auto it = values.find(flag);
    return it == values.end() || it->second.empty() ? fallback : it->second.back();
  }
  const std::vector<std::string>& all(const std::string& flag) const {
    static const std::vector<std::string> none;
    auto it = values.find(flag);
    return it == values.end() ? none : it->second;
  }
};

// Parses argv against the flags; on a usage error returns false with a message in `error`.
bool parse_flags(const std::vector<std::string>& argv, const std::vector<FlagSpec>& flags,
                 Parsed& out, std::string& error);

// The flags every command accepts.
std::vector<FlagSpec> global_flags();
std::string data_dir(const Parsed& p);

struct Command {
  std::string path;      // "job validate"
  std::string synopsis;  // "FILE"
  std::string summary;   // one line
  std::string help;      // paragraphs
  std::vector<FlagSpec> flags;
  std::function<int(const Parsed&)> run;
};

std::string usage(const Command& c);

}  // namespace minipot
