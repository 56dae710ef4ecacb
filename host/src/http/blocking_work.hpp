// Handlers that wait on another service (the LLM provider behind the
// assistant, GitHub's API) run here instead of on the HTTP server's few
// reactor threads: four slow GitHub calls would otherwise hold every
// reactor thread and leave /health, /runs and every other request waiting.
// A fixed set of threads takes queued requests in order; when the queue is
// full a request is answered 503 `Busy` with Retry-After at once. The
// handler's trace context goes with it, so its outbound spans stay children
// of the HTTP request's span.
#pragma once

#include "http/http_message.hpp"
#include "http/router.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace agenthost::http {

class BlockingWork {
  public:
    BlockingWork(size_t threads, size_t queue_limit);
    ~BlockingWork();  // stop()
    // Takes no more work, answers what is queued, joins. Idempotent.
    void stop();
    BlockingWork(const BlockingWork&) = delete;
    BlockingWork& operator=(const BlockingWork&) = delete;

    // `handler` wrapped to run on these threads; exceptions become the
    // error envelope as on the reactor thread.
    Handler wrap(Handler handler);
    // `handler` here when `blocks(request)` says so, else on the calling
    // thread as it is.
    Handler wrap_when(std::function<bool(const HttpRequest&)> blocks, Handler handler);

  private:
    void submit(const HttpRequest& request, const Responder& responder, const Handler& handler);
    void loop();

    const size_t queue_limit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace agenthost::http
