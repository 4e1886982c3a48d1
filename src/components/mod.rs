//! The page's views. Each renders from props only; none reaches back into the engine.

mod dockerfile_editor;
mod drop_zone;
mod error_panel;
mod header;
mod progress;
mod results;

pub use dockerfile_editor::DockerfileEditor;
pub use drop_zone::DropZone;
pub use error_panel::{advice, ErrorPanel};
pub use header::Header;
pub use progress::ProgressPanel;
pub use results::Results;
