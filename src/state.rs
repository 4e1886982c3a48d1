//! The one app state and its reducer: worker replies and user actions go in, views read it out.

use crate::lint::DockerfileFinding;
use crate::report::{DockerfileReport, SharedReport};
use crate::stage_graph::StageGraph;
use layerlens_core::compare::{compare, CompareOptions, Comparison};
use layerlens_core::{Error, ErrorKind};
use std::rc::Rc;
use yew::prelude::*;

/// The colour theme the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the system's `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The theme a toggle press moves to: system, then light, then dark, then system again.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    /// The value of the document's `data-theme` attribute, or `None` to follow the system.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    /// Reads a stored attribute value back.
    pub fn from_attribute(value: &str) -> Theme {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

/// Where the current analysis stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Job {
    /// Nothing chosen yet.
    #[default]
    Idle,
    /// The worker is reading `name`.
    Reading {
        /// The file name.
        name: String,
        /// Bytes read so far.
        done: u64,
        /// Bytes in the file.
        total: u64,
        /// When the analysis started (milliseconds, page clock).
        started_ms: f64,
        /// When the last progress arrived.
        now_ms: f64,
    },
    /// The report for `name` is ready.
    Ready {
        /// The file name.
        name: String,
        /// The engine's report.
        report: SharedReport,
        /// How long the analysis took in milliseconds.
        elapsed_ms: f64,
    },
    /// The analysis of `name` failed.
    Failed {
        /// The file name.
        name: String,
        /// What went wrong.
        error: Error,
    },
    /// The user cancelled the analysis of `name`.
    Cancelled {
        /// The file name.
        name: String,
    },
}

impl Job {
    /// The read rate in MB/s (10^6 bytes per second) while reading, once it can be measured.
    pub fn rate_mb_s(&self) -> Option<f64> {
        match self {
            Job::Reading { done, started_ms, now_ms, .. } if *now_ms > *started_ms && *done > 0 => {
                Some(*done as f64 / 1e6 / ((now_ms - started_ms) / 1e3))
            }
            _ => None,
        }
    }

    /// Whether the worker is busy.
    pub fn is_reading(&self) -> bool {
        matches!(self, Job::Reading { .. })
    }
}

/// The second image of a comparison with the shown one, and where its analysis stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CompareJob {
    /// No comparison.
    #[default]
    Off,
    /// The worker is reading the second image.
    Reading {
        /// Its file name.
        name: String,
        /// Bytes read so far.
        done: u64,
        /// Bytes in the file.
        total: u64,
    },
    /// Both images are analysed and compared.
    Ready {
        /// The second image's file name.
        name: String,
        /// The core's comparison of the shown image (first) with the second.
        comparison: Rc<Comparison>,
    },
    /// The second image could not be analysed.
    Failed {
        /// Its file name.
        name: String,
        /// What went wrong.
        error: Error,
    },
}

/// The whole state of the page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// The current or last analysis.
    pub job: Job,
    /// The chosen colour theme.
    pub theme: Theme,
    /// The Dockerfile text the user typed or pasted.
    pub dockerfile: String,
    /// The layer selected in the chart, the table or the explorer.
    pub selected_layer: Option<usize>,
    /// Increases with every Dockerfile edit, so late lint replies for older text are dropped.
    pub dockerfile_revision: u64,
    /// The findings for the current Dockerfile text.
    pub findings: Rc<Vec<DockerfileFinding>>,
    /// The core's advice for the current text: size estimate and rewritten Dockerfiles.
    pub dockerfile_advice: Rc<DockerfileReport>,
    /// The stage graph of the current text.
    pub stage_graph: Rc<StageGraph>,
    /// The comparison of the shown image with a second one.
    pub compare: CompareJob,
}

impl AppState {
    /// The state the page opens with: `dockerfile` in the editor, nothing analysed yet.
    pub fn with_dockerfile(dockerfile: &str) -> AppState {
        AppState { dockerfile: dockerfile.to_string(), ..AppState::default() }
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An analysis of `name` (`total` bytes) was sent to the worker at `now_ms`.
    Start {
        /// The file name.
        name: String,
        /// Bytes in the file.
        total: u64,
        /// The page clock in milliseconds.
        now_ms: f64,
    },
    /// The worker has read `done` of `total` bytes.
    Progress {
        /// Bytes read so far.
        done: u64,
        /// Bytes in the file.
        total: u64,
        /// The page clock in milliseconds.
        now_ms: f64,
    },
    /// The worker finished with a report.
    Finished {
        /// The report.
        report: SharedReport,
        /// The page clock in milliseconds.
        now_ms: f64,
    },
    /// The worker failed.
    Failed(Error),
    /// The user cancelled the running analysis.
    Cancel,
    /// The user picked a theme.
    SetTheme(Theme),
    /// The user edited the Dockerfile.
    SetDockerfile(String),
    /// The user selected a layer.
    SelectLayer(usize),
    /// The lint worker finished a revision of the Dockerfile.
    Linted {
        /// The revision the findings are for.
        revision: u64,
        /// The findings.
        findings: Rc<Vec<DockerfileFinding>>,
        /// The size estimate and rewritten Dockerfiles.
        advice: Rc<DockerfileReport>,
        /// The stage graph.
        graph: Rc<StageGraph>,
    },
    /// The analysis of a second image, `name` (`total` bytes), to compare with the shown one was sent to the worker.
    CompareStart {
        /// The file name.
        name: String,
        /// Bytes in the file.
        total: u64,
    },
    /// The compare worker has read `done` of `total` bytes.
    CompareProgress {
        /// Bytes read so far.
        done: u64,
        /// Bytes in the file.
        total: u64,
    },
    /// The second image is analysed; the reducer compares it with the shown one.
    CompareFinished(SharedReport),
    /// The second image could not be analysed.
    CompareFailed(Error),
    /// The user closed the comparison (or cancelled its analysis).
    CloseCompare,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Start { name, total, now_ms } => {
                next.job = Job::Reading { name, done: 0, total, started_ms: now_ms, now_ms };
                next.compare = CompareJob::Off;
            }
            Action::Progress { done, total, now_ms } => match &mut next.job {
                Job::Reading { done: d, total: t, now_ms: n, .. } => {
                    *d = done;
                    *t = total;
                    *n = now_ms;
                }
                // Progress for an analysis that is no longer running changes nothing.
                _ => return self,
            },
            Action::Finished { report, now_ms } => match &next.job {
                Job::Reading { name, started_ms, .. } => {
                    next.selected_layer = report.analysis.layers.len().checked_sub(1);
                    next.job = Job::Ready { name: name.clone(), report, elapsed_ms: now_ms - started_ms };
                }
                _ => return self,
            },
            Action::Failed(error) => match &next.job {
                Job::Reading { name, .. } if error.kind == ErrorKind::Cancelled => {
                    next.job = Job::Cancelled { name: name.clone() };
                }
                Job::Reading { name, .. } => next.job = Job::Failed { name: name.clone(), error },
                Job::Idle => next.job = Job::Failed { name: String::new(), error },
                _ => return self,
            },
            Action::Cancel => match &next.job {
                Job::Reading { name, .. } => next.job = Job::Cancelled { name: name.clone() },
                _ => return self,
            },
            Action::SetTheme(theme) => next.theme = theme,
            Action::SetDockerfile(text) => {
                next.dockerfile = text;
                next.dockerfile_revision += 1;
            }
            Action::Linted { revision, findings, advice, graph } => {
                if revision != self.dockerfile_revision {
                    return self;
                }
                next.findings = findings;
                next.dockerfile_advice = advice;
                next.stage_graph = graph;
            }
            Action::CompareStart { name, total } => match &next.job {
                Job::Ready { .. } => next.compare = CompareJob::Reading { name, done: 0, total },
                _ => return self,
            },
            Action::CompareProgress { done, total } => match &mut next.compare {
                CompareJob::Reading { done: d, total: t, .. } => {
                    *d = done;
                    *t = total;
                }
                _ => return self,
            },
            Action::CompareFinished(second) => match (&next.job, &next.compare) {
                (Job::Ready { report: first, .. }, CompareJob::Reading { name, .. }) => {
                    let comparison = compare(&first.analysis, &second.analysis, &CompareOptions::default());
                    next.compare = CompareJob::Ready { name: name.clone(), comparison: Rc::new(comparison) };
                }
                _ => return self,
            },
            Action::CompareFailed(error) => match &next.compare {
                CompareJob::Reading { name, .. } => next.compare = CompareJob::Failed { name: name.clone(), error },
                _ => return self,
            },
            Action::CloseCompare => next.compare = CompareJob::Off,
            Action::SelectLayer(index) => match &next.job {
                Job::Ready { report, .. } if index < report.analysis.layers.len() => next.selected_layer = Some(index),
                _ => return self,
            },
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading() -> Rc<AppState> {
        Rc::new(AppState::default()).reduce(Action::Start { name: "a.tar".into(), total: 10_000_000, now_ms: 1000.0 })
    }

    #[test]
    fn progress_gives_a_rate_in_megabytes_per_second() {
        let s = reading().reduce(Action::Progress { done: 5_000_000, total: 10_000_000, now_ms: 1500.0 });
        assert_eq!(s.job.rate_mb_s(), Some(10.0));
    }

    #[test]
    fn a_cancelled_job_ignores_late_replies() {
        let s = reading().reduce(Action::Cancel);
        assert_eq!(s.job, Job::Cancelled { name: "a.tar".into() });
        let report = crate::report::SharedReport::new(crate::report::sample_report());
        let after = s.clone().reduce(Action::Finished { report, now_ms: 2000.0 });
        assert!(Rc::ptr_eq(&s, &after));
    }

    #[test]
    fn a_finished_analysis_selects_the_top_layer_and_clicks_move_the_selection() {
        let report = crate::report::SharedReport::new(crate::report::sample_report());
        let s = reading().reduce(Action::Finished { report, now_ms: 1800.0 });
        assert!(matches!(&s.job, Job::Ready { elapsed_ms, .. } if *elapsed_ms == 800.0));
        assert_eq!(s.selected_layer, Some(5));
        let s = s.reduce(Action::SelectLayer(2));
        assert_eq!(s.selected_layer, Some(2));
        let unchanged = s.clone().reduce(Action::SelectLayer(99));
        assert!(Rc::ptr_eq(&s, &unchanged));
    }

    #[test]
    fn a_failure_names_the_file() {
        let err = Error::new(ErrorKind::NotAnImage, "the file is not a tar archive");
        let s = reading().reduce(Action::Failed(err.clone()));
        assert_eq!(s.job, Job::Failed { name: "a.tar".into(), error: err });
    }

    #[test]
    fn findings_for_an_older_text_are_dropped() {
        let s = Rc::new(AppState::with_dockerfile("FROM a")).reduce(Action::SetDockerfile("FROM b".into()));
        assert_eq!(s.dockerfile_revision, 1);
        let stale = s.clone().reduce(Action::Linted {
            revision: 0,
            findings: Rc::new(vec![]),
            advice: Rc::default(),
            graph: Rc::default(),
        });
        assert!(Rc::ptr_eq(&s, &stale));
        let findings = Rc::new(crate::lint::lint_dockerfile("FROM b\nRUN cd /x"));
        let s = s.reduce(Action::Linted {
            revision: 1,
            findings: findings.clone(),
            advice: Rc::default(),
            graph: Rc::default(),
        });
        assert_eq!(s.findings, findings);
    }

    #[test]
    fn a_second_image_is_compared_with_the_shown_one_and_a_new_analysis_drops_the_comparison() {
        let report = crate::report::SharedReport::new(crate::report::sample_report());
        let shown = reading().reduce(Action::Finished { report: report.clone(), now_ms: 1800.0 });
        let s = shown.clone().reduce(Action::CompareStart { name: "b.tar".into(), total: 100 });
        let s = s.reduce(Action::CompareProgress { done: 50, total: 100 });
        assert_eq!(s.compare, CompareJob::Reading { name: "b.tar".into(), done: 50, total: 100 });
        let s = s.reduce(Action::CompareFinished(report));
        let CompareJob::Ready { name, comparison, .. } = &s.compare else { panic!("{:?}", s.compare) };
        assert_eq!(name, "b.tar");
        assert_eq!(comparison.files.entry_count, 0);
        assert_eq!(comparison.shared.layers, comparison.left.layers);
        let s = s.reduce(Action::Start { name: "c.tar".into(), total: 1, now_ms: 0.0 });
        assert_eq!(s.compare, CompareJob::Off);
        // A failure of the second image leaves the shown one in place.
        let err = Error::new(ErrorKind::NotAnImage, "the file is not a tar archive");
        let s =
            shown.reduce(Action::CompareStart { name: "d.tar".into(), total: 1 }).reduce(Action::CompareFailed(err));
        assert!(matches!(s.compare, CompareJob::Failed { .. }) && matches!(s.job, Job::Ready { .. }));
    }

    #[test]
    fn theme_toggle_cycles_through_three_states() {
        assert_eq!(Theme::System.next().next().next(), Theme::System);
        assert_eq!(Theme::from_attribute(Theme::Dark.attribute().unwrap()), Theme::Dark);
    }
}
