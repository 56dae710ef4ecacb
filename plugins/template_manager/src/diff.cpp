// Unified diffs between two versions of a template. The common head and
// tail are cut first; the middle is a longest-common-subsequence table when
// it is small enough (templates are), else replaced whole, which is still a
// correct patch.
#include <algorithm>
#include <cstdint>

#include "templates.hpp"

namespace templates {
namespace {

constexpr std::size_t kMaxTable = 4'000'000;  // cells of the LCS table (16 MB)
constexpr std::size_t kContext = 3;

struct Edit {
    char op;  // ' ', '-', '+'
    std::size_t before_line;  // 0-based index in before (for ' ' and '-')
    std::size_t after_line;   // 0-based index in after (for ' ' and '+')
};

// Marks a last line that has no line break.
constexpr char kNoNewline = '\0';

struct Lines {
    std::vector<std::string> items;
};

Lines split(std::string_view text) {
    Lines lines;
    lines.items = lines_of(text);
    if (!text.empty() && text.back() == '\n') {
        lines.items.pop_back();  // the empty piece after the last break
    } else if (!text.empty()) {
        // A last line without its break differs from the same line with one.
        lines.items.back() += kNoNewline;
    } else {
        lines.items.clear();
    }
    return lines;
}

std::vector<Edit> edits(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::size_t head = 0;
    while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
    std::size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
    const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
    std::vector<Edit> out;
    for (std::size_t i = 0; i < head; ++i) out.push_back({' ', i, i});
    if ((n + 1) * (m + 1) <= kMaxTable) {
        // lcs[i][j]: longest common subsequence of a[head+i..] and b[head+j..].
        std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[head + i] == b[head + j]) {
                out.push_back({' ', head + i++, head + j++});
            } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
                out.push_back({'-', head + i++, head + j});  // removals first, as diff(1) shows them
            } else {
                out.push_back({'+', head + i, head + j++});
            }
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) out.push_back({'-', head + i, head});
        for (std::size_t j = 0; j < m; ++j) out.push_back({'+', head + n, head + j});
    }
    for (std::size_t k = 0; k < tail; ++k) out.push_back({' ', a.size() - tail + k, b.size() - tail + k});
    return out;
}

std::string range(std::size_t start, std::size_t count) {
    // Unified diff: 1-based start; an empty range names the line before it.
    std::size_t shown = count == 0 ? start : start + 1;
    return std::to_string(shown) + (count == 1 ? "" : "," + std::to_string(count));
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, const std::string& before_label,
                         const std::string& after_label) {
    if (before == after) return "";
    const Lines a = split(before), b = split(after);
    const std::vector<Edit> all = edits(a.items, b.items);
    std::string out = "--- " + before_label + "\n+++ " + after_label + "\n";
    std::size_t k = 0;
    while (k < all.size()) {
        // The next change, and the hunk around it (changes closer than
        // twice the context share one hunk).
        while (k < all.size() && all[k].op == ' ') ++k;
        if (k == all.size()) break;
        std::size_t start = k >= kContext ? k - kContext : 0;
        std::size_t end = k;
        std::size_t quiet = 0;
        while (end < all.size()) {
            quiet = all[end].op == ' ' ? quiet + 1 : 0;
            if (quiet > 2 * kContext) break;
            ++end;
        }
        // Trailing context: at most kContext unchanged lines.
        while (end > k && all[end - 1].op == ' ' && quiet-- > kContext) --end;
        std::size_t before_count = 0, after_count = 0;
        for (std::size_t i = start; i < end; ++i) {
            if (all[i].op != '+') ++before_count;
            if (all[i].op != '-') ++after_count;
        }
        out += "@@ -" + range(all[start].before_line, before_count) + " +" + range(all[start].after_line, after_count) +
               " @@\n";
        for (std::size_t i = start; i < end; ++i) {
            const Edit& edit = all[i];
            std::string text = edit.op != '+' ? a.items[edit.before_line] : b.items[edit.after_line];
            bool no_newline = !text.empty() && text.back() == kNoNewline;
            if (no_newline) text.pop_back();
            out += edit.op + text + "\n";
            if (no_newline) out += "\\ No newline at end of file\n";
        }
        k = end;
    }
    return out;
}

}  // namespace templates
