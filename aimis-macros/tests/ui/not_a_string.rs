// The macro takes the spec's path as one string literal.

aimis_macros::api!(spec / aimis.toml);

fn main() {}
