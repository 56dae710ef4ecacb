#include <cctype>
#include <regex>

#include "terraform.hpp"

namespace terraform {

std::string identifier(std::string_view name) {
    std::string out;
    for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_';
    if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0]))) out = "s_" + out;
    return out;
}

std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        if ((c == '$' || c == '%') && i + 1 < text.size() && text[i + 1] == '{') out += c;  // $${ and %%{ are literal
        out += c;
    }
    return out + "\"";
}

bool is_secret_name(std::string_view name) {
    static const std::regex secret(
        R"re(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|DATABASE_URL|DB_URL|_DSN$|_URI$|_URL_WITH_AUTH)re");
    std::string upper(name);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return std::regex_search(upper, secret);
}

ReferenceReport check_references(const std::vector<devkit::Artifact>& files) {
    std::string all;
    for (const auto& file : files) all += file.content + "\n";
    static const std::regex variable_block(R"re(^variable\s+"([A-Za-z_][A-Za-z0-9_-]*)")re", std::regex::multiline);
    static const std::regex resource_block(R"re(^resource\s+"([A-Za-z0-9_]+)"\s+"([A-Za-z_][A-Za-z0-9_-]*)")re", std::regex::multiline);
    static const std::regex data_block(R"re(^data\s+"([A-Za-z0-9_]+)"\s+"([A-Za-z_][A-Za-z0-9_-]*)")re", std::regex::multiline);
    static const std::regex local_entry(R"re(^\s+([A-Za-z_][A-Za-z0-9_]*)\s*=)re");
    std::map<std::string, bool> variables, resources, locals;
    for (auto it = std::sregex_iterator(all.begin(), all.end(), variable_block); it != std::sregex_iterator(); ++it)
        variables[(*it)[1].str()] = false;
    for (auto it = std::sregex_iterator(all.begin(), all.end(), resource_block); it != std::sregex_iterator(); ++it)
        resources[(*it)[1].str() + "." + (*it)[2].str()] = true;
    for (auto it = std::sregex_iterator(all.begin(), all.end(), data_block); it != std::sregex_iterator(); ++it)
        resources["data." + (*it)[1].str() + "." + (*it)[2].str()] = true;
    // locals { name = ... }: the entries at the block's first level.
    {
        std::size_t at = 0;
        while ((at = all.find("\nlocals {", at)) != std::string::npos) {
            std::size_t end = all.find("\n}", at + 1);
            std::string block = all.substr(at, end - at);
            int depth = 0;
            std::size_t line_start = 0;
            while (line_start < block.size()) {
                std::size_t line_end = block.find('\n', line_start + 1);
                if (line_end == std::string::npos) line_end = block.size();
                std::string line = block.substr(line_start, line_end - line_start);
                std::smatch match;
                if (depth == 1 && std::regex_search(line, match, local_entry)) locals[match[1].str()] = true;
                for (char c : line) depth += c == '{' || c == '[' || c == '(' ? 1 : c == '}' || c == ']' || c == ')' ? -1 : 0;
                line_start = line_end;
            }
            at = end;
        }
    }
    ReferenceReport report;
    static const std::regex var_ref(R"re(\bvar\.([A-Za-z_][A-Za-z0-9_-]*))re");
    static const std::regex local_ref(R"re(\blocal\.([A-Za-z_][A-Za-z0-9_]*))re");
    static const std::regex resource_ref(R"re(\b((?:data\.)?(?:aws|kubernetes)_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)\b)re");
    for (auto it = std::sregex_iterator(all.begin(), all.end(), var_ref); it != std::sregex_iterator(); ++it) {
        auto found = variables.find((*it)[1].str());
        if (found == variables.end()) report.undeclared_variables.push_back((*it)[1].str());
        else found->second = true;
    }
    for (auto it = std::sregex_iterator(all.begin(), all.end(), local_ref); it != std::sregex_iterator(); ++it)
        if (locals.count((*it)[1].str()) == 0) report.unresolved_references.push_back("local." + (*it)[1].str());
    // Lines that declare blocks name types in quotes, so references are the unquoted ones.
    for (auto it = std::sregex_iterator(all.begin(), all.end(), resource_ref); it != std::sregex_iterator(); ++it) {
        const std::size_t position = static_cast<std::size_t>(it->position());
        if (position > 0 && all[position - 1] == '"') continue;  // "aws_iam_role" in a block header
        const std::string reference = (*it)[1].str() + "." + (*it)[2].str();
        if (resources.count(reference) == 0) report.unresolved_references.push_back(reference);
    }
    for (const auto& [name, used] : variables)
        if (!used) report.unused_variables.push_back(name);
    return report;
}

}  // namespace terraform
