//! The registry is read from any crate but built only by `api!`, and its enums may grow
//! kinds: elsewhere, a struct literal and a match without a `_` arm do not compile.

use aimis::registry::{EnumValueDef, TypeRef};

const ONE: EnumValueDef = EnumValueDef {
    value: 1,
    name: "One",
    doc: "The first.",
};

fn kind(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "text",
        TypeRef::Int => "integer",
        TypeRef::DateTime => "date and time",
        TypeRef::Enum(_) => "enum",
        TypeRef::Struct(_) => "struct",
        TypeRef::List(_) => "list",
    }
}

fn main() {
    println!("{} {}", ONE.name, kind(&TypeRef::Int));
}
