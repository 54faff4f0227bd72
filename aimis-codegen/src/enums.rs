//! Spec enums and the platform's error codes, as Rust enums that keep unknown numbers.

use aimis_spec::{Enum, EnumValue, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::rust::{def_ident, doc, type_ident};

pub fn generate(spec: &Spec) -> TokenStream {
    let enums = spec.enums.iter().map(|e| one(e, "Unknown", true));
    let api_code = Enum {
        name: "ApiCode".into(),
        doc: "The platform's well-known error codes; other codes are kept as `Other`.".into(),
        values: spec
            .errors
            .iter()
            .map(|e| EnumValue {
                value: e.code,
                name: e.name.clone(),
                doc: e.doc.clone(),
            })
            .collect(),
    };
    // No default: no error code is a sensible one.
    let api_code = one(&api_code, "Other", false);
    quote! { #(#enums)* #api_code }
}

/// One enum; `with_default` makes its first value the `Default` (for request structs'
/// `..Default::default()`).
fn one(e: &Enum, fallback: &str, with_default: bool) -> TokenStream {
    let ident = type_ident(&e.name);
    let fallback = format_ident!("{fallback}");
    let def = def_ident(&e.name, "");
    let docs = doc(&e.doc);
    let variants: Vec<_> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let values: Vec<_> = e.values.iter().map(|v| v.value).collect();
    let names: Vec<_> = e.values.iter().map(|v| v.name.as_str()).collect();
    let declarations = e
        .values
        .iter()
        .zip(&variants)
        .enumerate()
        .map(|(i, (v, variant))| {
            let docs = doc(&format!("`{}`: {}", v.value, v.doc));
            let default = (with_default && i == 0).then(|| quote!(#[default]));
            quote! { #docs #default #variant, }
        });
    let derive_default = with_default.then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, #derive_default PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident {
            #(#declarations)*
            /// A number this version of the spec does not know, kept as received.
            #fallback(i64),
        }

        impl #ident {
            /// The values the spec knows, in its order.
            pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];
            /// The spec's definition.
            pub const DEF: &'static ::aimis::registry::EnumDef = &__defs::#def;

            /// The number on the wire.
            pub const fn code(self) -> i64 {
                match self { #(Self::#variants => #values,)* Self::#fallback(code) => code }
            }

            /// The value of a wire number; an unknown number is kept.
            pub const fn from_code(code: i64) -> Self {
                match code { #(#values => Self::#variants,)* other => Self::#fallback(other) }
            }

            /// The spec's name, or `None` for an unknown number.
            pub const fn name(self) -> ::std::option::Option<&'static str> {
                match self { #(Self::#variants => Some(#names),)* Self::#fallback(_) => None }
            }

            /// Whether the spec knows this value.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::#fallback(_))
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => ::std::write!(f, "{}", self.code()),
                }
            }
        }

        /// Parses a name in any case or spelling (`DoctorView`, `doctor_view`,
        /// `DOCTOR_VIEW`) or a number.
        impl ::std::str::FromStr for #ident {
            type Err = ::aimis::Error;
            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                ::aimis::__private::parse_enum(Self::DEF, text).map(Self::from_code)
            }
        }

        impl ::std::convert::From<#ident> for i64 {
            fn from(value: #ident) -> i64 { value.code() }
        }

        impl ::std::convert::From<i64> for #ident {
            fn from(code: i64) -> Self { Self::from_code(code) }
        }

        impl ::aimis::__private::serde::Serialize for #ident {
            fn serialize<S: ::aimis::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> ::aimis::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::aimis::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::aimis::__private::serde::Deserialize>::deserialize(d).map(Self::from_code)
            }
        }
    }
}
