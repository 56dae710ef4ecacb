#include "sql_tokens.hpp"

#include <cctype>

namespace dbagent {

std::vector<Token> tokenize_sql(std::string_view sql) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        const auto u = static_cast<unsigned char>(c);
        if (std::isspace(u)) {
            ++i;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            while (i < sql.size() && sql[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (c == '"' || c == '`' || c == '\'') {
            std::string text;
            std::size_t j = i + 1;
            while (j < sql.size()) {
                if (sql[j] == c) {
                    if (j + 1 < sql.size() && sql[j + 1] == c) {
                        text += c;
                        j += 2;
                        continue;
                    }
                    break;
                }
                text += sql[j++];
            }
            const std::size_t end = j < sql.size() ? j + 1 : sql.size();
            tokens.push_back({c == '\'' ? Token::literal : Token::identifier, c == '\'' ? std::string(sql.substr(i, end - i)) : text,
                              std::string(sql.substr(i, end - i))});
            i = end;
        } else if (std::isalpha(u) || c == '_' || u >= 128) {
            std::size_t j = i;
            while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_' || sql[j] == '$' ||
                                      static_cast<unsigned char>(sql[j]) >= 128))
                ++j;
            std::string raw(sql.substr(i, j - i));
            std::string lower = raw;
            for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            tokens.push_back({Token::word, lower, raw});
            i = j;
        } else if (std::isdigit(u)) {
            std::size_t j = i;
            while (j < sql.size() && (std::isdigit(static_cast<unsigned char>(sql[j])) || sql[j] == '.')) ++j;
            tokens.push_back({Token::number, std::string(sql.substr(i, j - i)), std::string(sql.substr(i, j - i))});
            i = j;
        } else if (c == '$') {
            std::size_t j = i + 1;
            while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
            if (j < sql.size() && sql[j] == '$') {
                const std::string tag(sql.substr(i, j - i + 1));
                const auto close = sql.find(tag, j + 1);
                const std::size_t end = close == std::string_view::npos ? sql.size() : close + tag.size();
                tokens.push_back({Token::literal, std::string(sql.substr(i, end - i)), std::string(sql.substr(i, end - i))});
                i = end;
            } else {
                tokens.push_back({Token::punct, std::string(sql.substr(i, j - i)), std::string(sql.substr(i, j - i))});
                i = j;
            }
        } else {
            // "::" stays one token so casts read back as written.
            std::size_t len = (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') ? 2 : 1;
            tokens.push_back({Token::punct, std::string(sql.substr(i, len)), std::string(sql.substr(i, len))});
            i += len;
        }
    }
    return tokens;
}

std::string join_tokens(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t i = begin; i < end && i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        const bool tight_before = t.is_punct(')') || t.is_punct(',') || t.text == "::" || t.is_punct('(') ||
                                  (!out.empty() && (out.back() == '(' || out.back() == ':'));
        const bool word_paren = t.is_punct('(') && i > begin && tokens[i - 1].kind != Token::punct;
        if (!out.empty() && (!tight_before || (t.is_punct('(') && !word_paren))) out += ' ';
        out += t.kind == Token::identifier ? "\"" + t.text + "\"" : t.raw;
    }
    return out;
}

std::size_t matching_paren(const std::vector<Token>& tokens, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        if (tokens[i].is_punct('(')) ++depth;
        if (tokens[i].is_punct(')') && --depth == 0) return i;
    }
    return tokens.size();
}

std::vector<std::pair<std::size_t, std::size_t>> split_commas(const std::vector<Token>& tokens, std::size_t begin,
                                                              std::size_t end) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    int depth = 0;
    std::size_t start = begin;
    for (std::size_t i = begin; i < end; ++i) {
        if (tokens[i].is_punct('(')) ++depth;
        if (tokens[i].is_punct(')')) --depth;
        if (depth == 0 && tokens[i].is_punct(',')) {
            if (i > start) out.emplace_back(start, i);
            start = i + 1;
        }
    }
    if (end > start) out.emplace_back(start, end);
    return out;
}

std::string read_name(const std::vector<Token>& tokens, std::size_t& at) {
    std::string name;
    while (at < tokens.size() && tokens[at].is_name()) {
        name = tokens[at].text;
        ++at;
        if (at + 1 < tokens.size() && tokens[at].is_punct('.') && tokens[at + 1].is_name()) {
            ++at;
            continue;
        }
        break;
    }
    return name;
}

}  // namespace dbagent
