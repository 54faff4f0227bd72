//! The Rust generator of aimis: resolved spec in, Rust items out.
//!
//! The generated code stays thin: it declares types and wires them to the runtime in
//! crate `aimis` through `::aimis::__private`, where signing, encryption, HTTP and error
//! mapping live. `aimis-macros` is a shell around [`expand`]; tests call it directly and
//! pin its output.

mod data;
mod enums;
mod messages;
mod registry;
mod rust;

use aimis_spec::{Diagnostics, Spec};
use proc_macro2::TokenStream;
use quote::quote;

/// Parses the spec text and generates its items. `label` names the file in diagnostics;
/// `include_path`, when given, is the absolute path that `include_str!` tracks so that
/// cargo rebuilds when the spec changes.
pub fn expand(
    source: &str,
    label: &str,
    include_path: Option<&str>,
) -> Result<TokenStream, Diagnostics> {
    let spec = aimis_spec::parse(source, label)?;
    let tracked = include_path.map(|path| quote! { const _: &str = include_str!(#path); });
    let items = generate(&spec);
    Ok(quote! { #tracked #items })
}

/// Generates the items of a resolved spec.
pub fn generate(spec: &Spec) -> TokenStream {
    let enums = enums::generate(spec);
    let data = data::generate(spec);
    let messages = messages::generate(spec);
    let registry = registry::generate(spec);
    quote! { #enums #data #messages #registry }
}
