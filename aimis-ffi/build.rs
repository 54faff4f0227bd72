//! Gives the shared library an ELF soname, `libaimis.so.MAJOR`, so that programs linked
//! with `-laimis` keep loading it across compatible upgrades.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libaimis.so.{major}");
    }
}
