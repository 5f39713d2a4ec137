//! The figures a scenario measures, their targets, and the report: every run's value, the
//! median and spread over the runs, whether the median meets the target and by how much it
//! misses, written as `bench/report/latest.md` and `latest.json`.

use serde::Serialize;

use crate::measure::median;

/// A figure's target: the median over the runs must be at most or at least this.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    AtMost(f64),
    AtLeast(f64),
}

impl Target {
    pub fn met_by(self, value: f64) -> bool {
        match self {
            Self::AtMost(limit) => value <= limit,
            Self::AtLeast(floor) => value >= floor,
        }
    }

    /// How far `value` is from the target, as a factor (1.0 is on it; 3.0: three times over
    /// a ceiling or a third of a floor).
    pub fn factor(self, value: f64) -> f64 {
        match self {
            Self::AtMost(limit) if limit > 0.0 => value / limit,
            Self::AtMost(_) => {
                if value > 0.0 {
                    f64::INFINITY
                } else {
                    1.0
                }
            }
            Self::AtLeast(floor) if value > 0.0 => floor / value,
            Self::AtLeast(_) => f64::INFINITY,
        }
    }

    fn describe(self, unit: &str) -> String {
        match self {
            Self::AtMost(limit) => format!("≤ {}", with_unit(limit, unit)),
            Self::AtLeast(floor) => format!("≥ {}", with_unit(floor, unit)),
        }
    }
}

/// One figure from one run.
#[derive(Debug, Clone)]
pub struct Metric {
    pub name: &'static str,
    pub unit: &'static str,
    pub value: f64,
    pub target: Option<Target>,
}

impl Metric {
    pub fn new(name: &'static str, unit: &'static str, value: f64) -> Self {
        Self {
            name,
            unit,
            value,
            target: None,
        }
    }

    pub fn at_most(mut self, limit: f64) -> Self {
        self.target = Some(Target::AtMost(limit));
        self
    }

    pub fn at_least(mut self, floor: f64) -> Self {
        self.target = Some(Target::AtLeast(floor));
        self
    }
}

/// One figure over every run of a scenario.
#[derive(Debug, Serialize)]
pub struct Figure {
    pub name: &'static str,
    pub unit: &'static str,
    pub runs: Vec<f64>,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub target: Option<Target>,
    pub met: Option<bool>,
    /// How far the median is from the target (1.0 = on it), when it misses.
    pub off_by: Option<f64>,
}

/// A scenario's figures over its runs.
#[derive(Debug, Serialize)]
pub struct ScenarioReport {
    pub name: &'static str,
    pub what: String,
    pub runs: usize,
    pub figures: Vec<Figure>,
    /// A flamegraph of the services under this load (made when a target is missed).
    pub profile: Option<String>,
    /// Runs that failed, with why.
    pub failures: Vec<String>,
}

impl ScenarioReport {
    pub fn new(name: &'static str, what: String, runs: &[Vec<Metric>]) -> Self {
        let mut figures: Vec<Figure> = Vec::new();
        for run in runs {
            for metric in run {
                match figures.iter_mut().find(|f| f.name == metric.name) {
                    Some(figure) => figure.runs.push(metric.value),
                    None => figures.push(Figure {
                        name: metric.name,
                        unit: metric.unit,
                        runs: vec![metric.value],
                        median: 0.0,
                        min: 0.0,
                        max: 0.0,
                        target: metric.target,
                        met: None,
                        off_by: None,
                    }),
                }
            }
        }
        for figure in &mut figures {
            figure.median = median(&figure.runs);
            figure.min = figure.runs.iter().copied().fold(f64::INFINITY, f64::min);
            figure.max = figure
                .runs
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            if let Some(target) = figure.target {
                let met = target.met_by(figure.median);
                figure.met = Some(met);
                figure.off_by = (!met).then(|| target.factor(figure.median));
            }
        }
        Self {
            name,
            what,
            runs: runs.len(),
            figures,
            profile: None,
            failures: Vec::new(),
        }
    }

    pub fn misses(&self) -> bool {
        !self.failures.is_empty() || self.figures.iter().any(|f| f.met == Some(false))
    }
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    pub generated_at: String,
    pub machine: String,
    pub command: String,
    pub runs_per_scenario: usize,
    pub scenarios: Vec<ScenarioReport>,
    /// What the profiles show and what was tried (`bench/findings.md`, kept by hand).
    #[serde(skip)]
    pub findings: String,
}

impl Report {
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        md.push_str("# PeerPrep benchmark report\n\n");
        md.push_str(&format!(
            "Made by `{}` at {} on {}. Release builds; the load generator is a process of \
             its own. Each scenario ran {} times: the median is shown, with the spread (lowest \
             – highest run). CPU per unit is the services' CPU seconds (Redis included where \
             it is used) over the units.\n\n",
            self.command, self.generated_at, self.machine, self.runs_per_scenario
        ));
        let (met, missed): (Vec<&Figure>, Vec<&Figure>) = self
            .scenarios
            .iter()
            .flat_map(|s| &s.figures)
            .filter(|f| f.target.is_some())
            .partition(|f| f.met == Some(true));
        md.push_str(&format!(
            "**{} of {} targets met.**\n\n",
            met.len(),
            met.len() + missed.len()
        ));
        for scenario in &self.scenarios {
            md.push_str(&format!("## {}\n\n{}\n\n", scenario.name, scenario.what));
            md.push_str("| figure | median | spread | target | |\n|---|---|---|---|---|\n");
            for figure in &scenario.figures {
                let verdict = match (figure.met, figure.off_by) {
                    (Some(true), _) => "met".to_owned(),
                    (Some(false), Some(off)) if off.is_finite() => {
                        format!("**missed: {}× the target**", number(off))
                    }
                    (Some(false), _) => "**missed**".to_owned(),
                    (None, _) => String::new(),
                };
                md.push_str(&format!(
                    "| {} | {} | {} – {} | {} | {} |\n",
                    figure.name,
                    with_unit(figure.median, figure.unit),
                    number(figure.min),
                    number(figure.max),
                    figure
                        .target
                        .map_or_else(String::new, |t| t.describe(figure.unit)),
                    verdict
                ));
            }
            md.push('\n');
            if let Some(profile) = &scenario.profile {
                md.push_str(&format!(
                    "Profile of the services under this load: [{profile}]({profile})\n\n"
                ));
            }
            for failure in &scenario.failures {
                md.push_str(&format!("- a run failed: {failure}\n"));
            }
            if !scenario.failures.is_empty() {
                md.push('\n');
            }
        }
        if !self.findings.is_empty() {
            md.push_str(&self.findings);
        }
        md
    }
}

/// A figure and its unit (a count has none).
fn with_unit(value: f64, unit: &str) -> String {
    if unit.is_empty() {
        number(value)
    } else {
        format!("{} {unit}", number(value))
    }
}

/// A figure as people read it: three significant digits, no trailing noise.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let magnitude = value.abs();
    if magnitude >= 100.0 || magnitude == 0.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else if magnitude >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_judged_on_its_median() {
        let runs = vec![
            vec![Metric::new("cpu", "µs", 10.0).at_most(15.0)],
            vec![Metric::new("cpu", "µs", 40.0).at_most(15.0)],
            vec![Metric::new("cpu", "µs", 30.0).at_most(15.0)],
        ];
        let report = ScenarioReport::new("s", String::new(), &runs);
        let figure = &report.figures[0];
        assert_eq!((figure.median, figure.min, figure.max), (30.0, 10.0, 40.0));
        assert_eq!(figure.met, Some(false));
        assert_eq!(figure.off_by, Some(2.0));
        assert!(report.misses());
    }

    #[test]
    fn floors_and_ceilings() {
        assert!(Target::AtLeast(0.5).met_by(0.5));
        assert_eq!(Target::AtLeast(0.5).factor(0.25), 2.0);
        assert!(Target::AtMost(0.0).met_by(0.0));
        assert!(!Target::AtMost(0.0).met_by(1.0));
    }

    #[test]
    fn numbers_keep_three_figures() {
        assert_eq!(number(1234.5), "1234");
        assert_eq!(number(12.345), "12.3");
        assert_eq!(number(1.2345), "1.23");
        assert_eq!(number(0.012345), "0.012");
        assert_eq!(number(0.0), "0");
    }
}
