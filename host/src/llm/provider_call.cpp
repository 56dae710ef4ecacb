#include "llm/provider_call.hpp"

#include "telemetry/host_spans.hpp"
#include "util/log.hpp"

#include <random>
#include <thread>

namespace agenthost::llm {
namespace {

std::mt19937_64& random_engine() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

std::optional<long long> retry_after_of(const HttpReply& reply) {
    // OpenAI also sends the wait in milliseconds.
    std::string ms = reply.header("retry-after-ms");
    if (!ms.empty()) {
        if (auto seconds = parse_retry_after(ms)) return *seconds / 1000;
    }
    std::string value = reply.header("retry-after");
    if (value.empty()) return std::nullopt;
    return parse_retry_after(value);
}

std::string attempts_text(int attempts) {
    return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

}  // namespace

std::string redact(std::string text, const std::string& secret, size_t limit) {
    if (!secret.empty()) {
        for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
            text.replace(at, secret.size(), "[redacted]");
    }
    for (char& c : text)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (text.size() > limit) {
        text.resize(limit);
        text += "...";
    }
    return text;
}

ProviderCall json_call(const std::string& provider, const LlmSettings& settings, const std::string& secret,
                       std::string base_url, const std::string& path, bool stream) {
    ProviderCall call;
    call.provider = provider;
    call.policy = {settings.max_retries, settings.retry_base_ms, settings.retry_max_ms};
    call.secret = secret;
    while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
    call.post.url = base_url + path;
    call.post.connect_timeout_ms = settings.connect_timeout_ms;
    call.post.timeout_ms = settings.timeout_ms;
    call.post.headers.emplace_back("Content-Type", "application/json");
    call.post.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
    telemetry::add_traceparent(call.post.headers);  // the LLM call's span (LlmService::complete)
    return call;
}

CompletionResponse run_provider_call(const ProviderCall& call) {
    const int attempts_allowed = 1 + std::max(0, call.policy.max_retries);
    std::string last_problem;
    int last_status = 0;
    bool reached = false;
    for (int attempt = 1; attempt <= attempts_allowed; ++attempt) {
        std::unique_ptr<StreamDecoder> decoder = call.new_decoder ? call.new_decoder() : nullptr;
        std::string protocol_problem;
        OnChunk on_chunk;
        if (decoder) {
            on_chunk = [&](std::string_view bytes) {
                try {
                    decoder->feed(bytes);
                    return true;
                } catch (const ProtocolError& e) {
                    protocol_problem = e.what();
                    return false;
                }
            };
        }
        HttpReply reply = http_post(call.post, on_chunk);
        last_status = reply.status;
        reached = reached || reply.status != 0;
        bool success_status = reply.status >= 200 && reply.status < 300;

        if (success_status && !protocol_problem.empty())
            throw ProviderError(call.provider + ": malformed stream from " + call.post.url + " (HTTP " +
                                    std::to_string(reply.status) + "): " + redact(protocol_problem, call.secret),
                                reply.status, true);
        if (success_status && !reply.transport_error()) {
            if (decoder) {
                if (decoder->done()) return decoder->response();
                if (decoder->delivered() > 0)
                    throw ProviderError(call.provider + ": the stream ended after " +
                                            std::to_string(decoder->delivered()) +
                                            " tokens without its end marker; the answer is incomplete",
                                        reply.status, true);
                last_problem = "the stream ended before its end marker";
            } else {
                try {
                    return call.parse_body(reply.body);
                } catch (const ProtocolError& e) {
                    throw ProviderError(call.provider + ": malformed response (HTTP " + std::to_string(reply.status) +
                                            "): " + redact(e.what(), call.secret),
                                        reply.status, true);
                }
            }
        } else if (success_status && decoder && decoder->delivered() > 0) {
            // Cut mid-stream: the caller already has part of an answer.
            throw ProviderError(call.provider + ": the stream was cut after " + std::to_string(decoder->delivered()) +
                                    " tokens (" + redact(reply.error, call.secret) + "); the answer is incomplete",
                                reply.status, true);
        } else if (reply.transport_error()) {
            last_problem = redact(reply.error, call.secret);
            if (reply.status != 0) last_problem = "HTTP " + std::to_string(reply.status) + ", then " + last_problem;
        } else {
            last_problem = "HTTP " + std::to_string(reply.status);
            std::string body = redact(reply.body, call.secret, 200);
            if (!body.empty()) last_problem += ": " + body;
            if (!RetryPolicy::retryable(reply.status, false))
                throw ProviderError(call.provider + ": " + last_problem, reply.status, true);
        }
        // A cancelled run wants no answer: no retry, no wait.
        if (transfer_cancelled())
            throw ProviderError(call.provider + ": the call was cancelled with its run", reply.status, reached);
        if (attempt == attempts_allowed) break;
        auto wait = call.policy.delay(attempt, retry_after_of(reply), random_engine());
        log::warn("llm call failed; retrying", {{"provider", call.provider},
                                                {"status", reply.status},
                                                {"attempt", attempt},
                                                {"retry_in_ms", static_cast<long long>(wait.count())},
                                                {"problem", last_problem}});
        if (call.sleep) call.sleep(wait);
        else std::this_thread::sleep_for(wait);
    }
    throw ProviderError(call.provider + ": gave up after " + attempts_text(attempts_allowed) + "; last: " + last_problem,
                        last_status, reached && last_status != 0);
}

}  // namespace agenthost::llm
