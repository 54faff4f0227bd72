//! Response data structs: decoded leniently, every field optional unless the spec
//! says it is always present.

use aimis_spec::Spec;
use proc_macro2::TokenStream;
use quote::quote;

use crate::rust::{def_ident, doc, field_ident, type_ident, value_type};

pub fn generate(spec: &Spec) -> TokenStream {
    let structs = spec.structs.iter().map(|s| {
        let ident = type_ident(&s.name);
        let def = def_ident(&s.name, "");
        let docs = doc(&s.doc);
        let fields = s.fields.iter().map(|f| {
            let name = field_ident(f);
            let wire = &f.name;
            let docs = doc(&f.doc);
            // Sensitive data is `Pii`: masked in Debug, zeroized on drop.
            let ty = if f.sensitive { quote!(::aimis::Pii) } else { value_type(&f.ty) };
            let ty = if f.required { ty } else { quote!(::std::option::Option<#ty>) };
            quote! { #docs #[serde(rename = #wire)] pub #name: #ty, }
        });
        quote! {
            #docs
            #[derive(Clone, Debug, Default, PartialEq, ::aimis::__private::serde::Serialize, ::aimis::__private::serde::Deserialize)]
            #[serde(crate = "::aimis::__private::serde")]
            #[non_exhaustive]
            pub struct #ident { #(#fields)* }

            impl #ident {
                /// The spec's definition.
                pub const DEF: &'static ::aimis::registry::StructDef = &__defs::#def;
            }
        }
    });
    quote! { #(#structs)* }
}
