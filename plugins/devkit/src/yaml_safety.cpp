#include "devkit/yaml_safety.hpp"

#include <cstddef>

namespace devkit {
namespace {

size_t indent_of(std::string_view line) {
    size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    return indent;
}

// True when the line's last significant character opens a block scalar
// ("key: |", "- >-", "run: |2"): the lines below it that are indented
// deeper are text, not YAML tokens.
bool opens_block_scalar(std::string_view line) {
    size_t end = line.find(" #");
    std::string_view code = line.substr(0, end);
    while (!code.empty() && (code.back() == ' ' || code.back() == '\t' || code.back() == '\r')) code.remove_suffix(1);
    size_t i = code.size();
    while (i > 0 && (code[i - 1] == '-' || code[i - 1] == '+' || (code[i - 1] >= '0' && code[i - 1] <= '9'))) --i;
    if (i == 0 || (code[i - 1] != '|' && code[i - 1] != '>')) return false;
    return i == 1 || code[i - 2] == ' ';
}

}  // namespace

YamlHazard yaml_hazard(std::string_view text) {
    int depth = 0;                 // [ and { not yet closed
    size_t block_parent = std::string_view::npos;  // indent of the line that opened a block scalar
    size_t line_number = 0;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        ++line_number;
        start = end + 1;
        size_t indent = indent_of(line);
        bool blank = indent == line.size() || line.substr(indent) == "\r";
        if (block_parent != std::string_view::npos) {
            if (blank || indent > block_parent) {
                if (end == text.size()) break;
                continue;  // block scalar text
            }
            block_parent = std::string_view::npos;
        }
        char previous = 0;  // the last significant character before this one on the line
        char quote = 0;
        for (size_t i = indent; i < line.size(); ++i) {
            char c = line[i];
            if (quote != 0) {
                if (c == quote) quote = 0;
                continue;
            }
            if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;  // a comment
            if ((c == '"' || c == '\'') && (previous == 0 || previous == ':' || previous == '-' || previous == '[' ||
                                            previous == '{' || previous == ',' || previous == '?')) {
                quote = c;
                previous = c;
                continue;
            }
            // '[' and '{' open a flow only where a value can start; inside a
            // plain scalar ("a[1]", "x{") they are text.
            bool token_start = previous == 0 || previous == ':' || previous == '-' || previous == ',' ||
                               previous == '[' || previous == '{' || previous == '?';
            if ((c == '[' || c == '{') && (token_start || depth > 0)) ++depth;
            if ((c == ']' || c == '}') && depth > 0) --depth;
            // A tag (!t) or an anchor (&a) ends at a space or a flow indicator.
            if ((c == '!' || c == '&') && token_start) {
                while (i + 1 < line.size() && std::string_view(" \t,[]{}").find(line[i + 1]) == std::string_view::npos) ++i;
                previous = '!';
                continue;
            }
            // After a complete node at the top level (a quoted scalar, a flow
            // collection, a tag or anchor) or where a value would start, a
            // ',' is a flow entry with no flow around it.
            if (c == ',' && depth == 0 &&
                (previous == 0 || previous == ']' || previous == '}' || previous == ':' || previous == '-' ||
                 previous == '?' || previous == '"' || previous == '\'' || previous == '!'))
                return {line_number, "a ',' outside any [ ] or { }, where no value can start with one"};
            if (c != ' ' && c != '\t' && c != '\r') previous = c;
        }
        if (depth == 0 && opens_block_scalar(line)) block_parent = indent;
        if (end == text.size()) break;
    }
    return {};
}

}  // namespace devkit
