#include "http/http_message.hpp"

#include "util/utf8.hpp"

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

void Responder::send(HttpResponse response) const {
    if (response.content_type.find("json") != std::string::npos && !is_valid_utf8(response.body))
        response.body = with_invalid_utf8_replaced(response.body);
    channel_->send(std::move(response));
}

}  // namespace agenthost::http
