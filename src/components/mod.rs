//! The page's views. Each renders from props only; none reaches back into the engine.

mod code_text;
mod compare;
mod dockerfile_editor;
mod drop_zone;
mod error_panel;
mod estimate;
mod export;
mod file_explorer;
mod header;
mod layer_chart;
mod layer_table;
mod progress;
mod recommendations;
mod results;
mod rewrite;
mod size_bars;
mod stage_graph;
mod summary;
mod treemap_view;
mod virtual_list;
mod waste;

pub use compare::{
    filter_entries, ComparePanel, ComparePanelProps, CompareView, CompareViewProps, FileFilter, FileOrder,
};
pub use dockerfile_editor::{DockerfileEditor, DockerfileEditorProps};
pub use drop_zone::{DropZone, DropZoneProps};
pub use error_panel::{advice, ErrorPanel, ErrorPanelProps};
pub use estimate::{EstimateProps, EstimateView};
pub use export::{file_stem, report_json, ExportBar, ExportProps};
pub use file_explorer::{FileExplorer, FileExplorerProps};
pub use header::{Header, HeaderProps};
pub use layer_chart::{LayerChart, LayerChartProps};
pub use layer_table::{LayerTable, LayerTableProps};
pub use progress::{ProgressPanel, ProgressProps};
pub use recommendations::{chart_measure, saving_words, ChartMeasure, RecommendationsProps, RecommendationsView};
pub use results::{Results, ResultsProps};
pub use rewrite::{diff_lines, DiffKind, RewriteProps, RewriteView};
pub use stage_graph::{StageGraphProps, StageGraphView};
pub use summary::{Summary, SummaryProps};
pub use treemap_view::{layer_colour, TreemapProps, TreemapView};
pub use waste::{reason_words, WasteProps, WasteView};
