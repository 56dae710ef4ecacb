#include "http/router.hpp"

#include "http/api_error.hpp"
#include "http/url_encoding.hpp"
#include "util/utf8.hpp"

#include <map>

namespace agenthost::http {
namespace {

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) return false;
    std::map<std::string, std::string> found;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (!pattern[i].empty() && pattern[i][0] == ':') found[pattern[i].substr(1)] = path[i];
        else if (pattern[i] != path[i]) return false;
    }
    params = std::move(found);
    return true;
}

// A parameter ("/runs/%FF") whose percent-decoding is not UTF-8 names
// nothing the host can hold, and a handler echoing it would write bytes that
// are not JSON: refused before any handler sees it, naming the parameter.
void refuse_invalid_utf8(const std::map<std::string, std::string>& params, const std::string& path) {
    for (const auto& [name, value] : params) {
        if (is_valid_utf8(value)) continue;
        throw ApiError(400, "InvalidPath", "the path is not valid UTF-8: its " + name + " segment in " + path +
                                               " decodes to bytes that are not UTF-8",
                       {{name, "is not valid UTF-8 once percent-decoded"}});
    }
}

}  // namespace

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    size_t start = 0;
    while (start < path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        if (end > start) segments.push_back(percent_decode(path.substr(start, end - start)));
        start = end + 1;
    }
    return segments;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
    routes_.push_back({method, pattern, split_path(pattern), std::move(handler)});
    literal_.clear();  // rebuilt below: push_back may have moved the handlers
    for (const Route& route : routes_) {
        bool has_params = false;
        std::string path;
        for (const auto& segment : route.segments) {
            has_params = has_params || (!segment.empty() && segment[0] == ':');
            path += "/" + segment;
        }
        if (!has_params) literal_[route.method + " " + (path.empty() ? "/" : path)] = &route;
    }
}

std::vector<std::pair<std::string, std::string>> Router::table() const {
    std::vector<std::pair<std::string, std::string>> entries;
    entries.reserve(routes_.size());
    for (const Route& route : routes_) entries.emplace_back(route.method, route.pattern);
    return entries;
}

void Router::rewrap(
    const std::function<Handler(const std::string& method, const std::string& pattern, Handler)>& wrap) {
    // In place: literal_ points into routes_.
    for (Route& route : routes_) route.handler = wrap(route.method, route.pattern, std::move(route.handler));
}

void Router::dispatch(HttpRequest& request, const Responder& responder) const {
    auto literal = literal_.find(request.method + " " + request.path);
    if (literal != literal_.end()) {
        responder.set_route(&literal->second->pattern);
        literal->second->handler(request, responder);
        return;
    }
    std::vector<std::string> segments = split_path(request.path);
    std::string allowed;
    for (const Route& route : routes_) {
        std::map<std::string, std::string> params;
        if (!match(route.segments, segments, params)) continue;
        if (route.method == request.method) {
            refuse_invalid_utf8(params, request.path);
            request.params = std::move(params);
            responder.set_route(&route.pattern);
            route.handler(request, responder);
            return;
        }
        if (allowed.find(route.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + route.method;
    }
    if (!allowed.empty()) {
        ApiError error(405, "MethodNotAllowed", request.method + " is not allowed on " + request.path + " (allowed: " + allowed + ")");
        error.headers.emplace_back("Allow", allowed);
        throw error;
    }
    throw ApiError(404, "NotFound", "no endpoint at " + request.path);
}

}  // namespace agenthost::http
