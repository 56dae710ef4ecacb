#include "plugins/library_file.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace agenthost::plugins {
namespace {

// Copies the whole of `from` into `to` (both open); false on a short copy.
bool copy_file_contents(int from, int to, off_t size) {
    off_t offset = 0;
    while (offset < size) {
        ssize_t sent = sendfile(to, from, &offset, static_cast<size_t>(size - offset));
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return false;
    }
    return true;
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

std::string LibraryIdentity::text() const {
    return std::to_string(device) + ":" + std::to_string(inode) + ":" + std::to_string(size) + ":" +
           std::to_string(modified_ns);
}

LibraryIdentity identify_library(const std::string& path) {
    LibraryIdentity identity;
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return identity;
    identity.device = info.st_dev;
    identity.inode = info.st_ino;
    identity.size = info.st_size;
    identity.modified_ns = static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
    return identity;
}

bool library_path_loaded(const std::string& path) {
    void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
    if (handle == nullptr) return false;
    dlclose(handle);  // drops only the reference RTLD_NOLOAD added
    return true;
}

std::string make_private_copy(const std::string& path, std::string& error) {
    int source = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (source < 0) {
        error = "cannot read " + path + ": " + errno_text();
        return {};
    }
    struct stat info {};
    if (fstat(source, &info) != 0) {
        error = "cannot read " + path + ": " + errno_text();
        close(source);
        return {};
    }
    static std::atomic<unsigned> counter{0};
    namespace fs = std::filesystem;
    fs::path original(path);
    std::string copy = (original.parent_path() / ("." + original.filename().string() + ".load-" +
                                                  std::to_string(getpid()) + "-" + std::to_string(++counter)))
                           .string();
    int target = open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0500);
    if (target >= 0) {
        bool copied = copy_file_contents(source, target, info.st_size);
        close(target);
        close(source);
        if (copied) return copy;
        unlink(copy.c_str());
        error = "cannot copy " + path + " to " + copy;
        return {};
    }
    // A read-only plugin folder: an anonymous file, opened by its /proc path.
    int memory = memfd_create(original.filename().c_str(), MFD_CLOEXEC);
    if (memory < 0 || !copy_file_contents(source, memory, info.st_size)) {
        error = "cannot copy " + path + " to a private file: " + errno_text();
        if (memory >= 0) close(memory);
        close(source);
        return {};
    }
    close(source);
    return "/proc/self/fd/" + std::to_string(memory);
}

void release_private_copy(const std::string& copy_path) {
    const std::string proc = "/proc/self/fd/";
    if (copy_path.rfind(proc, 0) == 0) {
        // The mapping keeps the memory file alive; the descriptor can go.
        close(std::stoi(copy_path.substr(proc.size())));
        return;
    }
    unlink(copy_path.c_str());
}

}  // namespace agenthost::plugins
