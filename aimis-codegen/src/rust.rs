//! Names and types as Rust spells them.

use aimis_spec::{Field, Type, names};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// A snake_case identifier, raw if it is a keyword (`type` -> `r#type`).
pub fn field_ident(field: &Field) -> Ident {
    syn::parse_str::<Ident>(&field.snake)
        .unwrap_or_else(|_| Ident::new_raw(&field.snake, Span::call_site()))
}

pub fn type_ident(name: &str) -> Ident {
    format_ident!("{}", names::pascal(name))
}

/// The `__defs` constant holding a definition: `StudyType` -> `STUDY_TYPE`.
pub fn def_ident(name: &str, suffix: &str) -> Ident {
    format_ident!("{}{}", names::shouty(name), suffix)
}

/// The Rust type of a value of this spec type, as held in the typed form.
pub fn value_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String | Type::DateTime => quote!(::std::string::String),
        Type::Int => quote!(i64),
        Type::Enum(name) | Type::Struct(name) => {
            let ident = type_ident(name);
            quote!(#ident)
        }
        Type::List(inner) => {
            let inner = value_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
    }
}

/// `#[doc = "..."]` lines for a doc text.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| format!(" {line}"));
    quote! { #(#[doc = #lines])* }
}
