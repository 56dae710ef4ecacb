#include "util/log_writer.hpp"

#include <utility>

namespace agenthost::log {

LineWriter::LineWriter(Sink sink, Options options) : sink_(std::move(sink)), options_(std::move(options)) {
    pending_.reserve(options_.wake_batch);
    thread_ = std::thread([this] { run(); });
}

LineWriter::~LineWriter() { stop(); }

void LineWriter::push(PendingLine line) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopped_) {
        // No writer thread any more (shutdown, static destruction): the
        // caller writes, still one batch at a time.
        std::vector<PendingLine> one;
        one.push_back(std::move(line));
        sink_(one);
        return;
    }
    if (pending_.size() >= options_.capacity) {
        ++waited_;
        wake_writer_.notify_one();
        room_.wait(lock, [this] { return pending_.size() < options_.capacity || stopped_; });
        if (stopped_) {
            std::vector<PendingLine> one;
            one.push_back(std::move(line));
            sink_(one);
            return;
        }
    }
    bool urgent = line.level >= options_.urgent_level;
    pending_.push_back(std::move(line));
    // Waking the writer costs a futex call; only lines that must not wait
    // for the period, and a batch worth writing, pay it.
    if (writer_idle_ && (urgent || pending_.size() >= options_.wake_batch)) {
        writer_idle_ = false;
        wake_writer_.notify_one();
    }
}

void LineWriter::run() {
    std::vector<PendingLine> batch;
    batch.reserve(options_.wake_batch);
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        if (pending_.empty() && !stopping_) {
            writer_idle_ = true;
            wake_writer_.wait_for(lock, options_.max_delay);
            writer_idle_ = false;
        }
        if (pending_.empty()) {
            if (stopping_) break;
            continue;
        }
        batch.swap(pending_);
        size_t new_waits = waited_ - waited_reported_;
        waited_reported_ = waited_;
        room_.notify_all();
        lock.unlock();
        if (new_waits > 0 && options_.report_waits) batch.push_back(options_.report_waits(new_waits));
        sink_(batch);
        batch.clear();
        // Lines that arrive while a batch is written go out in the next one
        // without waiting for the period (they are already late).
        lock.lock();
        if (!pending_.empty() && !stopping_ && pending_.size() < options_.wake_batch) {
            // A short pause lets a burst gather into one write.
            writer_idle_ = true;
            wake_writer_.wait_for(lock, std::chrono::milliseconds(1));
            writer_idle_ = false;
        }
    }
    stopped_ = true;
    room_.notify_all();
}

void LineWriter::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        wake_writer_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

size_t LineWriter::waited() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waited_;
}

}  // namespace agenthost::log
