//! Requests and callbacks: the typed form with patient data in the clear, the wire form
//! with encrypted fields as ciphertext, and the `Message` impl that converts between them.

use aimis_spec::{Field, Spec, Type, names};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::rust::{def_ident, doc, field_ident, type_ident, value_type};

pub fn generate(spec: &Spec) -> TokenStream {
    let mut typed = Vec::new();
    let mut wire = Vec::new();
    for endpoint in &spec.endpoints {
        let ident = format_ident!("{}Request", names::pascal(&endpoint.name));
        let title = format!("{}: {}\n\n{}", endpoint.title, endpoint.name, endpoint.doc);
        let response = value_type(&endpoint.response);
        let def = def_ident(&endpoint.name, "_ENDPOINT");
        let (t, w) = message(&ident, &title, &endpoint.request, false);
        typed.push(quote! {
            #t
            impl ::aimis::message::Request for #ident {
                type Response = #response;
                const ENDPOINT: &'static ::aimis::registry::EndpointDef = &__defs::#def;
            }
        });
        wire.push(w);
    }
    for callback in &spec.callbacks {
        let ident = format_ident!("{}", names::callback_type(&callback.name));
        let title = format!("{}: {}\n\n{}", callback.title, callback.name, callback.doc);
        let def = def_ident(&callback.name, "_CALLBACK");
        let (t, w) = message(&ident, &title, &callback.fields, true);
        typed.push(quote! {
            #t
            impl ::aimis::message::Callback for #ident {
                const CALLBACK: &'static ::aimis::registry::CallbackDef = &__defs::#def;
            }
        });
        wire.push(w);
    }
    client(spec, typed, wire)
}

/// The typed form, its wire form and the `Message` impl of one field list.
fn message(
    ident: &Ident,
    title: &str,
    fields: &[Field],
    serialize: bool,
) -> (TokenStream, TokenStream) {
    let docs = doc(title);
    let fields_def = def_ident(&ident.to_string(), "_FIELDS");
    let typed_fields = fields.iter().map(|f| declaration(f, typed_type(f)));
    let wire_fields = fields.iter().map(|f| declaration(f, wire_type(f)));
    let seal = fields.iter().map(|f| {
        let name = field_ident(f);
        // The member's key as written, comma, quotes and colon included: a byte string
        // of known length, copied in one go.
        let key = proc_macro2::Literal::byte_string(format!(",\"{}\":", f.name).as_bytes());
        let write = match (&f.ty, f.encrypted, f.sensitive) {
            (_, true, _) => quote! { out.sealed(#key, cipher, v) },
            (Type::String | Type::DateTime, false, true) => {
                quote! { out.string(#key, v.expose()) }
            }
            (Type::String | Type::DateTime, false, false) => quote! { out.string(#key, v) },
            (Type::Int, false, false) => quote! { out.int(#key, *v) },
            (Type::Enum(_), false, false) => quote! { out.int(#key, v.code()) },
            _ => quote! { out.value(#key, v) },
        };
        if f.required {
            quote! { { let v = &self.#name; #write; } }
        } else {
            quote! { if let Some(v) = &self.#name { #write; } }
        }
    });
    let open = fields.iter().map(|f| {
        let name = field_ident(f);
        let wire_name = &f.name;
        let open = quote! { ::aimis::__private::open_field };
        match (f.encrypted, f.required) {
            (true, true) => quote! { #name: #open(cipher, #wire_name, &wire.#name, true)?, },
            (true, false) => quote! { #name: wire.#name.as_ref().map(|v| #open(cipher, #wire_name, v, false)).transpose()?, },
            (false, _) => quote! { #name: wire.#name, },
        }
    });
    let checks = fields.iter().map(|f| check(f, fields));
    let derive_serialize = serialize.then(|| quote!(::aimis::__private::serde::Serialize,));
    let typed = quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq, #derive_serialize ::aimis::__private::serde::Deserialize)]
        #[serde(crate = "::aimis::__private::serde")]
        pub struct #ident { #(#typed_fields)* }

        impl ::aimis::message::Message for #ident {
            type Wire = wire::#ident;
            const FIELDS: &'static [::aimis::registry::FieldDef] = __defs::#fields_def;
            const SERVICE: &'static ::aimis::registry::Service = &SERVICE;

            fn validate(&self) -> ::std::result::Result<(), ::aimis::Error> {
                #(#checks)*
                Ok(())
            }

            fn write_sealed(&self, cipher: &::aimis::crypto::FieldCipher, out: &mut ::aimis::__private::WireObject) {
                #(#seal)*
            }

            fn open(wire: wire::#ident, cipher: &::aimis::crypto::FieldCipher) -> ::std::result::Result<Self, ::aimis::Error> {
                Ok(Self { #(#open)* })
            }
        }
    };
    let wire_docs = doc(&format!(
        "The wire form of [`{ident}`](super::{ident}): encrypted fields as ciphertext."
    ));
    let wire = quote! {
        #wire_docs
        #[derive(Clone, Debug, PartialEq, ::aimis::__private::serde::Deserialize)]
        #[serde(crate = "::aimis::__private::serde")]
        pub struct #ident { #(#wire_fields)* }
    };
    (typed, wire)
}

fn declaration(f: &Field, ty: TokenStream) -> TokenStream {
    let name = field_ident(f);
    let wire_name = &f.name;
    let docs = doc(&f.doc);
    let ty = if f.required {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    };
    quote! { #docs #[serde(rename = #wire_name)] pub #name: #ty, }
}

fn typed_type(f: &Field) -> TokenStream {
    if f.sensitive {
        quote!(::aimis::Pii)
    } else {
        value_type(&f.ty)
    }
}

fn wire_type(f: &Field) -> TokenStream {
    if f.encrypted {
        quote!(::aimis::Ciphertext)
    } else {
        typed_type(f)
    }
}

/// The spec rules of one field, as runtime checks.
fn check(f: &Field, fields: &[Field]) -> TokenStream {
    let name = field_ident(f);
    let wire = &f.name;
    let rule = match &f.ty {
        Type::String if f.required && f.sensitive => {
            quote! { ::aimis::__private::required_text(#wire, v.expose())?; }
        }
        Type::String if f.required => quote! { ::aimis::__private::required_text(#wire, v)?; },
        Type::DateTime => quote! { ::aimis::__private::datetime(#wire, v)?; },
        Type::Enum(name) => {
            let ty = type_ident(name);
            quote! { ::aimis::__private::known_enum(#wire, v.is_known(), || #ty::DEF.choices())?; }
        }
        _ => return quote!(),
    };
    let order = f.not_before.as_ref().map(|other| {
        let earlier = fields
            .iter()
            .find(|g| &g.name == other)
            .expect("resolved spec");
        let earlier_ident = field_ident(earlier);
        let check = quote!(::aimis::__private::not_before(#wire, v, #other, earlier)?;);
        if earlier.required {
            quote! { let earlier = &self.#earlier_ident; #check }
        } else {
            quote! { if let Some(earlier) = &self.#earlier_ident { #check } }
        }
    });
    if f.required {
        quote! { { let v = &self.#name; #rule #order } }
    } else {
        quote! { if let Some(v) = &self.#name { #rule #order } }
    }
}

/// The client, with one method per endpoint, and the wire module.
fn client(spec: &Spec, typed: Vec<TokenStream>, wire: Vec<TokenStream>) -> TokenStream {
    let service_doc = doc(&format!(
        "A client of the {}.\n\n{}\n\nCheap to share between threads: one client pools its connections.",
        spec.service.name, spec.service.doc
    ));
    let methods = spec.endpoints.iter().map(|e| {
        let method = format_ident!("{}", names::snake(&e.name));
        let request = format_ident!("{}Request", names::pascal(&e.name));
        let response = value_type(&e.response);
        let docs = doc(&format!("{}: `{} {}`\n\n{}", e.title, e.method, e.path, e.doc));
        quote! {
            #docs
            pub fn #method(&self, request: &#request) -> ::std::result::Result<#response, ::aimis::Error> {
                self.0.send(request)
            }
        }
    });
    let calls = spec.endpoints.iter().map(|e| {
        let (name, request) = (&e.name, format_ident!("{}Request", names::pascal(&e.name)));
        quote! { #name => ::aimis::__private::answer_typed::<#request>(engine, request), }
    });
    let verifies = spec.callbacks.iter().map(|c| {
        let (name, typed) = (&c.name, format_ident!("{}", names::callback_type(&c.name)));
        quote! { #name => ::aimis::__private::verify_typed::<#typed>(verifier, headers, body), }
    });
    let base_urls = spec.service.base_urls.iter().map(|(name, url)| {
        let ident = format_ident!("{}_BASE_URL", names::shouty(name));
        let docs = doc(&format!("The `{name}` platform."));
        quote! { #docs pub const #ident: &str = #url; }
    });
    quote! {
        #(#typed)*

        /// The messages as read from the wire, encrypted fields still ciphertext.
        /// [`Message::seal`](::aimis::message::Message::seal) writes the other way.
        pub mod wire {
            #[allow(unused_imports)]
            use super::*;
            #(#wire)*
        }

        #(#base_urls)*

        #service_doc
        #[derive(Debug)]
        pub struct Client(::aimis::__private::Engine);

        impl ::aimis::__private::FromEngine for Client {
            const SERVICE: &'static ::aimis::registry::Service = &SERVICE;
            fn from_engine(engine: ::aimis::__private::Engine) -> Self { Client(engine) }
        }

        impl ::aimis::__private::Dispatch for Client {
            const SERVICE: &'static ::aimis::registry::Service = &SERVICE;

            fn answer(
                engine: &::aimis::__private::Engine,
                endpoint: &::aimis::registry::EndpointDef,
                request: &::aimis::__private::serde_json::Value,
            ) -> ::std::result::Result<::aimis::PlainAnswer, ::aimis::Error> {
                match endpoint.name {
                    #(#calls)*
                    other => Err(::aimis::__private::unknown_endpoint(&SERVICE, other)),
                }
            }

            fn verify(
                verifier: &::aimis::CallbackVerifier,
                callback: &::aimis::registry::CallbackDef,
                headers: &[(&str, &str)],
                body: &[u8],
            ) -> ::std::result::Result<::aimis::__private::serde_json::Value, ::aimis::Error> {
                match callback.name {
                    #(#verifies)*
                    other => Err(::aimis::__private::unknown_callback(other)),
                }
            }
        }

        impl Client {
            /// A client of production with the default settings.
            pub fn new(credentials: ::aimis::Credentials) -> ::std::result::Result<Self, ::aimis::Error> {
                Self::builder(credentials).build()
            }

            /// A client with settings: base URL, timeouts, retries, proxy, CA certificates.
            pub fn builder(credentials: ::aimis::Credentials) -> ::aimis::ClientBuilder<Self> {
                ::aimis::ClientBuilder::new(credentials)
            }

            #(#methods)*

            /// Calls any endpoint by name (camelCase as in the spec, snake_case or
            /// kebab-case) with a JSON request in the vendor's names and plaintext
            /// patient data; returns the response `data` as JSON.
            pub fn call_json(&self, endpoint: &str, request: &::aimis::__private::serde_json::Value)
                -> ::std::result::Result<::aimis::__private::serde_json::Value, ::aimis::Error> {
                <Self as ::aimis::__private::Dispatch>::answer_by_name(&self.0, endpoint, request)?.into_json()
            }

            /// Calls one of the service's endpoints (as `SERVICE.endpoint(name)` finds it)
            /// as [`call_json`](Self::call_json) does, leaving the answer's `data` unread:
            /// for a binding that has looked the endpoint up already and builds its own
            /// objects from the bytes with [`PlainAnswer::read`](::aimis::PlainAnswer::read).
            pub fn call_plain(&self, endpoint: &::aimis::registry::EndpointDef, request: &::aimis::__private::serde_json::Value)
                -> ::std::result::Result<::aimis::PlainAnswer, ::aimis::Error> {
                <Self as ::aimis::__private::Dispatch>::answer(&self.0, endpoint, request)
            }

            /// Runs many requests of one endpoint (any spelling of its name), each plain
            /// JSON as for [`call_json`](Self::call_json), with the options' concurrency,
            /// rate ceiling and back-off; `each` gets every outcome, in the calling
            /// thread, as it completes. Fails only for an unknown endpoint or unusable
            /// options: each request's own failure is its outcome.
            pub fn batch_json<I>(
                &self,
                endpoint: &str,
                requests: I,
                options: &::aimis::BatchOptions,
                each: impl FnMut(::aimis::Outcome<::aimis::__private::serde_json::Value, ::aimis::__private::serde_json::Value>),
            ) -> ::std::result::Result<(), ::aimis::Error>
            where
                I: ::std::iter::IntoIterator<Item = ::aimis::__private::serde_json::Value>,
                I::IntoIter: ::std::marker::Send,
            {
                let def = SERVICE
                    .endpoint(endpoint)
                    .ok_or_else(|| ::aimis::__private::unknown_endpoint(&SERVICE, endpoint))?;
                ::aimis::batch::run(options, &SERVICE, requests, |request| {
                    <Self as ::aimis::__private::Dispatch>::call(&self.0, def, request)
                }, each)
            }

            /// Runs many typed requests; see [`batch_json`](Self::batch_json).
            pub fn batch<R, I>(
                &self,
                requests: I,
                options: &::aimis::BatchOptions,
                each: impl FnMut(::aimis::Outcome<R, R::Response>),
            ) -> ::std::result::Result<(), ::aimis::Error>
            where
                R: ::aimis::message::Request + ::std::marker::Send + ::std::marker::Sync,
                R::Response: ::std::marker::Send,
                I: ::std::iter::IntoIterator<Item = R>,
                I::IntoIter: ::std::marker::Send,
            {
                ::aimis::batch::run(options, &SERVICE, requests, |request| self.0.send(request), each)
            }

            /// Validates, encrypts, serialises and signs a request without sending it.
            pub fn prepare<R: ::aimis::message::Request>(&self, request: &R) -> ::std::result::Result<::aimis::PreparedRequest, ::aimis::Error> {
                self.0.prepare(request)
            }

            /// Sends any request of this spec.
            pub fn send<R: ::aimis::message::Request>(&self, request: &R) -> ::std::result::Result<R::Response, ::aimis::Error> {
                self.0.send(request)
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str { self.0.base_url() }

            /// The app id requests are signed for.
            pub fn app_id(&self) -> &str { self.0.app_id() }
        }
    }
}
