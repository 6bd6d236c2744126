#pragma once
// Small text helpers shared by the JSON decoder, encoder and kcat codec:
// Jackson's string escaping, UTF-8 validation with a position, and Base64
// (Jackson writes BYTES as a Base64 string).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ananas {

// Appends `s` as a quoted JSON string escaped the way Jackson does by default
// (Jackson defaults, as Flink: JsonRowDataSerializationSchema writes): `\"` `\\` `\b` `\t` `\n` `\f` `\r`, other U+0000..U+001F as
// `\u00XX` with upper-case hex, everything else (including `/`, DEL and
// non-ASCII UTF-8) raw.
void append_json_string(std::string& out, std::string_view s);

// Offset of the first byte that is not part of well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are ill-formed), or nullopt.
std::optional<size_t> find_invalid_utf8(std::string_view s);

// RFC 4648 Base64 with padding, no line breaks (Jackson's default variant).
void append_base64(std::string& out, std::string_view bytes);
// Decodes padded or unpadded Base64; nullopt on any other character.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace ananas
