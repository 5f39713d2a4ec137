#![expect(
    clippy::print_stderr,
    reason = "a benchmark reports its progress on stderr"
)]
//! `make bench`: PeerPrep's load generator. It starts what each scenario needs from the
//! release binaries beside it (a Redis of its own, fresh databases on the machine's
//! PostgreSQL), loads the services from this process (one thread, `yrs` and awc), runs every
//! scenario several times and writes `bench/report/latest.md` and `latest.json`: each
//! figure's median and spread, its target and by how much it misses, and a flamegraph of the
//! services for every scenario that misses one.
//!
//! ```text
//! peerprep-bench [--runs 3] [--seconds 20] [--scale 1.0] [--only NAME,…] [--no-profile]
//!                [--out DIR]
//! ```
//!
//! `BENCH_RUST_LOG=warn` shows the services' own logs (they run with `error` otherwise).

use std::path::PathBuf;

use anyhow::Context;

mod clients;
mod measure;
mod profile;
mod report;
mod scenarios;
mod stack;

use report::{Metric, Report, ScenarioReport};
use scenarios::Scenario;

/// What a scenario's run gives: its figures, and the profile if one was asked for.
pub struct Run {
    pub metrics: Vec<Metric>,
    pub profile: Option<PathBuf>,
}

/// What every scenario runs with.
pub struct Ctx {
    pub stack: stack::Stack,
    /// How long a steady load lasts.
    pub seconds: u64,
    /// Rooms, users and connections are the issue's numbers times this.
    pub scale: f64,
    /// Where flamegraphs go; the scenario to profile in this run, if any.
    profiles: PathBuf,
    profiling: Option<&'static str>,
}

impl Ctx {
    pub fn scaled(&self, count: usize) -> usize {
        ((count as f64 * self.scale).round() as usize).max(2)
    }

    /// Starts recording `pids` if this run is the profiled one.
    pub fn profile(&self, pids: &[u32]) -> Option<profile::Recording> {
        let name = self.profiling?;
        let seconds = self.seconds.clamp(1, 10);
        profile::start(&self.profiles, name, pids, seconds)
            .map_err(|err| eprintln!("  profile not recorded: {err:#}"))
            .ok()
    }

    pub fn finish_profile(&self, recording: Option<profile::Recording>) -> Option<PathBuf> {
        recording?
            .finish()
            .map_err(|err| eprintln!("  profile not drawn: {err:#}"))
            .ok()
    }
}

struct Args {
    runs: usize,
    seconds: u64,
    scale: f64,
    only: Option<Vec<String>>,
    profile: bool,
    out: PathBuf,
}

impl Args {
    fn parse() -> anyhow::Result<Self> {
        let mut args = Self {
            runs: 3,
            seconds: 20,
            scale: 1.0,
            only: None,
            profile: true,
            out: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("report"),
        };
        let mut given = std::env::args().skip(1);
        while let Some(flag) = given.next() {
            let mut value = || {
                given
                    .next()
                    .with_context(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--runs" => args.runs = value()?.parse()?,
                "--seconds" => args.seconds = value()?.parse()?,
                "--scale" => args.scale = value()?.parse()?,
                "--only" => args.only = Some(value()?.split(',').map(str::to_owned).collect()),
                "--no-profile" => args.profile = false,
                "--out" => args.out = PathBuf::from(value()?),
                other => anyhow::bail!(
                    "unknown argument {other}; usage: peerprep-bench [--runs N] [--seconds S] \
                     [--scale F] [--only NAME,…] [--no-profile] [--out DIR]; scenarios: {}",
                    Scenario::ALL.map(Scenario::name).join(", ")
                ),
            }
        }
        anyhow::ensure!(
            args.runs > 0 && args.seconds > 0 && args.scale > 0.0,
            "runs, seconds and scale must be positive"
        );
        if let Some(only) = &args.only
            && let Some(unknown) = only
                .iter()
                .find(|name| !Scenario::ALL.iter().any(|s| s.name() == name.as_str()))
        {
            anyhow::bail!("no scenario {unknown}");
        }
        Ok(args)
    }
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "an unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!("{cores} cores ({model}), {memory_gib:.0} GiB")
}

fn now() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse()?;
    let mut ctx = Ctx {
        stack: stack::Stack::new()?,
        seconds: args.seconds,
        scale: args.scale,
        profiles: args.out.join("profiles"),
        profiling: None,
    };
    let selected: Vec<Scenario> = Scenario::ALL
        .into_iter()
        .filter(|s| {
            args.only
                .as_ref()
                .is_none_or(|only| only.iter().any(|name| name == s.name()))
        })
        .collect();
    let mut scenarios = Vec::new();
    for scenario in selected {
        let mut runs = Vec::new();
        let mut failures = Vec::new();
        for run in 1..=args.runs {
            eprintln!("[bench] {} run {run}/{}", scenario.name(), args.runs);
            match scenario.run(&ctx).await {
                Ok(done) => runs.push(done.metrics),
                Err(err) => {
                    eprintln!("  failed: {err:#}");
                    failures.push(format!("{err:#}"));
                }
            }
        }
        let mut report = ScenarioReport::new(scenario.name(), scenario.what(&ctx), &runs);
        report.failures = failures;
        for figure in &report.figures {
            eprintln!(
                "  {}: {} {} ({} – {}){}",
                figure.name,
                report::number(figure.median),
                figure.unit,
                report::number(figure.min),
                report::number(figure.max),
                match figure.met {
                    Some(true) => " met",
                    Some(false) => " MISSED",
                    None => "",
                }
            );
        }
        if report.misses() && args.profile {
            eprintln!("[bench] {}: profiling one more run", scenario.name());
            ctx.profiling = Some(scenario.name());
            match scenario.run(&ctx).await {
                Ok(Run {
                    profile: Some(svg), ..
                }) => {
                    report.profile = svg
                        .strip_prefix(&args.out)
                        .map(|p| p.display().to_string())
                        .ok();
                }
                Ok(_) => {}
                Err(err) => eprintln!("  the profiled run failed: {err:#}"),
            }
            ctx.profiling = None;
        }
        scenarios.push(report);
    }
    let report = Report {
        generated_at: now(),
        machine: machine(),
        command: std::iter::once("make bench".to_owned())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        runs_per_scenario: args.runs,
        scenarios,
        findings: std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("findings.md"),
        )
        .unwrap_or_default(),
    };
    std::fs::create_dir_all(&args.out)?;
    std::fs::write(args.out.join("latest.md"), report.markdown())?;
    std::fs::write(
        args.out.join("latest.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    eprintln!("[bench] wrote {}", args.out.join("latest.md").display());
    Ok(())
}
