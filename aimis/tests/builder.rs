//! Every client option is checked when the client is built, so that no call can fail
//! or panic later on a setting; the messages name the option and the rule and never
//! repeat a URL (it may carry credentials).

mod support;

use std::time::Duration;

use aimis::{Client, ClientBuilder, Error, RetryPolicy};

fn builder() -> ClientBuilder<Client> {
    Client::builder(support::credentials()).base_url("http://127.0.0.1:9")
}

fn refused(builder: ClientBuilder<Client>) -> String {
    match builder.build() {
        Err(Error::Config { message }) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn timeouts_must_be_positive_and_at_most_an_hour() {
    for (timeout, rule) in [
        (Duration::ZERO, "timeout must be more than zero"),
        (Duration::MAX, "timeout must be at most 3600 seconds"),
        (
            Duration::from_secs(3601),
            "timeout must be at most 3600 seconds",
        ),
    ] {
        assert_eq!(refused(builder().timeout(timeout)), rule);
        assert_eq!(
            refused(builder().connect_timeout(timeout)),
            format!("connect_{rule}")
        );
    }
    assert!(builder().timeout(Duration::from_secs(3600)).build().is_ok());
}

#[test]
fn retries_and_backoff_are_bounded() {
    let policy = |max_retries, backoff| RetryPolicy {
        max_retries,
        initial_backoff: backoff,
        max_backoff: backoff,
    };
    assert_eq!(
        refused(builder().retry(policy(11, Duration::ZERO))),
        "retries must be at most 10"
    );
    assert_eq!(
        refused(builder().retry(policy(u32::MAX, Duration::ZERO))),
        "retries must be at most 10"
    );
    assert_eq!(
        refused(builder().retry(policy(1, Duration::MAX))),
        "initial_backoff must be at most 3600 seconds"
    );
    assert!(
        builder()
            .retry(policy(10, Duration::from_secs(1)))
            .build()
            .is_ok()
    );
}

#[test]
fn the_user_agent_product_must_be_header_safe() {
    for bad in [
        "x\n",
        "x\r\nX-Injected: 1",
        "",
        "  ",
        "医院/1.0",
        &"a".repeat(129),
    ] {
        let message = refused(builder().user_agent_product(bad));
        assert!(
            message.starts_with("user_agent_product must be"),
            "{message}"
        );
    }
    assert!(
        builder()
            .user_agent_product("my-his/4.2 (ward 7)")
            .build()
            .is_ok()
    );
}

#[test]
fn base_urls_with_user_info_are_refused_without_being_repeated() {
    for url in [
        "http://localhost:1@other-host/",
        "https://his:s3cret-pass@pacs.qq.com",
    ] {
        let message = refused(Client::builder(support::credentials()).base_url(url));
        assert!(message.contains("user info"), "{message}");
        assert!(!message.contains("s3cret") && !message.contains("other-host"));
    }
}

#[test]
fn a_bad_proxy_is_refused_without_being_repeated() {
    let message = refused(builder().proxy("http://his:s3cret-pass@[::1"));
    assert!(
        message.starts_with("proxy is not a valid proxy URL"),
        "{message}"
    );
    assert!(!message.contains("s3cret"));
}
