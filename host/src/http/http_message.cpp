#include "http/http_message.hpp"

namespace agenthost::http {
namespace {
const std::string kEmpty;
}

const std::string& HttpRequest::header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? kEmpty : found->second;
}

const std::string& HttpRequest::param(const std::string& name) const {
    auto found = params.find(name);
    return found == params.end() ? kEmpty : found->second;
}

}  // namespace agenthost::http
