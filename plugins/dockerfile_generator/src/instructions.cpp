#include <cctype>

#include "dockerfile.hpp"

namespace dockerfile {
namespace {

std::string trim(std::string_view text) {
    std::size_t start = 0, end = text.size();
    while (start < end && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
    while (end > start && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return std::string(text.substr(start, end - start));
}

}  // namespace

std::vector<Instruction> parse(std::string_view text) {
    std::vector<Instruction> out;
    Instruction current;
    bool continuing = false;
    int number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line = trim(text.substr(start, end - start));
        ++number;
        start = end + 1;
        if (line.empty() || line[0] == '#') {
            if (end == text.size()) break;
            continue;  // comments and blank lines inside a continuation are skipped, as Docker does
        }
        bool continues = !line.empty() && line.back() == '\\';
        if (continues) line = trim(std::string_view(line).substr(0, line.size() - 1));
        if (continuing) {
            current.arguments += (current.arguments.empty() ? "" : " ") + line;
        } else {
            auto space = line.find_first_of(" \t");
            current = Instruction{};
            current.line = number;
            current.keyword = line.substr(0, space);
            for (char& c : current.keyword) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            current.arguments = space == std::string::npos ? "" : trim(std::string_view(line).substr(space));
        }
        continuing = continues;
        if (!continuing) out.push_back(current);
        if (end == text.size()) break;
    }
    if (continuing) out.push_back(current);
    return out;
}

}  // namespace dockerfile
