// UTF-8 and the bits of Unicode that HCL needs: decoding, NFC normalization, white space.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace warden::unicode {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at s[i]; advances i. Invalid sequences yield U+FFFD and advance 1 byte.
char32_t decode(std::string_view s, size_t& i);
// Length in bytes of the (valid) sequence starting with lead byte b, or 1 if invalid.
size_t sequence_length(unsigned char b);
void append_utf8(std::string& out, char32_t cp);
bool is_valid_utf8(std::string_view s);
// Number of code points.
size_t count_code_points(std::string_view s);

// Unicode White_Space (what Go's unicode.IsSpace reports).
bool is_space(char32_t cp);
// Letters and digits as identifier characters (a pragmatic superset of UAX #31
// ID_Start/ID_Continue).
bool is_id_start(char32_t cp);
bool is_id_continue(char32_t cp);
bool is_letter(char32_t cp);
bool is_upper(char32_t cp);

// Canonical composition (NFC). Pure ASCII input is returned unchanged without work.
std::string nfc(std::string_view s);
bool is_ascii(std::string_view s);

// Simple case mapping for the Latin, Greek and Cyrillic blocks and ASCII; other code points map to
// themselves. Enough for HCL's upper()/lower()/title() on the text job files contain.
char32_t to_upper(char32_t cp);
char32_t to_lower(char32_t cp);
std::string upper(std::string_view s);
std::string lower(std::string_view s);

}  // namespace warden::unicode
