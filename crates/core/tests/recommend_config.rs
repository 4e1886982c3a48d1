//! The image config's runtime settings reach the report, and the recommendations read them from there
//! (data flows one way: nothing re-reads the archive).

mod recommend_support;

use layerlens_core::image::{analyze, AnalyzeOptions, RuntimeConfig};
use layerlens_core::recommend::{capture_options, recommend_image, ImageView};
use layerlens_core::{MemSource, Silent};
use recommend_support::{docker_save, Layer, DEBIAN_OS_RELEASE};

fn image(config: serde_json::Value) -> Vec<u8> {
    let base = Layer::new().file("etc/os-release", DEBIAN_OS_RELEASE).file("etc/debian_version", b"12.7\n").build();
    let app = Layer::new().file("app/server.py", b"print('hi')\n").build();
    docker_save("config:1", &[("RUN debootstrap", false), ("COPY . /app", false)], &[base, app], config)
}

fn report_of(bytes: &[u8]) -> layerlens_core::image::ImageReport {
    let source = MemSource::new(bytes);
    let options = AnalyzeOptions { capture: capture_options(), ..AnalyzeOptions::default() };
    analyze(&source, &options, &mut Silent).unwrap()
}

#[test]
fn runtime_settings_are_in_the_report_and_drive_the_findings() {
    let bytes = image(serde_json::json!({
        "User": "app:app",
        "Env": ["PATH=/usr/bin", "PYTHON_VERSION=3.12.4", "API_TOKEN=abc"],
        "Entrypoint": ["python3"],
        "Cmd": ["server.py"],
        "WorkingDir": "/app",
        "ExposedPorts": {"8080/tcp": {}, "9090/udp": {}},
        "Labels": {"org.opencontainers.image.title": "demo", "weird": 3},
    }));
    let report = report_of(&bytes);
    let config = report.config.clone().expect("the config is recorded");
    assert_eq!(
        config,
        RuntimeConfig {
            env: vec!["PATH=/usr/bin".into(), "PYTHON_VERSION=3.12.4".into(), "API_TOKEN=abc".into()],
            user: "app:app".into(),
            entrypoint: vec!["python3".into()],
            cmd: vec!["server.py".into()],
            working_dir: "/app".into(),
            exposed_ports: vec!["8080/tcp".into(), "9090/udp".into()],
            labels: [("org.opencontainers.image.title".to_string(), "demo".to_string())].into(),
        }
    );
    let view = ImageView::from_report(&report);
    assert!(view.config.known);
    assert_eq!(view.config.command, ["python3", "server.py"]);
    let recs = recommend_image(&view).unwrap();
    assert!(!recs.unknowns.iter().any(|u| u.contains("image config")), "{:?}", recs.unknowns);
    assert!(!recs.findings.iter().any(|f| f.id == "root-user"), "{:?}", recs.findings);
    assert!(
        recs.findings.iter().any(|f| f.id.contains("secret") || f.title.contains("API_TOKEN")),
        "{:?}",
        recs.findings
    );

    // A report serialised and read back keeps the settings; one from an older engine has none.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["config"]["user"], "app:app");
    let mut old = json.clone();
    old.as_object_mut().unwrap().remove("config");
    let old: layerlens_core::image::ImageReport = serde_json::from_value(old).unwrap();
    assert!(!ImageView::from_report(&old).config.known);
}

#[test]
fn a_config_without_user_runs_as_root_and_odd_types_are_left_out() {
    let bytes = image(serde_json::json!({"User": 0, "Env": "PATH=/bin", "Cmd": ["a", 1, "b"], "Labels": []}));
    let config = report_of(&bytes).config.unwrap();
    assert_eq!(config.user, "");
    assert!(config.env.is_empty());
    assert_eq!(config.cmd, ["a", "b"]);
    assert!(config.labels.is_empty());
    let report = report_of(&bytes);
    let recs = recommend_image(&ImageView::from_report(&report)).unwrap();
    assert!(recs.findings.iter().any(|f| f.id == "root-user"), "{:?}", recs.findings);
}
