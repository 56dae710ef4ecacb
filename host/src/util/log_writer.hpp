// The log's hand-off to its own thread: request threads append a finished
// line to a bounded batch and go on, and one writer thread formats and
// writes whole batches, so a request pays for a short lock instead of the
// formatting and the write(2) (the access log is a line per request).
//
// Nothing is dropped: when `capacity` lines wait, a caller blocks until the
// writer has taken them, and the writer reports how many calls had to wait.
// Every line reaches the sink within `max_delay` (the writer wakes on that
// period, or at once for warnings and errors and for a full-enough batch),
// and stop() writes everything still queued.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agenthost::log {

struct PendingLine {
    std::chrono::system_clock::time_point time;  // when it was logged, not written
    int level = 0;                               // the caller's level, passed through
    std::string text;
};

class LineWriter {
  public:
    // Writes one batch in order and makes it visible (flushes); called on the
    // writer thread only.
    using Sink = std::function<void(std::vector<PendingLine>& batch)>;

    struct Options {
        size_t capacity = 65536;   // lines queued before callers wait
        size_t wake_batch = 1024;  // a batch this large wakes the writer early
        std::chrono::milliseconds max_delay{200};
        int urgent_level = 2;      // lines at this level or above wake it at once
        // The line that says callers had to wait (`count` more since the
        // last report), written after the batch that made them wait.
        std::function<PendingLine(size_t count)> report_waits;
    };

    LineWriter(Sink sink, Options options);
    ~LineWriter();  // stop()
    LineWriter(const LineWriter&) = delete;
    LineWriter& operator=(const LineWriter&) = delete;

    void push(PendingLine line);
    // Writes what is queued and ends the thread; later pushes are written
    // by the caller itself, synchronously.
    void stop();

    // Calls to push() that found the queue full and waited (since start).
    size_t waited() const;

  private:
    void run();

    Sink sink_;
    Options options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_writer_, room_;
    std::vector<PendingLine> pending_;
    bool stopping_ = false, stopped_ = false, writer_idle_ = false;
    size_t waited_ = 0, waited_reported_ = 0;
    std::thread thread_;
};

}  // namespace agenthost::log
