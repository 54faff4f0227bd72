//! Spellings of the spec's names on the command line.

/// `patientStudies` -> `patient-studies`; `studyDateBegin` -> `study-date-begin`.
pub fn kebab(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

/// `patientStudies` -> `patient_studies`.
pub fn snake(camel: &str) -> String {
    kebab(camel).replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(kebab("patientStudies"), "patient-studies");
        assert_eq!(kebab("studyDateBegin"), "study-date-begin");
        assert_eq!(kebab("hisId"), "his-id");
        assert_eq!(snake("patientReportUrl"), "patient_report_url");
    }
}
