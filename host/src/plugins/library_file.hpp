// A plugin library as a file on disk: which build of it is there (so a
// rebuild is noticed), and a private copy to load when the process already
// has an older build of the same path mapped.
#pragma once

#include <string>

namespace agenthost::plugins {

// Which file is at a path: a rebuild (the linker writes a new file, `cp`
// rewrites the old one) changes at least one of these.
struct LibraryIdentity {
    unsigned long long device = 0, inode = 0;
    long long size = -1;
    long long modified_ns = 0;

    bool exists() const { return size >= 0; }
    bool operator==(const LibraryIdentity& other) const {
        return device == other.device && inode == other.inode && size == other.size &&
               modified_ns == other.modified_ns;
    }
    bool operator!=(const LibraryIdentity& other) const { return !(*this == other); }
    std::string text() const;  // for fingerprints and logs
};

// The identity of the file at `path` now (size -1 when it cannot be read).
LibraryIdentity identify_library(const std::string& path);

// True when this process has a library mapped under exactly `path`: opening
// the path again would hand back that old build, whatever is on disk now.
bool library_path_loaded(const std::string& path);

// A private, already unlinked copy of `path` to open instead: a hidden file
// beside the original (so $ORIGIN dependencies still resolve), or an
// anonymous memory file where that folder is not writable. The returned
// path stays valid until `release_private_copy` after the load. Empty, with
// `error` set, when neither works.
std::string make_private_copy(const std::string& path, std::string& error);
void release_private_copy(const std::string& copy_path);

}  // namespace agenthost::plugins
