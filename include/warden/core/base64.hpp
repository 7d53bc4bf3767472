// Standard base64 (RFC 4648, with padding), as Go's encoding/base64.StdEncoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace warden {

std::string base64_encode(std::string_view bytes);
// nullopt on malformed input; `bad_offset` (if given) receives the offset of the first bad byte.
// Carriage returns and newlines are ignored, as Go's decoder does.
std::optional<std::string> base64_decode(std::string_view text, size_t* bad_offset = nullptr);

}  // namespace warden
