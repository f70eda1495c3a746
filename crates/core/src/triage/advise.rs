//! Stage 9, advise: the answer's other sections. Which situation's first steps apply, and
//! which services' help pages (named services first). An unsure answer gets no first steps:
//! steps for a guessed situation would look confident about the wrong thing.

use super::answer::Certainty;
use crate::advice::{FirstStep, LinkRef};
use crate::model::Directory;

/// At most this many help pages under "also useful".
pub const MAX_HELP_PAGES: usize = 6;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sections {
    /// The situation whose first steps the answer shows.
    pub first_steps: Option<String>,
    /// Services' own help pages for that situation.
    pub also_useful: Vec<LinkRef>,
}

impl Sections {
    /// The first steps to show, from the directory's `advice.toml`.
    pub fn steps<'a>(&self, directory: &'a Directory) -> &'a [FirstStep] {
        self.first_steps
            .as_deref()
            .map(|id| directory.advice.steps_for(id))
            .unwrap_or_default()
    }
}

/// `situations` are the text's situations, strongest first; `guided` the situation chosen in
/// the guided questions; `services` the services the text names.
pub fn advise(
    directory: &Directory,
    guided: Option<&str>,
    situations: &[String],
    services: &[String],
    crisis: bool,
    certainty: Certainty,
) -> Sections {
    let confident = matches!(certainty, Certainty::Sure | Certainty::Likely);
    let situation = guided
        .filter(|id| directory.situation(id).is_some())
        .map(str::to_owned)
        .or_else(|| {
            confident
                .then(|| situations.iter().find(|s| *s != "crisis").cloned())
                .flatten()
        })
        .or_else(|| crisis.then(|| "crisis".to_owned()))
        .filter(|id| !directory.advice.steps_for(id).is_empty());
    let also_useful = situation
        .as_deref()
        .map(|id| directory.advice.links_for(id, services, MAX_HELP_PAGES))
        .unwrap_or_default();
    Sections {
        first_steps: situation,
        also_useful,
    }
}
