// A path that does not exist, relative to the invoking crate's manifest: the error says
// where the macro looked.

aimis_macros::api!("tests/ui/specs/no_such_spec.toml");

fn main() {}
