//! The language of a page: Japanese at `/`, English under `/en`, やさしい日本語 under
//! `/easy`, the same routes and the same data. The nested router carries a `Lang`; handlers
//! take a `Tongue` (the language and the page's path without its prefix, for the switch).
//! Nothing is guessed from `Accept-Language` or kept in a cookie: the address says it.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;

use crate::messages::{EASY, EN, JA, Messages};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
    Easy,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ja, Lang::En, Lang::Easy];

    /// The path prefix of its pages.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Ja => "",
            Lang::En => "/en",
            Lang::Easy => "/easy",
        }
    }

    /// Its home page.
    pub fn home(self) -> &'static str {
        match self {
            Lang::Ja => "/",
            Lang::En => "/en",
            Lang::Easy => "/easy",
        }
    }

    /// The `lang` attribute of its pages (やさしい日本語 is Japanese).
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Ja | Lang::Easy => "ja",
            Lang::En => "en",
        }
    }

    /// `hreflang` of the alternate links (a private-use subtag for やさしい日本語).
    pub fn hreflang(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
            Lang::Easy => "ja-x-easy",
        }
    }

    /// Its name, written in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
            Lang::Easy => "やさしい にほんご",
        }
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
            Lang::Easy => &EASY,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Its code: the API's `lang` value and, but for Japanese, its folder under `data/lang/`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
            Lang::Easy => "easy",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The language of a directory copy (`Directory::in_language`): the JSON API says its
    /// words in the language of the directory it answers from.
    pub fn of(directory: &madoguchi_core::Directory) -> Lang {
        directory
            .language
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_default()
    }
}

/// A page's language and its path without the language's prefix (with the query, for pages
/// whose query holds only the guided answers' ids).
#[derive(Debug, Clone)]
pub struct Tongue {
    pub lang: Lang,
    pub path: String,
}

impl Tongue {
    pub fn ja(path: &str) -> Tongue {
        Tongue {
            lang: Lang::Ja,
            path: path.to_owned(),
        }
    }

    /// The same page in `lang`.
    pub fn href_in(&self, lang: Lang) -> String {
        match (lang, self.path.as_str()) {
            (lang, "/") => lang.home().to_owned(),
            (lang, path) => format!("{}{path}", lang.prefix()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tongue {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Tongue, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |original| original.0.clone());
        let path = uri.path();
        let path = path.strip_prefix(lang.prefix()).unwrap_or(path);
        let path = if path.is_empty() { "/" } else { path };
        // Only the guided questions' answers (ids) travel in a query; a search's words never
        // do, and are not carried to another language.
        let path = match uri.query() {
            Some(query) if path == "/guide" => format!("{path}?{query}"),
            _ => path.to_owned(),
        };
        Ok(Tongue { lang, path })
    }
}
