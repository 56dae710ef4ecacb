#include "config/dotenv.hpp"

#include "config/host_config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace agenthost {
namespace {

std::string trim(const std::string& text) {
    size_t start = text.find_first_not_of(" \t\r");
    if (start == std::string::npos) return "";
    size_t end = text.find_last_not_of(" \t\r");
    return text.substr(start, end - start + 1);
}

bool valid_name(const std::string& name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return true;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_dotenv(const std::string& text, const std::string& source) {
    std::vector<std::pair<std::string, std::string>> out;
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        std::string where = source + ":" + std::to_string(number);
        std::string content = trim(line);
        if (content.empty() || content[0] == '#') continue;
        if (content.rfind("export ", 0) == 0) content = trim(content.substr(7));
        size_t equals = content.find('=');
        if (equals == std::string::npos) throw ConfigError(where + ": expected NAME=value");
        std::string name = trim(content.substr(0, equals));
        if (!valid_name(name)) throw ConfigError(where + ": '" + name + "' is not a variable name");
        std::string value = trim(content.substr(equals + 1));
        if (!value.empty() && (value[0] == '"' || value[0] == '\'')) {
            char quote = value[0];
            std::string unquoted;
            size_t i = 1;
            bool closed = false;
            for (; i < value.size(); ++i) {
                char c = value[i];
                if (c == quote) {
                    closed = true;
                    break;
                }
                if (quote == '"' && c == '\\' && i + 1 < value.size()) {
                    char next = value[++i];
                    unquoted += next == 'n' ? '\n' : next == 't' ? '\t' : next;
                    continue;
                }
                unquoted += c;
            }
            if (!closed) throw ConfigError(where + ": unterminated " + std::string(1, quote) + " quote");
            std::string rest = trim(value.substr(i + 1));
            if (!rest.empty() && rest[0] != '#') throw ConfigError(where + ": text after the closing quote");
            value = unquoted;
        } else {
            // An unquoted value ends at " #" (a comment), as python-dotenv reads it.
            size_t comment = value.find(" #");
            if (comment != std::string::npos) value = trim(value.substr(0, comment));
        }
        out.emplace_back(name, value);
    }
    return out;
}

std::vector<std::string> load_dotenv(const std::string& path) {
    std::ifstream in(path);
    if (!in) return {};
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> set;
    for (const auto& [name, value] : parse_dotenv(text.str(), path)) {
        if (std::getenv(name.c_str()) != nullptr) continue;  // the real environment wins
        ::setenv(name.c_str(), value.c_str(), 0);
        set.push_back(name);
    }
    return set;
}

}  // namespace agenthost
