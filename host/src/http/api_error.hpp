// The one error envelope: {"error", "message", "request_id", "details"}.
// Inside the HTTP layer a failure is thrown as ApiError; the dispatcher turns
// it into the envelope, so every error response has the same shape.
#pragma once

#include "http/http_message.hpp"
#include "json/schema_validator.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::http {

struct ErrorDetail {
    std::string field;
    std::string message;
};

class ApiError : public std::runtime_error {
  public:
    ApiError(int status, std::string type, const std::string& message, std::vector<ErrorDetail> details = {})
        : std::runtime_error(message), status(status), type(std::move(type)), details(std::move(details)) {}

    int status;
    std::string type;
    std::vector<ErrorDetail> details;
    std::vector<std::pair<std::string, std::string>> headers;
};

std::vector<ErrorDetail> to_details(const std::vector<json::Violation>& violations);

HttpResponse error_response(int status, const std::string& type, const std::string& message,
                            const std::string& request_id, const std::vector<ErrorDetail>& details = {});
HttpResponse error_response(const ApiError& error, const std::string& request_id);

}  // namespace agenthost::http
