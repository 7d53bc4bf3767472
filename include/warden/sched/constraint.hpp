// nomad's constraint and affinity operators over values already resolved from a node
// (`${attr.kernel.name}` → "linux"). Target resolution lives with the node model (node.hpp);
// this file is only the operator semantics of nomad's scheduler/feasible.go.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace warden::sched {

enum class Operator {
  equal,             // "=", "==", "is", and "" (the jobspec default)
  not_equal,         // "!=", "not"      (a target that is not set counts as "")
  less,              // "<"   (integer, then float, then string comparison)
  less_equal,        // "<="
  greater,           // ">"
  greater_equal,     // ">="
  regexp,            // "regexp"      (Go's RE2 syntax, unanchored; run as std::regex ECMAScript
                     //                after translation, see constraint.cpp for the limits)
  version,           // "version"     (hashicorp/go-version constraints: ">= 1.2, < 2", "~> 1.2";
                     //                a prerelease only satisfies <,>,<=,>=,~> that name one)
  semver,            // "semver"      (nomad's helper/constraints/semver: go-version ordering
                     //                without that prerelease rule and without "~>")
  set_contains,      // "set_contains"     (comma-separated; every right value is in the left set)
  set_contains_all,  // "set_contains_all" (same as set_contains)
  set_contains_any,  // "set_contains_any" (any right value is in the left set)
  is_set,            // "is_set"
  is_not_set,        // "is_not_set"
  distinct_hosts,    // "distinct_hosts"    (checked by the scheduler, always true here)
  distinct_property  // "distinct_property" (checked by the scheduler, always true here)
};

// The operator for an operand as written in a job; nullopt if nomad does not know it.
std::optional<Operator> parse_operator(std::string_view operand);
const char* operator_name(Operator op);

// Whether `left op right` holds, as nomad's checkConstraint: `left`/`right` are nullopt when the
// target is not set. A malformed right side (a bad regexp or version constraint) is false.
bool check_operator(Operator op, const std::optional<std::string>& left,
                    const std::optional<std::string>& right);

// go-version's Version.Compare, which orders both `version` and `semver`: -1, 0 or 1, nullopt
// when either side does not parse. Both grammars take an optional "v", one or more numeric
// segments (missing ones count as 0: "1.2" == "1.2.0"; leading zeros allowed), a prerelease and
// +metadata (ignored). `strict` is version.NewSemver, what nomad's `semver` constraints are parsed
// with: the prerelease must follow a '-'. Otherwise version.NewVersion: "1.7rc2" and "1.0-" parse.
// Prereleases order as go-version does, which is semver 2.0 except that an identifier is greater
// than a missing one unless it is numeric ("1.0-alpha" > "1.0-alpha.beta", < "1.0-alpha.1").
std::optional<int> compare_versions(std::string_view a, std::string_view b, bool strict);

}  // namespace warden::sched
