//! Text from the engine whose back-quoted parts (`apt-get update`, `COPY --chmod`) are commands or code.

use yew::prelude::*;

/// Renders `text` as alternating text and `<code>` nodes, one `<code>` per back-quoted part; the back quotes
/// themselves are not shown. Everything stays text: nothing in `text` becomes markup.
pub fn code_text(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part }</code> }
            } else {
                html! { { part } }
            }
        })
        .collect()
}
