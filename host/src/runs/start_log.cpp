#include "runs/start_log.hpp"

#include "util/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace agenthost::runs {
namespace {

// Past this the log is rewritten with the runs still in flight.
constexpr size_t kCompactBytes = 4u << 20;

bool write_all(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

StartLog::StartLog(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        log::warn("cannot open the start log: a run claimed ahead of a free worker counts an attempt if the host dies",
                  {{"path", path_}, {"error", std::strerror(errno)}});
        return;
    }
    off_t size = ::lseek(fd_, 0, SEEK_END);
    bytes_ = size > 0 ? static_cast<size_t>(size) : 0;
}

StartLog::~StartLog() {
    if (fd_ >= 0) ::close(fd_);
}

void StartLog::record(const std::string& run_id) {
    if (fd_ < 0) return;
    std::string line = run_id + "\n";
    std::lock_guard<std::mutex> lock(mutex_);
    // O_APPEND: one write is one whole line, even beside other threads.
    if (write_all(fd_, line)) bytes_ += line.size();
}

void StartLog::compact_if_large(const std::set<std::string>& still_running) {
    if (fd_ < 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (bytes_ < kCompactBytes) return;
    std::string text;
    for (const std::string& id : still_running) text += id + "\n";
    // Rewritten beside the log, then renamed over it: a crash in between
    // leaves one whole log or the other, never a truncated one.
    std::string fresh = path_ + ".new";
    int fd = ::open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return;
    if (!write_all(fd, text) || ::rename(fresh.c_str(), path_.c_str()) != 0) {
        ::close(fd);
        ::unlink(fresh.c_str());
        return;
    }
    ::close(fd_);
    fd_ = fd;
    bytes_ = text.size();
}

std::set<std::string> StartLog::read() const {
    std::set<std::string> ids;
    if (path_.empty()) return ids;
    std::ifstream in(path_);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) ids.insert(line);
    return ids;
}

void StartLog::clear() {
    if (fd_ < 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (::ftruncate(fd_, 0) == 0) bytes_ = 0;
}

}  // namespace agenthost::runs
