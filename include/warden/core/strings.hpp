// Small string helpers shared by the layers.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace warden {

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, std::string_view sep);
std::string join(std::span<const std::string> parts, std::string_view sep);

// Levenshtein edit distance, used to suggest a close name for a typo.
size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `name` if it is close enough to be a likely typo, else "".
std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates);

}  // namespace warden
