// Well-formed UTF-8 (RFC 3629, Unicode table 3-7): every JSON text the host
// sends must be, whatever bytes a client put in a path, a query or a body
// that an answer then echoes.
#pragma once

#include <string>
#include <string_view>

namespace agenthost {

// True when `text` is well-formed UTF-8: no stray continuation bytes, no
// truncated, overlong or surrogate sequences, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text);

// `text` with each ill-formed sequence replaced by U+FFFD, one per maximal
// subpart (as Unicode recommends and WHATWG decoders do): "a\xFFb" becomes
// "a\uFFFDb". ASCII bytes are never consumed, so inside serialised JSON only
// string contents change and the document stays well-formed.
std::string with_invalid_utf8_replaced(std::string_view text);

}  // namespace agenthost
