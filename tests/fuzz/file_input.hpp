// Parsers that read a file: the fuzz input is written to one first.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

// One file per harness process, rewritten for each input and removed when
// the process exits (libFuzzer ends with exit(), which runs this), so that
// runs of make fuzz and CI's corpus replays leave nothing in /tmp.
struct FuzzFile {
    std::string path;
    ~FuzzFile() { std::remove(path.c_str()); }
};

inline std::string write_fuzz_file(const uint8_t* data, size_t size, const char* name) {
    static const FuzzFile file{std::string("/tmp/agenthost-fuzz-") + std::to_string(::getpid()) + "-" + name};
    FILE* out = std::fopen(file.path.c_str(), "wb");
    if (out == nullptr) return "";
    std::fwrite(data, 1, size, out);
    std::fclose(out);
    return file.path;
}
