//! The layerlens web app: a Yew page ([`app::App`]) and an analysis Web Worker ([`worker::start`]) that runs
//! layerlens-core over a dropped file. Data flows one way: worker reply, then state, then views.

pub mod app;
pub mod blob_source;
pub mod components;
pub mod embed;
pub mod explorer;
pub mod format;
pub mod hooks;
pub mod host;
pub mod lint;
pub mod protocol;
pub mod report;
pub mod stage_graph;
pub mod state;
pub mod treemap;
pub mod worker;

pub use app::App;
