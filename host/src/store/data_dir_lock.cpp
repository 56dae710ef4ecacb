#include "store/data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace agenthost::store {

DataDirLock::DataDirLock(const std::string& directory) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) throw std::runtime_error("cannot create data directory " + directory + ": " + error.message());
    std::string path = (std::filesystem::path(directory) / "agenthost.lock").string();
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        char holder[32] = {0};
        ssize_t got = pread(fd_, holder, sizeof holder - 1, 0);
        close(fd_);
        fd_ = -1;
        throw std::runtime_error("data directory " + directory + " is in use by another agenthost" +
                                 (got > 0 ? std::string(" (pid ") + holder + ")" : std::string()) +
                                 "; give each host its own --data-dir, or share PostgreSQL instead");
    }
    std::string pid = std::to_string(getpid());
    if (ftruncate(fd_, 0) == 0) (void)!pwrite(fd_, pid.data(), pid.size(), 0);
}

DataDirLock::~DataDirLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
}

}  // namespace agenthost::store
