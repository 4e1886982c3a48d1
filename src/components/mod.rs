//! The page's views. Each renders from props only; none reaches back into the engine.

mod dockerfile_editor;
mod drop_zone;
mod error_panel;
mod header;
mod progress;
mod results;

pub use dockerfile_editor::{DockerfileEditor, DockerfileEditorProps};
pub use drop_zone::{DropZone, DropZoneProps};
pub use error_panel::{advice, ErrorPanel, ErrorPanelProps};
pub use header::{Header, HeaderProps};
pub use progress::{ProgressPanel, ProgressProps};
pub use results::{Results, ResultsProps};
