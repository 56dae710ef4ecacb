#include "http/url_encoding.hpp"

#include "util/percent_decode.hpp"

namespace agenthost::http {

std::map<std::string, std::string> parse_query(const std::string& query) {
    std::map<std::string, std::string> out;
    size_t start = !query.empty() && query[0] == '?' ? 1 : 0;
    while (start < query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        std::string pair = query.substr(start, end - start);
        if (!pair.empty()) {
            size_t equals = pair.find('=');
            std::string name = percent_decode(pair.substr(0, equals), true);
            std::string value = equals == std::string::npos ? "" : percent_decode(pair.substr(equals + 1), true);
            out.emplace(std::move(name), std::move(value));
        }
        start = end + 1;
    }
    return out;
}

}  // namespace agenthost::http
