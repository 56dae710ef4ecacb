#include "devkit/yaml_safety.hpp"

#include <cstddef>
#include <utility>

namespace devkit {
namespace {

constexpr size_t kNone = std::string_view::npos;

size_t indent_of(std::string_view line) {
    size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    return indent;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }
bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Where yaml-cpp ends a property (its exp.h): an anchor or alias name at a
// blank or flow indicator; a tag at the first character that is not a URI
// character ("!\"x" is the tag "!" and then a quoted scalar).
size_t property_end(std::string_view line, size_t at) {
    size_t i = at + 1;
    if (line[at] != '!') {
        while (i < line.size() && !is_space(line[i]) && !is_flow_indicator(line[i])) ++i;
        return i;
    }
    auto tag_char = [](char c) { return is_alnum(c) || c == '-' || std::string_view("#;/?:@&=+$_.~*'()%").find(c) != kNone; };
    if (i < line.size() && line[i] == '<') {  // verbatim: "!<tag:yaml.org,2002:str>"
        size_t close = line.find('>', i);
        return close == kNone ? line.size() : close + 1;
    }
    if (i < line.size() && line[i] == '!') ++i;  // "!!str"
    while (i < line.size() && tag_char(line[i])) ++i;
    if (i < line.size() && line[i] == '!') {  // a named handle: "!e!suffix"
        ++i;
        while (i < line.size() && tag_char(line[i])) ++i;
    }
    return i;
}

// "---" or "..." at a line's start, alone or before a space: a document
// boundary, after which the line goes on at the top level.
bool is_document_marker(std::string_view line) {
    return line.size() >= 3 && (line.substr(0, 3) == "---" || line.substr(0, 3) == "...") &&
           (line.size() == 3 || is_space(line[3]));
}

// A small tokenizer of the YAML a request can carry: enough to know, per
// character, whether it is inside a quoted scalar, a plain scalar, block
// scalar text or a comment, or is a token (an indicator, a flow bracket, a
// property). Only tokens can hang yaml-cpp; text never does.
class Scanner {
  public:
    YamlHazard scan(std::string_view text) {
        size_t start = 0;
        while (start <= text.size()) {
            size_t end = text.find('\n', start);
            if (end == kNone) end = text.size();
            ++line_number_;
            if (YamlHazard hazard = scan_line(text.substr(start, end - start))) return hazard;
            if (end == text.size()) break;
            start = end + 1;
        }
        // Never valid YAML, and where yaml-cpp's loop hides (found by fuzzing).
        if (quote_ != 0)
            return {quote_opened_at_.first, quote_opened_at_.second,
                    std::string("a quoted scalar opened with ") + quote_ + " is never closed"};
        if (depth_ > 0) return {depth_opened_at_.first, depth_opened_at_.second, "a [ or { is never closed"};
        return {};
    }

  private:
    YamlHazard scan_line(std::string_view line) {
        size_t indent = indent_of(line);
        bool blank = indent == line.size() || line.substr(indent) == "\r";
        // Lines deeper than the one that opened a block scalar ("key: |")
        // or a plain scalar that ran to its line's end are text.
        if (block_parent_ != kNone) {
            if (blank || indent > block_parent_) return {};
            block_parent_ = kNone;
        }
        if (plain_parent_ != kNone) {
            if (blank || indent > plain_parent_) return {};
            plain_parent_ = kNone;
        }
        // A directive ("%YAML 1.2", "%TAG ! tag:x,2000:"): the line is
        // its own, and the next one is no scalar's continuation.
        if (quote_ == 0 && depth_ == 0 && !line.empty() && line[0] == '%') return {};
        closed_node_ = false;
        bool in_plain = false;
        size_t first = quote_ != 0 ? 0 : indent;
        if (quote_ == 0 && is_document_marker(line)) first = 3;
        for (size_t i = first; i < line.size(); ++i) {
            char c = line[i];
            if (quote_ != 0) {
                if (c == '\\' && quote_ == '"') {
                    ++i;  // an escape, maybe of the quote
                } else if (c == '\'' && quote_ == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
                    ++i;  // '' is a quote inside single quotes
                } else if (c == quote_) {
                    quote_ = 0;
                    closed_node_ = true;
                }
                continue;
            }
            if (is_space(c)) continue;
            if (c == '#' && (i == 0 || is_space(line[i - 1]))) {
                // A comment ends a plain scalar: the next line is not more
                // of it (" ,,#|{" below "-,- #'" is a loop, not text).
                in_plain = false;
                break;
            }
            // ':' ends a key where a space, the line's end or (in a flow) a
            // flow indicator follows it; elsewhere it is text ("a:b", "::1").
            bool separated = i + 1 >= line.size() || is_space(line[i + 1]) || (depth_ > 0 && is_flow_indicator(line[i + 1]));
            if (in_plain) {
                if (c == ':' && separated) {
                    in_plain = false;
                    continue;
                }
                // In a flow a plain scalar ends at a flow indicator; in block
                // context only ": " and " #" end it.
                if (depth_ == 0 || !is_flow_indicator(c)) continue;
                in_plain = false;
            }
            if (closed_node_) {
                // yaml-cpp loops on '"a"x', '[]x' or '{}>' followed by a '?' line.
                if (c != ':' && c != ',' && c != ']' && c != '}')
                    return {line_number_, i + 1, std::string("'") + c + "' right after a quoted value or a closed [ ] or { }"};
                closed_node_ = false;
                if (c == ':') continue;  // "\"key\":value" is a key in JSON style
            }
            switch (c) {
                case '"':
                case '\'':
                    quote_ = c;
                    quote_opened_at_ = {line_number_, i + 1};
                    break;
                case '[':
                case '{':
                    if (depth_++ == 0) depth_opened_at_ = {line_number_, i + 1};
                    break;
                case ']':
                case '}':
                    // A plain scalar cannot start with one.
                    if (depth_ == 0) return {line_number_, i + 1, std::string("a '") + c + "' that closes nothing"};
                    --depth_;
                    closed_node_ = true;
                    break;
                case ',':
                    // A flow entry with no flow around it: yaml-cpp 0.7 loops.
                    if (depth_ == 0)
                        return {line_number_, i + 1, "a ',' outside any [ ] or { }, where no value can start with one"};
                    break;
                case '!':
                case '&':
                case '*':
                    // A tag, an anchor or an alias; what follows is a new token.
                    i = property_end(line, i) - 1;
                    break;
                case '|':
                case '>':
                    if (depth_ > 0) {
                        in_plain = true;  // not valid in a flow; yaml-cpp reports it
                        break;
                    }
                    block_parent_ = indent;  // the rest of the line is the block header
                    return {};
                case '?':
                    // Explicit keys: valid YAML that no manifest or pipeline
                    // uses, and where most of yaml-cpp's loops were found
                    // ("{}>\n? ", "!|#|\n? |-").
                    if (separated) return {line_number_, i + 1, "explicit '? ' keys are not supported"};
                    in_plain = true;
                    break;
                case '-':
                case ':':
                    if (separated) break;  // an indicator ("- ", ": ")
                    in_plain = true;       // "-1", "?x", ":x" start plain scalars
                    break;
                default:
                    in_plain = true;
            }
        }
        if (in_plain && depth_ == 0 && quote_ == 0) plain_parent_ = indent;
        return {};
    }

    size_t line_number_ = 0;
    int depth_ = 0;                // [ and { not yet closed
    std::pair<size_t, size_t> depth_opened_at_;  // line and column of the outermost open one
    char quote_ = 0;               // a quoted scalar may span lines
    std::pair<size_t, size_t> quote_opened_at_;
    bool closed_node_ = false;     // a quoted scalar or a flow just ended on this line
    size_t block_parent_ = kNone;  // indent of the line that opened a block scalar
    size_t plain_parent_ = kNone;  // indent of the line whose plain scalar may go on below
};

}  // namespace

YamlHazard yaml_hazard(std::string_view text) { return Scanner().scan(text); }

}  // namespace devkit
