#include "devkit/text_template.hpp"

#include <stdexcept>

namespace devkit {
namespace {

// Renders text[pos..) until the closing tag of `section` (or the end when
// `section` is empty); returns the position after that closing tag.
std::size_t render_until(std::string_view text, std::size_t pos, const std::string& section,
                         const TemplateValues& values, bool emit, std::string& out) {
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            if (!section.empty()) throw std::logic_error("template: section '" + section + "' is never closed");
            if (emit) out.append(text.substr(pos));
            return text.size();
        }
        if (emit) out.append(text.substr(pos, open - pos));
        if (open + 2 < text.size() && text[open + 2] == '{') {  // "{{{x}}": a literal '{', then {{x}}
            if (emit) out += '{';
            pos = open + 1;
            continue;
        }
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) throw std::logic_error("template: '{{' without '}}'");
        const std::string tag(text.substr(open + 2, close - open - 2));
        pos = close + 2;
        if (tag.empty()) throw std::logic_error("template: empty tag");
        const char kind = tag[0];
        if (kind == '#' || kind == '^') {
            const std::string flag = tag.substr(1);
            auto found = values.flags.find(flag);
            if (found == values.flags.end()) throw std::logic_error("template: flag '" + flag + "' not given");
            const bool keep = kind == '#' ? found->second : !found->second;
            pos = render_until(text, pos, flag, values, emit && keep, out);
        } else if (kind == '/') {
            if (tag.substr(1) != section) throw std::logic_error("template: '{{" + tag + "}}' closes nothing open");
            return pos;
        } else {
            auto found = values.values.find(tag);
            if (found == values.values.end()) throw std::logic_error("template: value '" + tag + "' not given");
            if (emit) out += found->second;
        }
    }
    if (!section.empty()) throw std::logic_error("template: section '" + section + "' is never closed");
    return pos;
}

}  // namespace

std::string render_template(std::string_view text, const TemplateValues& values) {
    std::string out;
    render_until(text, 0, "", values, true, out);
    return out;
}

}  // namespace devkit
