//! The `SERVICE` static: the spec as data for the dynamic layers (C, Python, CLI, sim).

use aimis_spec::{AuthEncoding, Field, MessagePart, Padding, Spec, TimestampUnit, Type, names};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::rust::def_ident;

pub fn generate(spec: &Spec) -> TokenStream {
    let r = quote!(::aimis::registry);
    let enum_defs = spec.enums.iter().map(|e| {
        enum_def(
            &e.name,
            &e.doc,
            e.values.iter().map(|v| (v.value, &v.name, &v.doc)),
        )
    });
    let api_code = enum_def(
        "ApiCode",
        "The platform's well-known error codes.",
        spec.errors.iter().map(|e| (e.code, &e.name, &e.doc)),
    );
    let struct_defs = spec.structs.iter().map(|s| {
        let ident = def_ident(&s.name, "");
        let fields_ident = def_ident(&s.name, "_FIELDS");
        let (name, doc) = (&s.name, &s.doc);
        let fields = field_defs(&s.fields);
        quote! {
            pub const #fields_ident: &[#r::FieldDef] = &[#(#fields),*];
            pub const #ident: #r::StructDef = #r::StructDef::__new(#name, #doc, #fields_ident);
        }
    });
    let endpoint_defs = spec.endpoints.iter().map(|e| {
        let ident = def_ident(&e.name, "_ENDPOINT");
        let request = format_ident!("{}Request", names::pascal(&e.name));
        let fields_ident = def_ident(&request.to_string(), "_FIELDS");
        let fields = field_defs(&e.request);
        let response = type_ref(&e.response);
        let (name, title, doc, method, path) = (&e.name, &e.title, &e.doc, &e.method, &e.path);
        quote! {
            pub const #fields_ident: &[#r::FieldDef] = &[#(#fields),*];
            pub const #ident: #r::EndpointDef = #r::EndpointDef::__new(
                #name, #title, #doc, #method, #path, #fields_ident, #response,
            );
        }
    });
    let callback_defs = spec.callbacks.iter().map(|c| {
        let ident = def_ident(&c.name, "_CALLBACK");
        let typed = format_ident!("{}", names::callback_type(&c.name));
        let fields_ident = def_ident(&typed.to_string(), "_FIELDS");
        let fields = field_defs(&c.fields);
        let (name, title, doc) = (&c.name, &c.title, &c.doc);
        quote! {
            pub const #fields_ident: &[#r::FieldDef] = &[#(#fields),*];
            pub const #ident: #r::CallbackDef =
                #r::CallbackDef::__new(#name, #title, #doc, #fields_ident);
        }
    });
    let enum_refs = spec.enums.iter().map(|e| def_ident(&e.name, ""));
    let struct_refs = spec.structs.iter().map(|s| def_ident(&s.name, ""));
    let endpoint_refs = spec
        .endpoints
        .iter()
        .map(|e| def_ident(&e.name, "_ENDPOINT"));
    let callback_refs = spec
        .callbacks
        .iter()
        .map(|c| def_ident(&c.name, "_CALLBACK"));
    let error_codes = spec.errors.iter().map(|e| {
        let (code, name, doc) = (e.code, &e.name, &e.doc);
        let rate_limit = e.rate_limit;
        quote! { #r::ErrorCodeDef::__new(#code, #name, #doc, #rate_limit) }
    });
    let base_urls = spec
        .service
        .base_urls
        .iter()
        .map(|(name, url)| quote! { (#name, #url) });
    let (service_name, service_doc) = (&spec.service.name, &spec.service.doc);
    let auth = &spec.auth;
    let (app_id_header, timestamp_header, signature_header) = (
        &auth.app_id_header,
        &auth.timestamp_header,
        &auth.signature_header,
    );
    let message = auth.message.iter().map(|part| match part {
        MessagePart::AppId => quote!(#r::MessagePart::AppId),
        MessagePart::Timestamp => quote!(#r::MessagePart::Timestamp),
    });
    let auth_encoding = encoding(auth.encoding);
    let timestamp = match auth.timestamp {
        TimestampUnit::UnixMillis => quote!(#r::TimestampUnit::UnixMillis),
        TimestampUnit::UnixSeconds => quote!(#r::TimestampUnit::UnixSeconds),
    };
    let max_skew = auth.max_skew_seconds;
    let padding = match spec.cipher.padding {
        Padding::Pkcs7 => quote!(#r::Padding::Pkcs7),
        Padding::Zero => quote!(#r::Padding::Zero),
    };
    let cipher_encoding = encoding(spec.cipher.encoding);
    let env = &spec.envelope;
    let (code, message_name, data, success, success_message) = (
        &env.code,
        &env.message,
        &env.data,
        env.success,
        &env.success_message,
    );
    quote! {
        /// The spec as data: every endpoint, field, enum and rule, for code that works
        /// with any endpoint by name.
        pub static SERVICE: #r::Service = #r::Service::__new(
            #service_name,
            #service_doc,
            &[#(#base_urls),*],
            #r::AuthScheme::__new(
                #app_id_header,
                #timestamp_header,
                #signature_header,
                &[#(#message),*],
                #auth_encoding,
                #timestamp,
                #max_skew,
            ),
            #r::CipherScheme::__new(#padding, #cipher_encoding),
            #r::Envelope::__new(#code, #message_name, #data, #success, #success_message),
            &[#(#error_codes),*],
            &[#(&__defs::#enum_refs),*],
            &[#(&__defs::#struct_refs),*],
            &[#(__defs::#endpoint_refs),*],
            &[#(__defs::#callback_refs),*],
        );

        /// The definitions `SERVICE` is made of.
        #[doc(hidden)]
        pub mod __defs {
            #(#enum_defs)*
            #api_code
            #(#struct_defs)*
            #(#endpoint_defs)*
            #(#callback_defs)*
        }
    }
}

fn enum_def<'a>(
    name: &str,
    doc: &str,
    values: impl Iterator<Item = (i64, &'a String, &'a String)>,
) -> TokenStream {
    let ident = def_ident(name, "");
    let values = values.map(|(value, name, doc)| {
        quote! { ::aimis::registry::EnumValueDef::__new(#value, #name, #doc) }
    });
    quote! {
        pub const #ident: ::aimis::registry::EnumDef =
            ::aimis::registry::EnumDef::__new(#name, #doc, &[#(#values),*]);
    }
}

fn field_defs(fields: &[Field]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|f| {
            let (name, snake, doc, required, encrypted, sensitive) = (
                &f.name,
                &f.snake,
                &f.doc,
                f.required,
                f.encrypted,
                f.sensitive,
            );
            let ty = type_ref(&f.ty);
            let not_before = match &f.not_before {
                Some(other) => quote!(Some(#other)),
                None => quote!(None),
            };
            quote! {
                ::aimis::registry::FieldDef::__new(
                    #name, #snake, #ty, #doc, #required, #encrypted, #sensitive, #not_before,
                )
            }
        })
        .collect()
}

fn type_ref(ty: &Type) -> TokenStream {
    let r = quote!(::aimis::registry::TypeRef);
    match ty {
        Type::String => quote!(#r::String),
        Type::Int => quote!(#r::Int),
        Type::DateTime => quote!(#r::DateTime),
        Type::Enum(name) => {
            let ident = def_ident(name, "");
            quote!(#r::Enum(&#ident))
        }
        Type::Struct(name) => {
            let ident = def_ident(name, "");
            quote!(#r::Struct(&#ident))
        }
        Type::List(inner) => {
            let inner = type_ref(inner);
            quote!(#r::List(&#inner))
        }
    }
}

fn encoding(encoding: AuthEncoding) -> TokenStream {
    match encoding {
        AuthEncoding::HexLower => quote!(::aimis::registry::TextEncoding::HexLower),
        AuthEncoding::HexUpper => quote!(::aimis::registry::TextEncoding::HexUpper),
        AuthEncoding::Base64 => quote!(::aimis::registry::TextEncoding::Base64),
    }
}
