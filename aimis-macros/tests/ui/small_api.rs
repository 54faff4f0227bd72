// A correct spec expands to a working API: typed request, enum, client, and a request
// prepared on the wire with the spec's header names and ciphertext encoding.

use std::sync::Arc;

mod small {
    aimis_macros::api!("tests/ui/specs/small.toml");
}

use small::{Client, Colour, EchoColourRequest, Echoed};

fn main() {
    let credentials = aimis::Credentials::new("app-1", "0123456789abcdef0123456789abcdef").unwrap();
    let client = Client::builder(credentials)
        .clock(Arc::new(aimis::FixedClock(1_700_000_000_000)))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), small::PRODUCTION_BASE_URL);

    let request = EchoColourRequest {
        phone_num: "13800138000".into(),
        colour: Colour::Blue,
    };
    let prepared = client.prepare(&request).unwrap();
    assert_eq!(prepared.method(), "POST");
    assert_eq!(prepared.url(), "https://aimis.example.test/echo/app-1");
    let names: Vec<&str> = prepared.headers().map(|(name, _)| name).collect();
    assert!(
        names.contains(&"X-App-Id") && names.contains(&"X-Signature"),
        "{names:?}"
    );
    assert_eq!(prepared.header("X-Timestamp"), Some("1700000000"));

    let body: serde_json::Value = serde_json::from_slice(prepared.body()).unwrap();
    assert_eq!(body["colour"], 2, "{body}");
    let phone = body["phoneNum"].as_str().unwrap();
    assert_ne!(phone, "13800138000");
    assert_eq!(phone.len(), 32, "one AES block, in hex");
    assert_eq!(
        phone,
        phone.to_ascii_uppercase(),
        "the spec asks for hex-upper"
    );

    let echoed: Echoed = serde_json::from_str(r#"{"colour":1}"#).unwrap();
    assert_eq!(echoed.colour, Some(Colour::Red));
    assert_eq!("blue".parse::<Colour>().unwrap(), Colour::Blue);
    assert_eq!(small::SERVICE.endpoints[0].name, "echoColour");
}
