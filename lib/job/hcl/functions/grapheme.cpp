// Extended grapheme clusters (UAX #29), as go-textseg splits text for cty's strlen, substr,
// strrev and format's %s. The property tables come from gen_grapheme_tables.pl.
#include <algorithm>
#include <iterator>

#include "common.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl::fn {

namespace {

enum class G : uint8_t {
  other,
  cr,
  lf,
  control,
  extend,
  zwj,
  regional_indicator,
  prepend,
  spacing_mark,
  l,
  v,
  t,
  lv,
  lvt,
  pictographic,
};

struct GRange {
  char32_t first, last;
  G cls;
};

constexpr GRange kGraphemeTable[] = {
#include "grapheme_tables.inc"
};

G grapheme_class(char32_t c) {
  const GRange* end = std::end(kGraphemeTable);
  const GRange* it = std::upper_bound(std::begin(kGraphemeTable), end, c,
                                      [](char32_t v, const GRange& r) { return v < r.first; });
  if (it == std::begin(kGraphemeTable)) return G::other;
  --it;
  return c <= it->last ? it->cls : G::other;
}

bool is_control(G g) {
  return g == G::control || g == G::cr || g == G::lf;
}

}  // namespace

std::vector<std::string_view> graphemes(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0, start = 0;
  G prev = G::other;
  bool first = true;
  size_t ri_run = 0;        // regional indicators in a row before the current code point
  bool emoji_tail = false;  // previous code points are ExtPict Extend* (GB11)
  bool emoji_zwj = false;   // ... followed by a ZWJ
  while (i < s.size()) {
    size_t at = i;
    G cur = grapheme_class(unicode::decode(s, i));
    bool brk;
    if (first) {
      brk = false;
    } else if (prev == G::cr && cur == G::lf) {
      brk = false;  // GB3
    } else if (is_control(prev) || is_control(cur)) {
      brk = true;  // GB4, GB5
    } else if (prev == G::l && (cur == G::l || cur == G::v || cur == G::lv || cur == G::lvt)) {
      brk = false;  // GB6
    } else if ((prev == G::lv || prev == G::v) && (cur == G::v || cur == G::t)) {
      brk = false;  // GB7
    } else if ((prev == G::lvt || prev == G::t) && cur == G::t) {
      brk = false;  // GB8
    } else if (cur == G::extend || cur == G::zwj || cur == G::spacing_mark || prev == G::prepend) {
      brk = false;  // GB9, GB9a, GB9b
    } else if (emoji_zwj && cur == G::pictographic) {
      brk = false;  // GB11
    } else if (prev == G::regional_indicator && cur == G::regional_indicator) {
      brk = ri_run % 2 == 0;  // GB12, GB13: pairs of regional indicators
    } else {
      brk = true;  // GB999
    }
    if (brk) {
      out.push_back(s.substr(start, at - start));
      start = at;
    }
    // Track the state the next code point's rules look at.
    ri_run = cur == G::regional_indicator ? (prev == G::regional_indicator ? ri_run + 1 : 1) : 0;
    if (cur == G::pictographic) {
      emoji_tail = true;
      emoji_zwj = false;
    } else if (cur == G::extend && emoji_tail && !emoji_zwj) {
      // still ExtPict Extend*
    } else if (cur == G::zwj && emoji_tail && !emoji_zwj) {
      emoji_zwj = true;
    } else {
      emoji_tail = emoji_zwj = false;
    }
    prev = cur;
    first = false;
  }
  if (start < s.size()) out.push_back(s.substr(start));
  return out;
}

size_t grapheme_count(std::string_view s) {
  return graphemes(s).size();
}

}  // namespace warden::hcl::fn
