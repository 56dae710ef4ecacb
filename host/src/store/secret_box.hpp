// Secrets at rest: webhook secrets are sealed with libsodium's secretbox
// (XSalsa20-Poly1305) before they reach the database and opened only where
// a delivery is signed. Sealed text is "sbx1:<key id>:<base64 nonce+box>";
// text without that prefix is a secret stored before sealing existed and is
// used as it is.
//
// The key is AGENTHOST_SECRET_KEY (32 bytes as 64 hex digits or base64), or
// else the file secret.key in the data directory, created with mode 0600 on
// first start. Keys listed in AGENTHOST_SECRET_KEY_PREVIOUS (comma-separated)
// still open what they sealed, so a key can be rotated without losing
// pending deliveries (README, "Secrets at rest").
#pragma once

#include <array>
#include <string>
#include <vector>

namespace agenthost::store {

class SecretBox {
  public:
    using Key = std::array<unsigned char, 32>;

    // No key: seal() and open() pass text through (unit tests of the store).
    SecretBox() = default;
    SecretBox(Key current, std::vector<Key> previous = {});

    // Idempotent: sealed text comes back unchanged. Empty stays empty.
    std::string seal(const std::string& plain) const;
    // Throws std::runtime_error when the text was sealed with a key this host
    // does not have, or was tampered with.
    std::string open(const std::string& stored) const;

    static bool is_sealed(const std::string& text);
    // The first 8 hex digits of SHA-256 of the current key ("" without one).
    const std::string& key_id() const { return current_id_; }
    // A key for another purpose (BLAKE2b keyed by the current key over the
    // purpose's name), so a signing key never doubles as the sealing key.
    // Without a key: a random one, good for this process only.
    Key derive_key(const std::string& purpose) const;

  private:
    struct Entry {
        Key key;
        std::string id;
    };
    bool has_key_ = false;
    Key current_{};
    std::string current_id_;
    std::vector<Entry> keys_;  // current first, then previous
};

// Reads the key from the environment or `data_dir`/secret.key (creating it
// when absent). Throws std::runtime_error with a message naming the source.
SecretBox load_secret_box(const std::string& data_dir);

// The box the store seals and opens with; set once at start, before the
// store opens (until then, and in the store's own unit tests, text passes
// through unsealed).
void install_secret_box(SecretBox box);
const SecretBox& secret_box();

}  // namespace agenthost::store
