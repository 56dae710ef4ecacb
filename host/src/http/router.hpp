// Maps (method, path) to a handler. Patterns use ":name" segments
// ("/agents/:name"); a path that matches with another method is a 405 with
// an Allow header, not a 404.
#pragma once

#include "http/http_message.hpp"

#include <functional>
#include <unordered_map>
#include <string>
#include <vector>

namespace agenthost::http {

using Handler = std::function<void(const HttpRequest&, Responder)>;

class Router {
  public:
    void add(const std::string& method, const std::string& pattern, Handler handler);
    void get(const std::string& pattern, Handler handler) { add("GET", pattern, std::move(handler)); }
    void post(const std::string& pattern, Handler handler) { add("POST", pattern, std::move(handler)); }

    // Fills request.params and calls the handler; throws ApiError 404/405.
    void dispatch(HttpRequest& request, const Responder& responder) const;

    // Each route's handler becomes wrap(method, pattern, handler): for a
    // decision that needs every route registered first.
    void rewrap(const std::function<Handler(const std::string& method, const std::string& pattern, Handler)>& wrap);
    // Every (method, pattern) in registration order: what GET /openapi.json
    // documents, so the document cannot miss a route.
    std::vector<std::pair<std::string, std::string>> table() const;

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
    // Routes without parameters, by "METHOD path": found without splitting
    // the path (the hot endpoints, such as /health, are such routes).
    std::unordered_map<std::string, const Route*> literal_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace agenthost::http
