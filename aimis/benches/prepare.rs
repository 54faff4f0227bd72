//! Preparing one patientStudies request (validate, encrypt two fields, sign, serialise)
//! beside its crypto floor: one HMAC-SHA256 and two AES-256 encryptions of the same
//! bytes, with keys scheduled once as the client schedules them. The ratio of the two
//! medians is what aimis adds on top of the cryptography (target: at most 2x).
//!
//! `cargo bench -p aimis --bench prepare`; on a noisy machine run it a few times and
//! take the median of the ratios.

use std::hint::black_box;
use std::sync::Arc;

use aes::Aes256;
use aes::cipher::{BlockEncrypt, KeyInit, generic_array::GenericArray};
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha2::Sha256;

// The tests' fixtures: credentials, clock and the patientStudies request they pin.
#[path = "../tests/support/mod.rs"]
mod support;

use support::{APP_ID, NOW_MS, TOKEN};

/// PKCS#7-pads `bytes` and encrypts it block by block, as AES-256-ECB does.
fn aes_ecb(aes: &Aes256, bytes: &[u8]) -> Vec<u8> {
    let padded = (bytes.len() / 16 + 1) * 16;
    let mut buffer = vec![(padded - bytes.len()) as u8; padded];
    buffer[..bytes.len()].copy_from_slice(bytes);
    for block in buffer.chunks_exact_mut(16) {
        aes.encrypt_block(GenericArray::from_mut_slice(block));
    }
    buffer
}

fn prepare(c: &mut Criterion) {
    let client = aimis::Client::builder(support::credentials())
        .clock(Arc::new(aimis::FixedClock(NOW_MS)))
        .build()
        .unwrap();
    let request = support::studies_request();
    let (phone, id_num) = (request.phone_num.expose(), request.id_num.expose());
    let aes = Aes256::new(GenericArray::from_slice(TOKEN.as_bytes()));
    let keyed = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(TOKEN.as_bytes()).unwrap();
    let timestamp = NOW_MS.to_string();

    let mut group = c.benchmark_group("patientStudies");
    group.bench_function("crypto floor", |b| {
        b.iter(|| {
            let mut mac = keyed.clone();
            mac.update(black_box(APP_ID).as_bytes());
            mac.update(black_box(&timestamp).as_bytes());
            let signature = mac.finalize().into_bytes();
            let phone = aes_ecb(&aes, black_box(phone).as_bytes());
            let id_num = aes_ecb(&aes, black_box(id_num).as_bytes());
            (signature, phone, id_num)
        })
    });
    group.bench_function("prepare", |b| {
        b.iter(|| client.prepare(black_box(&request)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, prepare);
criterion_main!(benches);
