#include "devkit/kubernetes_conventions.hpp"

namespace devkit::kubernetes {
namespace {

constexpr std::size_t max_label = 63;

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_dns_label(std::string_view name) {
    if (name.empty() || name.size() > max_label) return false;
    if (!lower_alnum(name.front()) || !lower_alnum(name.back())) return false;
    for (char c : name)
        if (!lower_alnum(c) && c != '-') return false;
    return true;
}

std::string to_dns_label(std::string_view name) {
    std::string label;
    bool dash = false;
    for (char c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (lower_alnum(c)) {
            if (dash && !label.empty()) label += '-';
            label += c;
            dash = false;
        } else {
            dash = true;
        }
    }
    if (label.size() > max_label) label.resize(max_label);
    while (!label.empty() && label.back() == '-') label.pop_back();
    return label;
}

}  // namespace devkit::kubernetes
