// `file` sources: tail a local file from a byte offset. The cursor is the
// file's inode and the offset read up to. A different inode under the path
// is a rotation: what was left unread in the old file is read first from
// <path>.1 (logrotate's usual rename) when that is still the old inode,
// then the new file from its start. A file shorter than the offset was
// truncated (copytruncate) and is read again from its start.
#include "json/json_util.hpp"
#include "signals/log_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace agenthost::signals {
namespace {

struct FileCursor {
    long long inode = 0;
    long long offset = 0;
};

FileCursor read_cursor(const std::string& cursor_json) {
    FileCursor cursor;
    std::string error;
    auto document = json::parse(cursor_json, error);
    if (document && document->IsObject()) {
        cursor.inode = json::get_int64(*document, "inode");
        cursor.offset = json::get_int64(*document, "offset");
    }
    return cursor;
}

std::string write_cursor(const FileCursor& cursor) {
    return "{\"inode\":" + std::to_string(cursor.inode) + ",\"offset\":" + std::to_string(cursor.offset) + "}";
}

std::string real_path(const std::string& path) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) return "";
    return resolved;
}

// The file's real path when it lies under one of the roots.
std::string allowed_path(const std::string& path, const PullSettings& settings) {
    if (settings.file_roots.empty())
        throw PullError("file sources are not read on this host: list their directory in signals.pull.file_roots");
    std::string real = real_path(path);
    if (real.empty()) throw PullError("cannot open " + path + ": " + std::strerror(errno));
    for (const std::string& root : settings.file_roots) {
        std::string real_root = real_path(root);
        if (real_root.empty()) continue;
        if (real == real_root || real.rfind(real_root == "/" ? "/" : real_root + "/", 0) == 0) return real;
    }
    throw PullError(path + " is not under signals.pull.file_roots");
}

struct OpenFile {
    int fd = -1;
    struct stat info {};
    ~OpenFile() {
        if (fd >= 0) ::close(fd);
    }
};

std::unique_ptr<OpenFile> open_file(const std::string& path) {
    auto file = std::make_unique<OpenFile>();
    file->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (file->fd < 0) return nullptr;
    if (::fstat(file->fd, &file->info) != 0 || !S_ISREG(file->info.st_mode)) return nullptr;
    return file;
}

// Reads complete lines from `offset`, at most `max_bytes`; moves `offset`.
// A rotated file grows no more: its last line counts without its newline.
std::vector<LogLine> read_lines(const OpenFile& file, long long& offset, size_t max_bytes, bool& more,
                                bool finished = false) {
    long long size = file.info.st_size;
    size_t wanted = static_cast<size_t>(std::min<long long>(size - offset, static_cast<long long>(max_bytes)));
    std::string data(wanted, '\0');
    size_t got = 0;
    while (got < wanted) {
        ssize_t n = ::pread(file.fd, data.data() + got, wanted - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw PullError(std::string("reading failed: ") + std::strerror(errno));
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    data.resize(got);
    // A line longer than a whole pull is taken as it is rather than waited on forever.
    bool full = got == max_bytes;
    size_t consumed = 0;
    bool to_end = offset + static_cast<long long>(got) >= size;
    std::vector<std::string> texts = complete_lines(data, finished && to_end, consumed);
    if (consumed == 0 && full) texts = complete_lines(data, true, consumed);
    offset += static_cast<long long>(consumed);
    more = offset < size && consumed > 0;
    std::vector<LogLine> lines;
    for (auto& text : texts) lines.push_back({std::move(text), 0, "{}"});
    return lines;
}

}  // namespace

PullBatch pull_file(const LogSourceConfig& source, const std::string& cursor_json, const PullSettings& settings) {
    std::string path = allowed_path(source.path, settings);
    auto file = open_file(path);
    if (!file) throw PullError("cannot open " + source.path + " as a regular file: " + std::strerror(errno));
    PullBatch batch;
    FileCursor cursor;
    if (cursor_json.empty()) {
        // The first pull: from the start only when asked, else what is new from now on.
        cursor.inode = static_cast<long long>(file->info.st_ino);
        cursor.offset = source.start_at == "beginning" ? 0 : static_cast<long long>(file->info.st_size);
    } else {
        cursor = read_cursor(cursor_json);
    }
    if (cursor.inode != static_cast<long long>(file->info.st_ino)) {
        // Rotated: finish the old file first if it is still there as <path>.1.
        auto old = open_file(path + ".1");
        if (old && static_cast<long long>(old->info.st_ino) == cursor.inode && old->info.st_size > cursor.offset) {
            batch.lines = read_lines(*old, cursor.offset, settings.max_bytes, batch.more, true);
            // Unread bytes of the old file (or a partial last line) leave the
            // rest for the next pull; either way the new file comes next.
            if (!batch.more) cursor = {static_cast<long long>(file->info.st_ino), 0};
            batch.more = true;
            batch.cursor_json = write_cursor(cursor);
            return batch;
        }
        cursor = {static_cast<long long>(file->info.st_ino), 0};
    }
    if (file->info.st_size < cursor.offset) cursor.offset = 0;  // truncated
    batch.lines = read_lines(*file, cursor.offset, settings.max_bytes, batch.more);
    batch.cursor_json = write_cursor(cursor);
    return batch;
}

}  // namespace agenthost::signals
