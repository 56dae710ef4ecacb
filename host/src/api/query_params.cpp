#include "api/query_params.hpp"

#include "http/api_error.hpp"

#include <algorithm>
#include <cctype>

namespace agenthost::api {

const std::string& query_value(const http::HttpRequest& request, const char* name) {
    static const std::string empty;
    auto found = request.query.find(name);
    return found == request.query.end() ? empty : found->second;
}

size_t bounded_number(const http::HttpRequest& request, const char* name, size_t fallback, size_t minimum,
                      size_t maximum) {
    auto found = request.query.find(name);
    if (found == request.query.end()) return fallback;
    const std::string& text = found->second;
    bool digits = !text.empty() && text.size() < 19 &&
                  std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    size_t value = digits ? std::stoull(text) : 0;
    if (!digits || value < minimum || value > maximum) {
        std::string rule = "must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum);
        throw http::ApiError(422, "ValidationError", std::string(name) + " " + rule, {{name, rule}});
    }
    return value;
}

void check_cursor(const std::string& cursor, const char* field) {
    size_t underscore = cursor.find('_');
    bool ok = underscore != std::string::npos && underscore > 0 && underscore < 16 &&
              std::all_of(cursor.begin(), cursor.begin() + static_cast<long>(underscore),
                          [](unsigned char c) { return std::isdigit(c); });
    if (!ok)
        throw http::ApiError(422, "ValidationError", std::string(field) + " is not one this API served",
                             {{field, "is invalid"}});
}

}  // namespace agenthost::api
