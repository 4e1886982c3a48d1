//! Hooks that connect the page to the browser.

mod use_analysis;
mod use_compare;
mod use_lint;
mod use_theme;
mod worker_link;

pub use use_analysis::{now, use_analysis, Analysis};
pub use use_compare::{use_compare, Comparing};
pub use use_lint::use_lint;
pub use use_theme::use_theme;
