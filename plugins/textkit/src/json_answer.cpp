#include <textkit/json_answer.hpp>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace textkit {
namespace {

// A hostile answer full of '{' must not cost quadratic time.
constexpr int kMaxCandidates = 64;

std::string_view trim(std::string_view text) {
    std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return {};
    return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
}

// Deeper nesting is refused: the answer is later parsed by recursive
// parsers, and a hostile "[[[[..." must not exhaust the stack.
constexpr int kMaxDepth = 64;

// Validates without building a document, so no recursion and no allocation.
struct DepthLimit : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DepthLimit> {
    int depth = 0;
    bool Default() { return true; }
    bool StartObject() { return ++depth <= kMaxDepth; }
    bool EndObject(rapidjson::SizeType) { return --depth >= 0; }
    bool StartArray() { return ++depth <= kMaxDepth; }
    bool EndArray(rapidjson::SizeType) { return --depth >= 0; }
};

// The length of the JSON object that starts `text`, or 0 when none does.
std::size_t object_length(std::string_view text) {
    if (text.empty() || text.front() != '{') return 0;
    rapidjson::MemoryStream stream(text.data(), text.size());
    rapidjson::Reader reader;
    DepthLimit handler;
    if (!reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(stream, handler)) return 0;
    return stream.Tell();
}

bool is_object(std::string_view text) { return !text.empty() && object_length(text) == text.size(); }

// The body of the first fence that holds a JSON object.
std::optional<std::string_view> fenced_object(std::string_view text) {
    std::size_t from = 0;
    for (int fences = 0; fences < kMaxCandidates; ++fences) {
        std::size_t open = text.find("```", from);
        if (open == std::string_view::npos) return std::nullopt;
        std::size_t line_end = text.find('\n', open);
        if (line_end == std::string_view::npos) return std::nullopt;
        std::size_t close = text.find("```", line_end);
        if (close == std::string_view::npos) return std::nullopt;
        std::string_view body = trim(text.substr(line_end + 1, close - line_end - 1));
        if (is_object(body)) return body;
        from = close + 3;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> find_json_object(std::string_view answer) {
    std::string_view text = trim(answer);
    if (text.empty()) return std::nullopt;
    if (is_object(text)) return text;
    if (auto fenced = fenced_object(text)) return fenced;
    std::size_t open = text.find('{');
    for (int tried = 0; open != std::string_view::npos && tried < kMaxCandidates; ++tried) {
        // A stray '{' in the prose starts no object; the answer's may follow.
        if (std::size_t length = object_length(text.substr(open))) return text.substr(open, length);
        open = text.find('{', open + 1);
    }
    return std::nullopt;
}

std::string prose_of(std::string_view answer) {
    std::string prose;
    std::string_view rest = answer;
    while (!rest.empty()) {
        std::size_t line_end = rest.find('\n');
        std::string_view line = rest.substr(0, line_end);
        // A fence marker line, with or without its language tag, is not prose.
        if (trim(line).rfind("```", 0) != 0) {
            prose.append(line);
            prose += '\n';
        }
        if (line_end == std::string_view::npos) break;
        rest.remove_prefix(line_end + 1);
    }
    return std::string(trim(prose));
}

std::string corrective_message(std::string_view problem, std::string_view wanted_shape) {
    return "Your answer could not be used: " + std::string(problem) +
           ". Answer again with only one JSON object of this shape, no code fence and no other text: " +
           std::string(wanted_shape);
}

}  // namespace textkit
