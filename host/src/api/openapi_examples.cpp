#include "api/openapi_examples.hpp"

namespace agenthost::api {
namespace {

// Splits one shell command into words: single and double quotes group,
// "\\\n" continues the line. Stops at the end of the command (a newline
// outside quotes); `pos` is left there.
std::vector<std::string> shell_words(std::string_view text, size_t& pos) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    while (pos < text.size()) {
        char c = text[pos];
        if (c == '\\' && pos + 1 < text.size() && text[pos + 1] == '\n') {
            pos += 2;
            continue;
        }
        if (c == '\n' || c == '`') break;
        if (c == ' ' || c == '\t') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
            ++pos;
            continue;
        }
        in_word = true;
        if (c == '\'' || c == '"') {
            size_t end = text.find(c, pos + 1);
            if (end == std::string_view::npos) end = text.size();
            word.append(text.substr(pos + 1, end - pos - 1));
            pos = end + 1;
            continue;
        }
        word += c;
        ++pos;
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

// "http://localhost:8000/runs?limit=5" or "localhost:8000/usage?..." to "/runs".
std::string path_of(const std::string& url) {
    size_t host = url.find("localhost");
    if (host == std::string::npos) return "";
    size_t slash = url.find('/', host);
    if (slash == std::string::npos) return "/";
    return url.substr(slash, url.find('?', slash) - slash);
}

}  // namespace

std::vector<CurlExample> curl_examples(std::string_view markdown) {
    std::vector<CurlExample> examples;
    size_t pos = 0;
    while ((pos = markdown.find("curl ", pos)) != std::string_view::npos) {
        bool starts_command = pos == 0 || markdown[pos - 1] == '\n' || markdown[pos - 1] == ' ' ||
                              markdown[pos - 1] == '`' || markdown[pos - 1] == '(';
        std::vector<std::string> words = shell_words(markdown, pos);
        if (!starts_command) continue;
        CurlExample example;
        for (size_t i = 1; i < words.size(); ++i) {
            const std::string& word = words[i];
            if ((word == "-X" || word == "--request") && i + 1 < words.size()) example.method = words[++i];
            else if ((word == "-d" || word == "--data" || word == "--data-raw") && i + 1 < words.size())
                example.body = words[++i];
            else if ((word == "-H" || word == "--header") && i + 1 < words.size()) ++i;
            else if (word.find("localhost") != std::string::npos && example.path.empty()) example.path = path_of(word);
        }
        if (example.path.empty()) continue;
        if (example.method.empty()) example.method = example.body.empty() ? "GET" : "POST";
        examples.push_back(std::move(example));
    }
    return examples;
}

}  // namespace agenthost::api
