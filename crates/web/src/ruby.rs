//! ふりがな over rendered HTML: every kanji word `readings.toml` knows, in the text of the
//! page, gets `<ruby>`. Tags, attributes and elements that cannot hold ruby (`<title>`,
//! `<textarea>`, `<option>`, `<svg>`) are left as they are, so what a person typed is never
//! changed.

use madoguchi_core::readings::{Piece, Readings, is_kanji};

/// Elements whose text stays as it is (and, for `ruby`, already has its reading).
const PLAIN: &[&str] = &[
    "title", "textarea", "option", "svg", "script", "style", "ruby",
];

/// A piece of HTML: a tag, or text and whether it sits inside one of `PLAIN`.
enum Chunk<'a> {
    Tag(&'a str),
    Text { text: &'a str, plain: bool },
}

/// Cuts HTML into tags and text, tracking whether the text is inside a `PLAIN` element.
/// Enough for the pages this service renders itself; not a general HTML parser.
fn chunks(html: &str) -> impl Iterator<Item = Chunk<'_>> {
    let mut rest = html;
    let mut inside: Option<&'static str> = None;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            rest = &rest[end..];
            let closing = tag.starts_with("</");
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            match inside {
                Some(open) if closing && name == open => inside = None,
                None if !closing && !tag.ends_with("/>") => {
                    inside = PLAIN.iter().copied().find(|p| *p == name);
                }
                _ => {}
            }
            return Some(Chunk::Tag(tag));
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        rest = &rest[end..];
        Some(Chunk::Text {
            text,
            plain: inside.is_some(),
        })
    })
}

/// The 80 kanji of the first school year (文部科学省「学年別漢字配当表」第1学年): the
/// やさしい日本語 pages leave words made only of these without ふりがな, as the guideline's
/// "kanji outside the basic list" rule allows; the children's pages annotate every kanji.
pub const FIRST_GRADE_KANJI: &str = "一右雨円王音下火花貝学気九休玉金空月犬見五口校左三山子四糸字耳七車手十出女小上森人水正生青夕石赤千川先早草足村大男竹中虫町天田土二日入年白八百文木本名目立力林六";

/// Puts ふりがな over every word `readings` knows in the page's text, except words whose
/// kanji are all in `basic`.
pub fn furigana(html: &str, readings: &Readings, basic: &str) -> String {
    let mut out = String::with_capacity(html.len() * 5 / 4);
    for chunk in chunks(html) {
        match chunk {
            Chunk::Tag(tag) => out.push_str(tag),
            Chunk::Text { text, plain: true } => out.push_str(text),
            Chunk::Text { text, plain: false } => {
                for piece in readings.annotate(text) {
                    match piece {
                        Piece::Plain(plain) => out.push_str(&plain),
                        Piece::Ruby { base, .. } if base.chars().all(|c| basic.contains(c)) => {
                            out.push_str(&base);
                        }
                        Piece::Ruby { base, reading } => {
                            // The shortest valid form (`</rt>` may be left out before
                            // `</ruby>`), without `<rp>` parentheses: every browser in use
                            // lays out ruby, and a やさしい日本語 page has hundreds of them,
                            // which would otherwise push an answer past the 30 KB budget.
                            out.push_str("<ruby>");
                            out.push_str(&base);
                            out.push_str("<rt>");
                            out.push_str(&reading);
                            out.push_str("</ruby>");
                        }
                    }
                }
            }
        }
    }
    out
}

/// Runs of kanji in the page's text that have no ふりがな.
pub fn kanji_without_reading(html: &str) -> Vec<String> {
    let mut missing = Vec::new();
    for chunk in chunks(html) {
        if let Chunk::Text { text, plain: false } = chunk {
            let mut run = String::new();
            for c in text.chars() {
                if is_kanji(c) {
                    run.push(c);
                } else if !run.is_empty() {
                    missing.push(std::mem::take(&mut run));
                }
            }
            if !run.is_empty() {
                missing.push(run);
            }
        }
    }
    missing
}
