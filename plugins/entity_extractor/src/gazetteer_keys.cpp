#include "gazetteers.hpp"

#include "utf8.hpp"

namespace entity_extractor::gazetteer {

std::string lookup_key(std::string_view text) {
    std::string folded = utf8::fold_case(text);
    std::string key;
    key.reserve(folded.size());
    for (std::size_t pos = 0; pos < folded.size();) {
        utf8::DecodedChar decoded = utf8::decode(folded, pos);
        if (decoded.code_point == 0x2019)
            key += '\'';  // typographic apostrophe: "O’Brien" is "O'Brien"
        else if (decoded.code_point != '.')
            key.append(folded, pos, decoded.length);
        pos += decoded.length;
    }
    return key;
}

}  // namespace entity_extractor::gazetteer
