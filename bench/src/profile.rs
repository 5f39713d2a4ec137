//! A `perf` profile of the services under a scenario's load, drawn as a flamegraph SVG
//! (`perf record` with DWARF call graphs, folded and drawn by inferno, which `make bench`
//! installs into `bench/.tools`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::Context;

/// A `perf record` running against some processes.
pub struct Recording {
    perf: Child,
    data: PathBuf,
    svg: PathBuf,
}

/// Starts recording `pids` for `seconds`; the flamegraph will be `<dir>/<name>.svg`.
pub fn start(dir: &Path, name: &str, pids: &[u32], seconds: u64) -> anyhow::Result<Recording> {
    std::fs::create_dir_all(dir)?;
    let data = std::env::temp_dir().join(format!("peerprep-bench-{name}.perf.data"));
    let pids = pids
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let perf = Command::new("perf")
        .args(["record", "-q", "-F", "199", "--call-graph", "dwarf,16384"])
        .args(["-p", &pids, "-o"])
        .arg(&data)
        .args(["--", "sleep", &seconds.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("start perf (`make bench` installs linux-perf)")?;
    Ok(Recording {
        perf,
        data,
        svg: dir.join(format!("{name}.svg")),
    })
}

impl Recording {
    /// Waits for the recording to end and draws it; the SVG's path.
    pub fn finish(mut self) -> anyhow::Result<PathBuf> {
        let status = self.perf.wait()?;
        anyhow::ensure!(status.success(), "perf record failed: {status}");
        let script = Command::new("perf")
            .args(["script", "--no-inline", "-i"])
            .arg(&self.data)
            .stderr(Stdio::null())
            .output()
            .context("perf script")?;
        anyhow::ensure!(script.status.success(), "perf script failed");
        let folded = pipe("inferno-collapse-perf", &[], &script.stdout)?;
        let svg = pipe(
            "inferno-flamegraph",
            &["--title", &self.title(), "--width", "1600"],
            &folded,
        )?;
        std::fs::write(&self.svg, svg)?;
        let _ = std::fs::remove_file(&self.data);
        Ok(self.svg)
    }

    fn title(&self) -> String {
        let name = self
            .svg
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("PeerPrep services under the {name} load")
    }
}

/// Runs `program` with `input` on its stdin; its stdout.
fn pipe(program: &str, args: &[&str], input: &[u8]) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("start {program} (`make bench` installs inferno)"))?;
    let mut stdin = child.stdin.take().context("stdin")?;
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing to {program} panicked"))??;
    anyhow::ensure!(output.status.success(), "{program} failed");
    Ok(output.stdout)
}
