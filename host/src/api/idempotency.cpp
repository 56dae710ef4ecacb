#include "api/idempotency.hpp"

#include "api/run_json.hpp"
#include "http/api_error.hpp"

#include <openssl/sha.h>

#include <algorithm>

namespace agenthost::api {
namespace {

std::string sha256_hex(const std::string& text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : digest) {
        out += hex[byte >> 4];
        out += hex[byte & 15];
    }
    return out;
}

}  // namespace

std::optional<store::IdempotencyRecord> idempotency_claim(const http::HttpRequest& request, const std::string& endpoint,
                                                          int status_code) {
    const std::string& key = request.header("idempotency-key");
    if (request.headers.find("idempotency-key") == request.headers.end()) return std::nullopt;
    bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (key.empty() || key.size() > 255 || !printable)
        throw http::ApiError(422, "ValidationError",
                             "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces",
                             {{"Idempotency-Key", "must be 1 to 255 printable ASCII characters without spaces"}});
    store::IdempotencyRecord claim;
    // Keys are the caller's own: one principal's key never answers with
    // another's resource (and with auth off, everyone is one caller).
    claim.scope = request.principal.authenticated() ? request.principal.tenant + "/" + request.principal.id : "";
    claim.key = key;
    claim.endpoint = endpoint;
    claim.fingerprint = sha256_hex(endpoint + "\n" + request.body);
    claim.status_code = status_code;
    return claim;
}

bool answered_from_earlier(ApiContext& context, const std::optional<store::IdempotencyRecord>& claim,
                           const std::string& request_id, const http::Responder& responder, const Replay& replay) {
    if (!claim) return false;
    std::optional<store::IdempotencyRecord> earlier;
    try {
        earlier = context.runs.find_idempotency(claim->scope, claim->key);
    } catch (const store::StoreUnavailable& e) {
        responder.send(http::error_response(store_error(e.what()), request_id));
        return true;
    }
    if (!earlier) return false;
    if (earlier->fingerprint != claim->fingerprint) {
        responder.send(http::error_response(
            422, "IdempotencyKeyReused",
            "Idempotency-Key '" + claim->key + "' was used with a different request (" + earlier->endpoint +
                ", created " + earlier->resource_id + "); send a new key for a new request",
            request_id, {{"Idempotency-Key", "was used with a different request"}}));
        return true;
    }
    replay(*earlier, responder);
    return true;
}

}  // namespace agenthost::api
