//! The spellings of a spec name such as `studyDateBegin`; every layer (the spec crate,
//! the generators, the runtime, the CLI) uses these, so a name is spelled alike everywhere.

/// Splits camelCase, PascalCase, snake_case and kebab-case names into lowercase words.
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boundary = c.is_ascii_uppercase()
            && !current.is_empty()
            && (!chars[i - 1].is_ascii_uppercase()
                || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `studyDateBegin` -> `study_date_begin`
pub fn snake(name: &str) -> String {
    words(name).join("_")
}

/// `studyDateBegin` -> `study-date-begin`
pub fn kebab(name: &str) -> String {
    words(name).join("-")
}

/// `studyDateBegin` -> `STUDY_DATE_BEGIN`
pub fn shouty(name: &str) -> String {
    snake(name).to_ascii_uppercase()
}

/// `patientStudies` -> `PatientStudies`
pub fn pascal(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The type of a callback's payload: `studyStatus` -> `StudyStatusCallback` (the bare
/// Pascal name can be an enum's, as `StudyStatus` is).
pub fn callback_type(name: &str) -> String {
    format!("{}Callback", pascal(name))
}

/// `patient-studies`, `patient_studies` and `PatientStudies` all fold to `patientstudies`.
pub fn fold(name: &str) -> String {
    folded(name).collect()
}

/// Whether two names fold alike ([`fold`]), without allocating: for look-ups by name on
/// every call.
pub fn same(a: &str, b: &str) -> bool {
    folded(a).eq(folded(b))
}

/// The characters of the folded form: lowercase, separators left out.
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .map(|c| c.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(snake("studyDateBegin"), "study_date_begin");
        assert_eq!(snake("h5DetailUrl"), "h5_detail_url");
        assert_eq!(snake("uniAppId"), "uni_app_id");
        assert_eq!(kebab("phoneNum"), "phone-num");
        assert_eq!(shouty("ReportAndImagesReady"), "REPORT_AND_IMAGES_READY");
        assert_eq!(pascal("patientReportUrl"), "PatientReportUrl");
        assert_eq!(pascal("HTTPServer"), "HttpServer");
        assert_eq!(kebab("HTTPServer"), "http-server");
        assert_eq!(snake("getHTTPResponseCode"), "get_http_response_code");
        assert_eq!(fold("patient-studies"), fold("patientStudies"));
        assert_eq!(fold("patient_studies"), fold("PatientStudies"));
        for name in [
            "patientStudies",
            "HTTPServer",
            "h5DetailUrl",
            "a-b_c d",
            "张三Ab",
        ] {
            assert_eq!(fold(name), words(name).concat(), "{name}");
            for other in [
                "patient-studies",
                "httpserver",
                "H5_DETAIL_URL",
                "abcd",
                "张三ab",
                "x",
            ] {
                assert_eq!(
                    same(name, other),
                    fold(name) == fold(other),
                    "{name} {other}"
                );
            }
        }
    }
}
