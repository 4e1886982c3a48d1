//! Applies the chosen theme to the document and remembers it across visits.

use crate::state::{Action, AppState, Theme};
use yew::prelude::*;

const STORAGE_KEY: &str = "layerlens-theme";

/// Restores the stored theme once, then mirrors every change onto `<html data-theme>` and local storage.
#[hook]
pub fn use_theme(theme: Theme, dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        if let Some(value) = stored {
            dispatch.dispatch(Action::SetTheme(Theme::from_attribute(&value)));
        }
    });
    use_effect_with(theme, |theme| {
        let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
        if let Some(root) = root {
            let _ = match theme.attribute() {
                Some(value) => root.set_attribute("data-theme", value),
                None => root.remove_attribute("data-theme"),
            };
        }
        if let Some(storage) = storage() {
            let _ = match theme.attribute() {
                Some(value) => storage.set_item(STORAGE_KEY, value),
                None => storage.remove_item(STORAGE_KEY),
            };
        }
    });
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}
