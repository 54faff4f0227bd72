//! The parts of READMEs that restate the code: each lies between a pair of markers,
//! `<!-- generated: NAME -->` and `<!-- end generated: NAME -->`, and is rewritten from
//! the code; the prose around it is left as it is.

use std::path::{Path, PathBuf};

use crate::bindings::Api;

const FFI_README: &str = "aimis-ffi/README.md";

/// `aimis-ffi/README.md`'s table of result codes, from `aimis_result` as cbindgen reads it.
pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let api = Api::read(root)?;
    let path = root.join(FFI_README);
    let readme = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let table = result_code_table(&api);
    let readme = replace_region(&readme, "result codes", &table)
        .map_err(|e| format!("{FFI_README}: {e}"))?;
    Ok(vec![(PathBuf::from(FFI_README), readme)])
}

fn result_code_table(api: &Api) -> String {
    let mut table = String::from("| code | value | meaning |\n|---|---|---|\n");
    for variant in &api.result_enum().variants {
        // A doc comment's lines, as one table cell.
        let meaning = variant
            .doc
            .iter()
            .map(|line| line.trim())
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .replace('|', "\\|");
        table.push_str(&format!(
            "| `{}` | {} | {meaning} |\n",
            variant.name, variant.value
        ));
    }
    table
}

/// `text` with what lies between the markers of `name` replaced by `generated`.
fn replace_region(text: &str, name: &str, generated: &str) -> Result<String, String> {
    let begin = format!("<!-- generated: {name} (cargo run -p xtask -- generate) -->\n");
    let end = format!("<!-- end generated: {name} -->");
    let start = text
        .find(&begin)
        .ok_or_else(|| format!("no `{}` marker", begin.trim_end()))?
        + begin.len();
    let stop = text[start..]
        .find(&end)
        .ok_or_else(|| format!("no `{end}` marker after `{}`", begin.trim_end()))?
        + start;
    Ok(format!("{}{generated}{}", &text[..start], &text[stop..]))
}

#[cfg(test)]
mod tests {
    use super::replace_region;

    #[test]
    fn only_the_region_between_the_markers_is_replaced() {
        let text = "before\n<!-- generated: t (cargo run -p xtask -- generate) -->\nold\n<!-- end generated: t -->\nafter\n";
        assert_eq!(
            replace_region(text, "t", "new\n").unwrap(),
            "before\n<!-- generated: t (cargo run -p xtask -- generate) -->\nnew\n<!-- end generated: t -->\nafter\n"
        );
        assert!(replace_region("no markers", "t", "x").is_err());
    }
}
