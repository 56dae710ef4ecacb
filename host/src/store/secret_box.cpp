#include "store/secret_box.hpp"

#include <openssl/sha.h>
#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace agenthost::store {
namespace {

const std::string kPrefix = "sbx1:";

std::string key_id_of(const SecretBox::Key& key) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(key.data(), key.size(), digest);
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 4; ++i) {
        id += hex[digest[i] >> 4];
        id += hex[digest[i] & 15];
    }
    return id;
}

void ensure_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

// 64 hex digits, or base64 (standard or URL-safe, padded or not) of 32 bytes.
bool decode_key(std::string text, SecretBox::Key& key) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
    size_t length = 0;
    if (text.size() == 64 &&
        sodium_hex2bin(key.data(), key.size(), text.data(), text.size(), nullptr, &length, nullptr) == 0 &&
        length == key.size())
        return true;
    for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                        sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
        if (sodium_base642bin(key.data(), key.size(), text.data(), text.size(), nullptr, &length, nullptr, variant) ==
                0 &&
            length == key.size())
            return true;
    }
    return false;
}

std::string hex_of(const SecretBox::Key& key) {
    std::string out(key.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), key.data(), key.size());
    out.pop_back();
    return out;
}

SecretBox::Key key_from_file(const std::string& data_dir) {
    std::filesystem::create_directories(data_dir);
    std::string path = (std::filesystem::path(data_dir) / "secret.key").string();
    SecretBox::Key key{};
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        // First start: a new random key, readable by this user only.
        randombytes_buf(key.data(), key.size());
        std::string text = hex_of(key) + "\n";
        bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
        ::close(fd);
        if (!written) throw std::runtime_error("cannot write the secret key file " + path + ": " + std::strerror(errno));
        return key;
    }
    if (errno != EEXIST) throw std::runtime_error("cannot create the secret key file " + path + ": " + std::strerror(errno));
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0)
    {
        std::ostringstream mode;
        mode << std::oct << (info.st_mode & 0777);
        throw std::runtime_error("the secret key file " + path + " is open to other users (mode " + mode.str() +
                                 "); run chmod 600 on it");
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!decode_key(text.str(), key))
        throw std::runtime_error("the secret key file " + path + " does not hold a 32-byte key (64 hex digits)");
    return key;
}

std::unique_ptr<SecretBox>& installed() {
    static std::unique_ptr<SecretBox> box = std::make_unique<SecretBox>();
    return box;
}

}  // namespace

SecretBox::SecretBox(Key current, std::vector<Key> previous) : has_key_(true), current_(current) {
    ensure_sodium();
    current_id_ = key_id_of(current);
    keys_.push_back({current, current_id_});
    for (const Key& key : previous) keys_.push_back({key, key_id_of(key)});
}

SecretBox::Key SecretBox::derive_key(const std::string& purpose) const {
    ensure_sodium();
    Key derived{};
    if (!has_key_) {
        randombytes_buf(derived.data(), derived.size());
        return derived;
    }
    crypto_generichash(derived.data(), derived.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                       purpose.size(), current_.data(), current_.size());
    return derived;
}

bool SecretBox::is_sealed(const std::string& text) { return text.compare(0, kPrefix.size(), kPrefix) == 0; }

std::string SecretBox::seal(const std::string& plain) const {
    if (!has_key_ || plain.empty() || is_sealed(plain)) return plain;
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                          plain.size(), nonce, current_.data());
    std::string encoded(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(box.data()), box.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    encoded.resize(std::strlen(encoded.c_str()));
    return kPrefix + current_id_ + ":" + encoded;
}

std::string SecretBox::open(const std::string& stored) const {
    if (!is_sealed(stored)) return stored;
    size_t colon = stored.find(':', kPrefix.size());
    if (colon == std::string::npos) throw std::runtime_error("a sealed secret is malformed");
    std::string id = stored.substr(kPrefix.size(), colon - kPrefix.size());
    const Entry* entry = nullptr;
    for (const Entry& candidate : keys_)
        if (candidate.id == id) entry = &candidate;
    if (entry == nullptr)
        throw std::runtime_error("the secret was sealed with key " + id + ", which this host does not have (set "
                                 "AGENTHOST_SECRET_KEY or AGENTHOST_SECRET_KEY_PREVIOUS)");
    std::string encoded = stored.substr(colon + 1);
    std::string box(encoded.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), encoded.data(), encoded.size(),
                          nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        throw std::runtime_error("a sealed secret is malformed");
    const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
    size_t cipher_length = length - crypto_secretbox_NONCEBYTES;
    std::string plain(cipher_length - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                   cipher_length, nonce, entry->key.data()) != 0)
        throw std::runtime_error("a sealed secret failed its integrity check (tampered with, or a different key "
                                 "with the same id)");
    return plain;
}

SecretBox load_secret_box(const std::string& data_dir) {
    ensure_sodium();
    SecretBox::Key current{};
    const char* from_env = std::getenv("AGENTHOST_SECRET_KEY");
    if (from_env != nullptr && *from_env != '\0') {
        if (!decode_key(from_env, current))
            throw std::runtime_error("AGENTHOST_SECRET_KEY must be 32 bytes as 64 hex digits or base64");
    } else {
        current = key_from_file(data_dir);
    }
    std::vector<SecretBox::Key> previous;
    if (const char* old = std::getenv("AGENTHOST_SECRET_KEY_PREVIOUS"); old != nullptr && *old != '\0') {
        std::stringstream list(old);
        std::string item;
        while (std::getline(list, item, ',')) {
            SecretBox::Key key{};
            if (item.find_first_not_of(" \t") == std::string::npos) continue;
            if (!decode_key(item, key))
                throw std::runtime_error("AGENTHOST_SECRET_KEY_PREVIOUS must list 32-byte keys (64 hex digits or "
                                         "base64), comma-separated");
            previous.push_back(key);
        }
    }
    return SecretBox(current, previous);
}

void install_secret_box(SecretBox box) { installed() = std::make_unique<SecretBox>(std::move(box)); }

const SecretBox& secret_box() { return *installed(); }

}  // namespace agenthost::store
