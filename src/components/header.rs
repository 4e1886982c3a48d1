//! The page header: the name, what the tool does, and the theme toggle.

use crate::state::Theme;
use yew::prelude::*;

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The current theme, shown on the toggle.
    pub theme: Theme,
    /// Called when the user presses the theme toggle.
    pub on_toggle_theme: Callback<()>,
}

/// The top bar of the page.
#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let label = match props.theme {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    let onclick = props.on_toggle_theme.reform(|_: MouseEvent| ());
    html! {
        <header class="top">
            <div class="brand">
                <h1>{ "layerlens" }</h1>
                <p class="tagline">{ "Why is this container image so big? Everything runs in your browser; no file leaves your machine." }</p>
            </div>
            <button type="button" class="theme-toggle" {onclick} title="Switch between the system theme, light and dark">
                { label }
            </button>
        </header>
    }
}
