/**
 * The visual run report: a {@link dev.vigil.pipelines.report.RunReport} that a run fills with what it measured, and
 * {@link dev.vigil.pipelines.report.HtmlReportWriter}, which turns it into one self-contained HTML file with charts
 * (throughput and latency, per-patient timelines with NEWS2 beside the model score, model versions with prequential
 * metrics, drift events, fairness gaps with Wilson intervals). The file needs no network at view time: the data is
 * embedded as JSON and the charting library (uPlot, MIT, see {@code dev/vigil/report/README.md}) is inlined.
 *
 * <p><b>Privacy.</b> A report never holds a patient identifier. Patient timelines carry a pseudonymous label only
 * ({@code "patient A"}, {@code "patient B"}, ...), assigned in memory by {@link dev.vigil.pipelines.report.Pseudonyms}
 * and checked by {@link dev.vigil.pipelines.report.PatientTimeline}; the mapping from identifier to label is never
 * written anywhere. Fairness groups are attribute values (e.g. {@code F}, {@code 65-79}), never individuals.
 */
package dev.vigil.pipelines.report;
