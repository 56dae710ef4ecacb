#include "http/blocking_work.hpp"

#include "http/api_error.hpp"
#include "telemetry/trace_context.hpp"
#include "util/log.hpp"

#include <optional>

namespace agenthost::http {
namespace {

// The handler as the reactor thread would have run it: an ApiError is its
// envelope, anything else a 500 that never shows the exception's text.
void run_handler(const Handler& handler, const HttpRequest& request, const Responder& responder) {
    try {
        handler(request, responder);
    } catch (const ApiError& error) {
        responder.send(error_response(error, request.request_id));
    } catch (const std::exception& e) {
        log::error("handler failed", {{"request_id", request.request_id}, {"path", request.path}, {"error", e.what()}});
        responder.send(error_response(500, "InternalError",
                                      "internal error; see the host log for request " + request.request_id,
                                      request.request_id));
    }
}

}  // namespace

BlockingWork::BlockingWork(size_t threads, size_t queue_limit) : queue_limit_(std::max<size_t>(1, queue_limit)) {
    for (size_t i = 0; i < std::max<size_t>(1, threads); ++i) threads_.emplace_back([this] { loop(); });
}

BlockingWork::~BlockingWork() { stop(); }

void BlockingWork::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
}

Handler BlockingWork::wrap(Handler handler) {
    return [this, handler = std::move(handler)](const HttpRequest& request, Responder responder) {
        submit(request, responder, handler);
    };
}

Handler BlockingWork::wrap_when(std::function<bool(const HttpRequest&)> blocks, Handler handler) {
    return [this, blocks = std::move(blocks), handler = std::move(handler)](const HttpRequest& request,
                                                                           Responder responder) {
        if (blocks(request))
            submit(request, responder, handler);
        else
            handler(request, std::move(responder));
    };
}

void BlockingWork::submit(const HttpRequest& request, const Responder& responder, const Handler& handler) {
    std::optional<telemetry::TraceContext> trace;
    if (const telemetry::TraceContext* current = telemetry::current_context()) trace = *current;
    bool stopping = false;
    {
        std::lock_guard lock(mutex_);
        stopping = stopping_;
        if (!stopping_ && queue_.size() < queue_limit_) {
            queue_.emplace_back([request, responder, handler, trace] {
                std::optional<telemetry::ScopedContext> traced;
                if (trace) traced.emplace(*trace);
                run_handler(handler, request, responder);
            });
            wake_.notify_one();
            return;
        }
    }
    HttpResponse busy = error_response(503, "Busy",
                                       stopping ? "the host is stopping"
                                                 : "too many requests are waiting on outside services; try again shortly",
                                       request.request_id);
    busy.headers.emplace_back("Retry-After", "1");
    responder.send(std::move(busy));
}

void BlockingWork::loop() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            // Stopping still answers what was accepted into the queue.
            if (queue_.empty()) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        job();
    }
}

}  // namespace agenthost::http
