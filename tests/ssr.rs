//! Components rendered to HTML natively (Yew SSR) for known inputs.

#![cfg(not(target_arch = "wasm32"))]

use layerlens_core::{Error, ErrorKind};
use layerlens_web::components::{ErrorPanel, ErrorPanelProps, ProgressPanel, ProgressProps};
use yew::{Callback, LocalServerRenderer};

async fn render<C: yew::BaseComponent>(props: C::Properties) -> String {
    LocalServerRenderer::<C>::with_props(props).hydratable(false).render().await
}

#[tokio::test(flavor = "current_thread")]
async fn progress_shows_bytes_rate_and_cancel() {
    let html = render::<ProgressPanel>(ProgressProps {
        name: "big.tar".into(),
        done: 25_000_000,
        total: 100_000_000,
        rate_mb_s: Some(187.26),
        on_cancel: Callback::noop(),
    })
    .await;
    assert!(html.contains("<strong>big.tar</strong>"), "{html}");
    assert!(html.contains("25 MB of 100 MB"), "{html}");
    assert!(html.contains("187.3 MB/s"), "{html}");
    assert!(html.contains(r#"value="0.25""#), "{html}");
    assert!(html.contains(">Cancel</button>"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn error_panel_gives_the_message_and_what_to_try() {
    let html = render::<ErrorPanel>(ErrorPanelProps {
        name: "notes.txt".into(),
        error: Error::new(ErrorKind::NotAnImage, "the file is not a tar archive (no tar header found at its start)"),
    })
    .await;
    assert!(html.contains("notes.txt could not be analysed"), "{html}");
    assert!(html.contains("The file is not a tar archive (no tar header found at its start)."), "{html}");
    assert!(html.contains("docker save IMAGE -o image.tar"), "{html}");
    assert!(html.contains(r#"role="alert""#), "{html}");
}
