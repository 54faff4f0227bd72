//! Text encodings at the boundary: the caller's strings are UTF-8, GB18030 (Chinese
//! Windows code page 936 programs: GBK and GB2312 are subsets) or the system's ANSI code
//! page; the wire is always UTF-8.
//! Text that is not valid in the chosen encoding is refused, never replaced.

use std::ffi::{CStr, c_int};
use std::ops::Deref;

use encoding_rs::{DecoderResult, EncoderResult, Encoding, GB18030};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::result::{Failure, aimis_result};

/// The text encoding of the strings a caller passes and receives. On the wire the text
/// is UTF-8 whatever is chosen here.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum aimis_text_encoding {
    /// UTF-8, the default.
    AIMIS_TEXT_ENCODING_UTF8 = 0,
    /// GB18030, the superset of GBK (code page 936) and GB2312 that Chinese Windows
    /// programs use: every Unicode character has a GB18030 form.
    AIMIS_TEXT_ENCODING_GB18030 = 1,
    /// The system's ANSI code page, read when the option is set: on Windows `GetACP()`
    /// (936 is GB18030, 65001 UTF-8, other single- and double-byte code pages such as
    /// 1252 or 950 as they are; one with no converter here is `AIMIS_CONFIG`). On every
    /// other system, UTF-8.
    AIMIS_TEXT_ENCODING_SYSTEM = 2,
}

/// How an `aimis_text_encoding` crosses the ABI: C may pass any int, and a Rust enum
/// holding an unknown value would be undefined behaviour, so exports take the raw int
/// (the header shows it as `aimis_text_encoding`, see cbindgen.toml) and check it.
#[allow(non_camel_case_types)]
pub type aimis_text_encoding_arg = c_int;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    #[default]
    Utf8,
    Gb18030,
    /// A Windows ANSI code page other than 936 and 65001 (`AIMIS_TEXT_ENCODING_SYSTEM`).
    #[cfg_attr(not(windows), allow(dead_code))] // made on Windows only
    CodePage(&'static Encoding),
}

impl TextEncoding {
    pub(crate) fn from_arg(raw: aimis_text_encoding_arg) -> Result<Self, Failure> {
        match raw {
            x if x == aimis_text_encoding::AIMIS_TEXT_ENCODING_UTF8 as c_int => Ok(Self::Utf8),
            x if x == aimis_text_encoding::AIMIS_TEXT_ENCODING_GB18030 as c_int => {
                Ok(Self::Gb18030)
            }
            x if x == aimis_text_encoding::AIMIS_TEXT_ENCODING_SYSTEM as c_int => Self::system(),
            other => Err(Failure::new(
                aimis_result::AIMIS_VALIDATION,
                format!("argument `encoding` is {other}, not an aimis_text_encoding"),
            )),
        }
    }

    /// The system's ANSI code page: `GetACP()` on Windows, UTF-8 elsewhere.
    fn system() -> Result<Self, Failure> {
        #[cfg(windows)]
        {
            #[link(name = "kernel32")]
            unsafe extern "system" {
                safe fn GetACP() -> u32;
            }
            Self::from_code_page(GetACP())
        }
        #[cfg(not(windows))]
        Ok(Self::Utf8)
    }

    /// A Windows code page's encoding; `AIMIS_CONFIG` for one encoding_rs has no
    /// converter for (such as the EBCDIC or OEM code pages).
    #[cfg_attr(not(windows), allow(dead_code))] // called on Windows only
    pub(crate) fn from_code_page(code_page: u32) -> Result<Self, Failure> {
        let label = match code_page {
            65001 => return Ok(Self::Utf8),
            936 | 54936 => return Ok(Self::Gb18030),
            874 => "windows-874",
            932 => "shift_jis",
            949 => "euc-kr",
            950 => "big5",
            1250..=1258 => &format!("windows-{code_page}"),
            20866 => "koi8-r",
            21866 => "koi8-u",
            28592..=28606 => &format!("iso-8859-{}", code_page - 28590),
            _ => "",
        };
        match Encoding::for_label(label.as_bytes()) {
            Some(encoding) => Ok(Self::CodePage(encoding)),
            None => Err(Failure::new(
                aimis_result::AIMIS_CONFIG,
                format!(
                    "AIMIS_TEXT_ENCODING_SYSTEM: the system's ANSI code page {code_page} has no \
                     converter in libaimis; choose AIMIS_TEXT_ENCODING_UTF8 or \
                     AIMIS_TEXT_ENCODING_GB18030"
                ),
            )),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Gb18030 => "GB18030",
            Self::CodePage(encoding) => encoding.name(),
        }
    }

    /// The converter, for every encoding but UTF-8.
    fn legacy(self) -> Option<&'static Encoding> {
        match self {
            Self::Utf8 => None,
            Self::Gb18030 => Some(GB18030),
            Self::CodePage(encoding) => Some(encoding),
        }
    }

    /// Reads a NUL-terminated argument in this encoding. For UTF-8 a bad byte is
    /// `AIMIS_INVALID_UTF8` (as it always was), for the others `AIMIS_INVALID_TEXT`.
    pub(crate) fn decode<'a>(self, bytes: &'a CStr, name: &str) -> Result<Text<'a>, Failure> {
        let bytes = bytes.to_bytes();
        let encoding = match self.legacy() {
            // ASCII is the same in every encoding here: no copy.
            Some(encoding) if !bytes.is_ascii() => encoding,
            _ => {
                return std::str::from_utf8(bytes)
                    .map(Text::Borrowed)
                    .map_err(|e| self.invalid(name, e.valid_up_to()));
            }
        };
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let capacity = decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .ok_or_else(|| self.invalid(name, 0))?;
        let mut text = Zeroizing::new(String::with_capacity(capacity));
        let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
        match result {
            DecoderResult::InputEmpty => Ok(Text::Owned(text)),
            DecoderResult::Malformed(bad, unread) => {
                Err(self.invalid(name, read.saturating_sub(bad as usize + unread as usize)))
            }
            DecoderResult::OutputFull => Err(self.invalid(name, read)),
        }
    }

    fn invalid(self, name: &str, offset: usize) -> Failure {
        let code = match self {
            Self::Utf8 => aimis_result::AIMIS_INVALID_UTF8,
            Self::Gb18030 | Self::CodePage(_) => aimis_result::AIMIS_INVALID_TEXT,
        };
        Failure::new(
            code,
            format!(
                "argument `{name}` is not valid {} (bad byte at offset {offset})",
                self.name()
            ),
        )
    }

    /// `text` in this encoding followed by one NUL, in a buffer wiped when dropped.
    /// `what` names the text for the error when it holds a NUL or, in GB18030, a
    /// character GB18030 has no form for (the character itself is never named: it may
    /// be patient data).
    pub(crate) fn encode_with_nul(
        self,
        text: &str,
        what: &str,
    ) -> Result<Zeroizing<Vec<u8>>, Failure> {
        if text.as_bytes().contains(&0) {
            return Err(Failure::new(
                aimis_result::AIMIS_DECODE,
                format!("{what} contains a NUL byte and cannot be a C string"),
            ));
        }
        let mut out = match self.legacy() {
            Some(encoding) if !text.is_ascii() => {
                let mut encoder = encoding.new_encoder();
                let capacity = encoder
                    .max_buffer_length_from_utf8_without_replacement(text.len())
                    .map_or(text.len() * 4, |n| n)
                    + 1;
                let mut out = Zeroizing::new(Vec::with_capacity(capacity));
                let (result, _) =
                    encoder.encode_from_utf8_to_vec_without_replacement(text, &mut out, true);
                if result != EncoderResult::InputEmpty {
                    return Err(Failure::new(
                        aimis_result::AIMIS_INVALID_TEXT,
                        format!(
                            "{what} holds a character that {} cannot represent",
                            self.name()
                        ),
                    ));
                }
                out
            }
            _ => {
                let mut out = Zeroizing::new(Vec::with_capacity(text.len() + 1));
                out.extend_from_slice(text.as_bytes());
                out
            }
        };
        out.push(0);
        Ok(out)
    }

    /// A message for the thread's last error: like [`Self::encode_with_nul`], but never
    /// failing (a character GB18030 lacks becomes a `&#NNNN;` reference; messages carry
    /// no patient data).
    pub(crate) fn encode_message(self, message: &str) -> Vec<u8> {
        let message = message.replace('\0', "");
        let mut bytes = match self.legacy() {
            Some(encoding) if !message.is_ascii() => {
                let (bytes, _, _) = encoding.encode(&message);
                bytes.into_owned()
            }
            _ => message.into_bytes(),
        };
        bytes.push(0);
        bytes
    }
}

/// A string argument, as UTF-8: borrowed from the caller when no conversion was
/// needed, else converted and wiped when dropped (it may hold patient data).
#[derive(Debug)]
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    Owned(Zeroizing<String>),
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Owned(text) => text,
        }
    }
}

/// `value` as compact JSON text, then `value`'s strings wiped (it held patient data).
/// The text is written into a buffer of its exact size, measured first, so that no
/// reallocation leaves a copy behind in freed memory; the text is wiped when dropped.
pub(crate) fn json_text(value: &mut Value) -> Zeroizing<String> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Serializing a Value into memory cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    let mut bytes = Vec::with_capacity(count.0);
    let _ = serde_json::to_writer(&mut bytes, value);
    core_aimis::message::wipe(value);
    // serde_json writes UTF-8; from_utf8 keeps the buffer (no copy).
    Zeroizing::new(String::from_utf8(bytes).unwrap_or_default())
}
