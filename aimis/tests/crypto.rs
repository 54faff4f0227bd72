//! Field encryption and signing against known answers from independent sources.

use aimis::{CryptoError, Error, decrypt_field, encrypt_field, sign};

const KEY: &str = "0123456789abcdef0123456789abcdef";

/// AES-256-ECB + PKCS#7 + lowercase hex. `hello` and the empty string are the vectors in
/// vendor/NOTES.md (wechatpay-php); the others were computed with Python's
/// `cryptography` package (OpenSSL).
const VECTORS: &[(&str, &str)] = &[
    ("", "8aa36241fde8df054dc325c6c695b89e"),
    ("hello", "a59c096412eecb79830021104f861307"),
    ("aaaaaaaaaaaaaaa", "4ad547dff3cb948acbdc8a39e0b1f1f2"),
    (
        "bbbbbbbbbbbbbbbb",
        "2533762e2f378d83a79783e875f694858aa36241fde8df054dc325c6c695b89e",
    ),
    (
        "ccccccccccccccccc",
        "9d75ebb0a49194e4484f69e8339296a928a065c27eaced36aefe50211a31b00c",
    ),
    ("13800138000", "554fb5befba4daabdb8169e45db64485"),
    (
        "110101199003074518",
        "54d06746028780ee9e414022a7ad71eaa9dd0e306656b47189bb9d505512670c",
    ),
    ("张三丰", "80a7113f30a3990dc00c0762aa2d21d3"),
];

#[test]
fn encryption_matches_independent_known_answers() {
    for (plain, hex) in VECTORS {
        assert_eq!(encrypt_field(KEY, plain).unwrap(), *hex, "{plain:?}");
        assert_eq!(decrypt_field(KEY, hex).unwrap(), *plain);
    }
}

#[test]
fn decryption_accepts_either_hex_case() {
    assert_eq!(
        decrypt_field(KEY, "A59C096412EECB79830021104F861307").unwrap(),
        "hello"
    );
    assert_eq!(
        decrypt_field(KEY, "A59c096412eEcb79830021104f861307").unwrap(),
        "hello"
    );
}

fn crypto_error(hex: &str) -> CryptoError {
    match decrypt_field(KEY, hex) {
        Err(Error::Crypto { error, .. }) => error,
        other => panic!("expected a crypto error, got {other:?}"),
    }
}

#[test]
fn each_decryption_failure_has_its_own_error() {
    assert_eq!(crypto_error("a59c0964zz"), CryptoError::BadEncoding("hex"));
    assert_eq!(crypto_error("a59"), CryptoError::BadEncoding("hex"));
    assert_eq!(crypto_error("a59c096412eecb79"), CryptoError::BadLength);
    assert_eq!(crypto_error(""), CryptoError::BadLength);
    // Another key: the padding comes out wrong.
    let other = encrypt_field("fedcba9876543210fedcba9876543210", "hello").unwrap();
    assert_eq!(crypto_error(&other), CryptoError::BadPadding);
    // Python `cryptography`: the bytes ff fe (not UTF-8), PKCS#7-padded and encrypted.
    assert_eq!(
        crypto_error("a985ab26974779444a9081969301d995"),
        CryptoError::NotUtf8
    );
}

#[test]
fn the_signature_is_lowercase_hex_hmac_sha256_of_app_id_and_timestamp() {
    // Python: hmac.new(token, b"demo-app1741338450000", hashlib.sha256).hexdigest()
    assert_eq!(
        sign("demo-app", KEY, "1741338450000").unwrap(),
        "e513e1744569991ada72c9d0f78a29b52a7f655c1e7b2c79abdae808b50dded0"
    );
}

#[test]
fn a_token_of_the_wrong_length_is_refused_by_every_entry_point() {
    for token in ["", "short", "0123456789abcdef0123456789abcdef0"] {
        assert!(matches!(
            encrypt_field(token, "x"),
            Err(Error::Config { .. })
        ));
        assert!(matches!(
            decrypt_field(token, "00"),
            Err(Error::Config { .. })
        ));
        assert!(matches!(sign("a", token, "1"), Err(Error::Config { .. })));
    }
    let message = encrypt_field("short", "x").unwrap_err().to_string();
    assert_eq!(
        message,
        "configuration: the token must be exactly 32 bytes, this one has 5"
    );
}

#[test]
fn a_timestamp_must_be_decimal() {
    assert!(matches!(
        sign("a", KEY, "17413384500x"),
        Err(Error::Validation { .. })
    ));
}
