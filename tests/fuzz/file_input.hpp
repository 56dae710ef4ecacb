// Parsers that read a file: the fuzz input is written to one first.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

inline std::string write_fuzz_file(const uint8_t* data, size_t size, const char* name) {
    static const std::string path = std::string("/tmp/agenthost-fuzz-") + std::to_string(::getpid()) + "-" + name;
    FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) return "";
    std::fwrite(data, 1, size, file);
    std::fclose(file);
    return path;
}
