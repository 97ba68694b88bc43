// OpenSSL's libcrypto (Debian: libssl-dev), for SHA-256 through the EVP digest API.
// IRQTrace wraps it (SHA256Hasher); nothing else should import CCrypto.
#include <openssl/evp.h>
