// Every mistake in the spec is a compile error of its own, naming the spec file, line and
// column, the endpoint and field, and what was expected.

aimis_macros::api!("tests/ui/specs/several_mistakes.toml");

fn main() {}
