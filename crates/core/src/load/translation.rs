//! `lang/<code>/*.toml`: each language's phrase table (see `crate::translation`). A
//! translation may not say a number or an address its Japanese text does not, and an entry
//! whose Japanese text is gone is stale (a warning, so that editing a Japanese text never
//! blocks publishing it).

use std::collections::{HashMap, HashSet};

use super::{CheckRule, DataFile, Here, Loader};
use crate::format::TranslationFile;
use crate::model::Directory;
use crate::translation::{Phrases, Translations, invented, is_known_language, shown_texts};

/// One language's texts while loading: Japanese → translation, and Japanese → the file that
/// first translated it (to name it when a text is translated twice).
#[derive(Default)]
struct Table {
    table: HashMap<String, String>,
    first: HashMap<String, String>,
}

impl Loader {
    pub(super) fn translations(
        &mut self,
        files: &[DataFile<'_>],
        directory: &Directory,
    ) -> Translations {
        let shown: HashSet<String> = shown_texts(directory)
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        let mut files: Vec<&DataFile<'_>> = files
            .iter()
            .filter(|f| f.path.starts_with("lang/") && f.path.ends_with(".toml"))
            .collect();
        files.sort_by_key(|f| f.path);
        let mut tables: HashMap<String, Table> = HashMap::new();
        for file in files {
            let here = Here {
                path: file.path,
                text: file.text,
            };
            let code = file.path["lang/".len()..]
                .split('/')
                .next()
                .unwrap_or_default();
            if !is_known_language(code) || !file.path["lang/".len()..].contains('/') {
                let message = format!(
                    "`{}` is not in a language's folder (lang/en/, lang/easy/, …)",
                    file.path
                );
                self.report(here, 0..0, CheckRule::Translation, message);
                continue;
            }
            let Some(parsed) = self.parse::<TranslationFile>(here) else {
                continue;
            };
            let Table { table, first } = tables.entry(code.to_owned()).or_default();
            for entry in parsed.text {
                let (ja, say) = (entry.ja.get_ref(), entry.say.get_ref());
                if say.trim().is_empty() {
                    let message = format!("the translation of 「{ja}」 is empty");
                    self.report(here, entry.say.span(), CheckRule::EmptyText, message);
                    continue;
                }
                let extra = invented(ja, say);
                if !extra.is_empty() {
                    let message = format!(
                        "the translation says {} that 「{ja}」 does not; a translation may not \
                         add a number or an address",
                        extra.join(", ")
                    );
                    self.report(here, entry.say.span(), CheckRule::Translation, message);
                    continue;
                }
                if let Some(earlier) = first.get(ja) {
                    let message = format!("「{ja}」 is already translated in {earlier}");
                    self.report(here, entry.ja.span(), CheckRule::Translation, message);
                    continue;
                }
                if !shown.contains(ja) {
                    let message = format!(
                        "「{ja}」 is no longer a text of the data; translate its new wording"
                    );
                    self.report(here, entry.ja.span(), CheckRule::StaleTranslation, message);
                }
                first.insert(ja.clone(), file.path.to_owned());
                table.insert(ja.clone(), say.clone());
            }
        }
        tables
            .into_iter()
            .map(|(code, Table { table, .. })| (code, Phrases::new(table)))
            .collect()
    }
}
