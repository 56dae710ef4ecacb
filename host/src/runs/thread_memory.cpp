#include "runs/thread_memory.hpp"

#include <stdexcept>

namespace agenthost::runs {

std::optional<std::string> ThreadMemory::get(const std::string& thread_id, const std::string& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto thread = threads_.find(thread_id);
    if (thread == threads_.end()) return std::nullopt;
    auto value = thread->second.values.find(key);
    if (value == thread->second.values.end()) return std::nullopt;
    return value->second;
}

void ThreadMemory::put(const std::string& thread_id, const std::string& key, std::string value_json) {
    std::lock_guard<std::mutex> lock(mutex_);
    Thread& thread = threads_[thread_id];
    auto existing = thread.values.find(key);
    size_t old_size = existing == thread.values.end() ? 0 : key.size() + existing->second.size();
    size_t new_bytes = thread.bytes - old_size + key.size() + value_json.size();
    if (new_bytes > max_bytes_)
        throw std::length_error("run memory of thread " + thread_id + " would exceed " + std::to_string(max_bytes_) +
                                " bytes");
    thread.values[key] = std::move(value_json);
    thread.bytes = new_bytes;
}

}  // namespace agenthost::runs
