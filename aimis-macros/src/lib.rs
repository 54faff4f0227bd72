//! `api!("spec/aimis.toml")`: expands to the spec's types, client and registry.
//!
//! The path is relative to the manifest of the crate that invokes the macro. The spec is
//! tracked with `include_str!`, so editing it makes cargo rebuild. Mistakes in the spec
//! become compile errors, all of them at once, each naming the file, line and column.

use proc_macro::TokenStream;
use quote::quote_spanned;
use syn::{LitStr, parse_macro_input};

#[proc_macro]
pub fn api(input: TokenStream) -> TokenStream {
    let literal = parse_macro_input!(input as LitStr);
    let relative = literal.value();
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let path = std::path::Path::new(&root).join(&relative);
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(e) => {
            let message = format!("cannot read spec `{}`: {e}", path.display());
            return syn::Error::new(literal.span(), message)
                .to_compile_error()
                .into();
        }
    };
    match aimis_codegen::expand(&source, &relative, path.to_str()) {
        Ok(tokens) => tokens.into(),
        Err(diagnostics) => {
            let errors = diagnostics.0.iter().map(|d| {
                let message = d.to_string();
                quote_spanned! { literal.span() => ::core::compile_error!(#message); }
            });
            quote::quote! { #(#errors)* }.into()
        }
    }
}
