package dev.vigil.operators.monitor;

import dev.vigil.operators.fairness.FairnessCriterion;
import dev.vigil.operators.fairness.WilsonInterval;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the drift and fairness monitors ({@link Monitors}). Read as nested YAML in {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   monitor:
 *     threshold: 0.3              # decision threshold of the error signal and of the fairness rates
 *     allowed-lateness: 0 s
 *     drift:
 *       error:    { detector: adwin }          # 0/1 error at the threshold
 *       brier:    { detector: adwin }          # Brier score (score - label)^2
 *       log-loss: { detector: none }
 *       score:    { detector: psi }            # the model's score, label-free
 *       feature:  { detector: psi, params: [reference-size=1000, window-size=1000] }
 *       features: [resp_rate_last, spo2_min_1h]
 *       warnings: false
 *       batch-interval: 1 min
 *     fairness:
 *       attributes: [sexAtBirth, ageBand]
 *       window: 24 h
 *       slide: 6 h
 *       min-group-count: 30
 *       consecutive-windows: 4
 * }</pre>
 *
 * <p><b>Default detectors</b>, measured on simulated calibrated models (base rate 5% and 20%, 500 000 stationary
 * observations each, then a degraded model): ADWIN (δ = 0.002) on the 0/1 error and on the Brier score raised no
 * false alarm, and found the degradation after about 500 to 1 800 examples. Page-Hinkley with its published defaults
 * on the log loss found it within 200 to 300 examples but raised 9 to 16 false alarms per 100 000 examples (the log
 * loss is heavy-tailed and unbounded, its threshold λ = 50 is not calibrated to it), so the log-loss signal is off by
 * default. ADWIN's bound assumes values in [0, 1], which holds for the error and the Brier score. Label-free signals
 * (score, features) use the Population Stability Index against a reference window: its windows of hundreds of values
 * average over many entities, which matters because consecutive predictions of one patient are correlated, and its
 * thresholds (0.1 warning, 0.2 drift) are the industry's rule of thumb. Windows must still span many entities: widen
 * them ({@code params: [reference-size=..., window-size=...]}) when a few entities dominate a window.
 *
 * <p><b>Fairness alerts</b> need {@link #FAIRNESS_CONSECUTIVE_WINDOWS} consecutive windows with a significant gap
 * (windows one slide apart). On unbiased simulated streams (200 to 4 000 examples per window, window = 4 slides, 4 000
 * windows each) 5% to 8% of windows showed a significant gap with 4 groups (about 1.7% with 2 groups). Overlapping
 * windows share most of their examples, so runs of 3 still started in 5 to 7 of 1 000 windows with 4 groups (one
 * false alert every 5 to 7 weeks at the default 4 windows a day), runs of 4 in 1.3 to 2 of 1 000 (one every 4 to 6
 * months; with 2 groups 0.3 or fewer). Hence the default of 4: a lasting gap alerts 18 h after its first significant
 * report.
 */
public final class MonitorOptions {

    /** Value of a {@code detector} option that switches the signal off. */
    public static final String NONE = "none";

    // ---- shared ----------------------------------------------------------------------------------------------------

    public static final ConfigOption<Double> THRESHOLD =
            ConfigOptions.key("vigil.monitor.threshold")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription(
                            "Decision threshold in [0, 1]: a score at or above it is a positive decision. The error"
                                    + " signal and every fairness rate (selection rate, TPR, FPR, precision) are"
                                    + " taken at it; set it to the threshold the pipeline alerts or declines at.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("vigil.monitor.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "How far behind the watermark an input may arrive and still count. Drift detectors are"
                                    + " fed in event-time order once the watermark passes an observation's time plus"
                                    + " this; fairness windows close this long after their end. Later inputs are"
                                    + " dropped and counted. Inputs carry the timestamp of the operator that emitted"
                                    + " them (the label join's output is never behind its watermark), so zero suits"
                                    + " most jobs; every detection and report is delayed by this much event time.");

    // ---- drift -----------------------------------------------------------------------------------------------------

    public static final ConfigOption<String> ERROR_DETECTOR = detector(SignalKind.ERROR, "adwin",
            "Detector of the 0/1 error at the threshold (error/<model>), from labelled examples.");

    public static final ConfigOption<List<String>> ERROR_PARAMS = params(SignalKind.ERROR);

    public static final ConfigOption<String> BRIER_DETECTOR = detector(SignalKind.BRIER, "adwin",
            "Detector of the Brier score (score - label)^2 (brier/<model>), from labelled examples: it sees a"
                    + " loss of calibration that does not move scores across the threshold.");

    public static final ConfigOption<List<String>> BRIER_PARAMS = params(SignalKind.BRIER);

    public static final ConfigOption<String> LOG_LOSS_DETECTOR = detector(SignalKind.LOG_LOSS, NONE,
            "Detector of the log loss, score clipped to [1e-4, 1 - 1e-4] (log-loss/<model>), from labelled"
                    + " examples. Off by default: the log loss is unbounded and heavy-tailed; calibrate a"
                    + " page-hinkley lambda to it before switching it on.");

    public static final ConfigOption<List<String>> LOG_LOSS_PARAMS = params(SignalKind.LOG_LOSS);

    public static final ConfigOption<String> SCORE_DETECTOR = detector(SignalKind.SCORE, "psi",
            "Label-free detector of the model's score (score/<model>), from predictions.");

    public static final ConfigOption<List<String>> SCORE_PARAMS = params(SignalKind.SCORE);

    public static final ConfigOption<String> FEATURE_DETECTOR = detector(SignalKind.FEATURE, "psi",
            "Label-free detector of each feature listed in vigil.monitor.drift.features (feature/<name>), one"
                    + " detector per feature, from predictions.");

    public static final ConfigOption<List<String>> FEATURE_PARAMS = params(SignalKind.FEATURE);

    public static final ConfigOption<List<String>> FEATURES =
            ConfigOptions.key("vigil.monitor.drift.features")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Names of the features to watch, from the model's feature schema (the order of"
                                    + " Prediction.features). Empty: no feature is watched.");

    public static final ConfigOption<Boolean> WARNINGS =
            ConfigOptions.key("vigil.monitor.drift.warnings")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also emit WARNING events (ddm, eddm, hddm-a, hddm-w, psi, jensen-shannon): the first"
                                    + " warning of each run of warnings. Off by default to keep alarms few.");

    public static final ConfigOption<Duration> WARM_UP =
            ConfigOptions.key("vigil.monitor.drift.warm-up")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Event time after a signal's first observation during which the drift monitor does not"
                                    + " feed it to its detector: at a stream's start, features over look-back windows"
                                    + " are still filling and a reference taken then would not describe the steady"
                                    + " state. Skipped observations are counted as skipped signals.");

    public static final ConfigOption<Double> SAMPLE_RATE =
            ConfigOptions.key("vigil.monitor.drift.sample-rate")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "Share of predictions that feed the drift detectors, in (0, 1]: their score and watched"
                                    + " features, and, once labelled, their error, Brier score and log loss. The"
                                    + " sample is deterministic (a hash of entity id and prediction event time), so"
                                    + " a prediction and its labelled example are in or out together and replays"
                                    + " detect at the same points. A patient scored every few minutes gives nearly"
                                    + " identical consecutive values and one outcome labels hundreds of them at"
                                    + " once: sampling thins these runs without losing the distribution, lets a"
                                    + " detector window of a given size span more time (a whole day, past the"
                                    + " circadian rhythm) and cuts the records sent to the monitor.");

    public static final ConfigOption<Duration> BATCH_INTERVAL =
            ConfigOptions.key("vigil.monitor.drift.batch-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Event-time granularity of the drift monitor: observations are buffered in keyed state"
                                    + " and fed, sorted by event time, once the watermark passes the end of their"
                                    + " interval. Longer batches more observations per detector restore; every"
                                    + " detection waits up to this much event time.");

    // ---- fairness --------------------------------------------------------------------------------------------------

    public static final ConfigOption<List<String>> FAIRNESS_ATTRIBUTES =
            ConfigOptions.key("vigil.monitor.fairness.attributes")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Protected attributes, keys of LabeledExample.group (ICU: sexAtBirth, ageBand; fraud:"
                                    + " ageBand, region). Each gets its own windows and reports. Empty: no fairness"
                                    + " monitoring.");

    public static final ConfigOption<Duration> FAIRNESS_WINDOW =
            ConfigOptions.key("vigil.monitor.fairness.window")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription("Length of the sliding event-time windows; a multiple of the slide.");

    public static final ConfigOption<Duration> FAIRNESS_SLIDE =
            ConfigOptions.key("vigil.monitor.fairness.slide")
                    .durationType()
                    .defaultValue(Duration.ofHours(6))
                    .withDescription("Distance between window starts: one report per attribute and slide.");

    public static final ConfigOption<Integer> FAIRNESS_MIN_GROUP_COUNT =
            ConfigOptions.key("vigil.monitor.fairness.min-group-count")
                    .intType()
                    .defaultValue(30)
                    .withDescription("Examples a group needs in a window to take part in any gap (reported anyway).");

    public static final ConfigOption<Integer> FAIRNESS_MIN_POSITIVES =
            ConfigOptions.key("vigil.monitor.fairness.min-positives")
                    .intType()
                    .defaultValue(10)
                    .withDescription("Positives a group needs in a window to take part in the TPR gap.");

    public static final ConfigOption<Integer> FAIRNESS_MIN_NEGATIVES =
            ConfigOptions.key("vigil.monitor.fairness.min-negatives")
                    .intType()
                    .defaultValue(10)
                    .withDescription("Negatives a group needs in a window to take part in the FPR gap.");

    public static final ConfigOption<Double> FAIRNESS_Z =
            ConfigOptions.key("vigil.monitor.fairness.z")
                    .doubleType()
                    .defaultValue(WilsonInterval.Z_95)
                    .withDescription(
                            "Normal quantile of the Wilson intervals (1.96: 95%). A gap is significant when the"
                                    + " intervals of its extreme groups do not overlap.");

    public static final ConfigOption<Double> FAIRNESS_FOUR_FIFTHS =
            ConfigOptions.key("vigil.monitor.fairness.four-fifths")
                    .doubleType()
                    .defaultValue(0.8)
                    .withDescription("Selection-rate ratio below which the four-fifths rule is violated, in (0, 1].");

    public static final ConfigOption<Double> FAIRNESS_MIN_GAP =
            ConfigOptions.key("vigil.monitor.fairness.min-gap")
                    .doubleType()
                    .defaultValue(0.05)
                    .withDescription("Smallest difference (in rate, e.g. 0.05 = 5 percentage points) a gap must"
                            + " reach to count as significant, besides non-overlapping Wilson intervals. Predictions"
                            + " of one patient are correlated, which makes the intervals too narrow; this"
                            + " practical-significance floor keeps small, clinically meaningless gaps from alerting.");

    public static final ConfigOption<Boolean> FAIRNESS_CLUSTER_BY_ENTITY =
            ConfigOptions.key("vigil.monitor.fairness.cluster-by-entity")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Treat the examples of one entity (the patient, the account: LabeledExample"
                            + ".entityId) as one cluster: every rate's Wilson interval then uses its cluster-robust"
                            + " effective sample size (Korn & Graubard 1998), so thousands of predictions of a few"
                            + " patients count for about as much as those few patients. Costs 4 longs per entity"
                            + " and group in each open window pane. false: examples are independent.");

    public static final ConfigOption<List<FairnessCriterion>> FAIRNESS_ALERT_ON =
            ConfigOptions.key("vigil.monitor.fairness.alert-on")
                    .enumType(FairnessCriterion.class)
                    .asList()
                    .defaultValues(FairnessCriterion.values())
                    .withDescription("Criteria whose significant gaps count towards an alert: DEMOGRAPHIC_PARITY,"
                            + " EQUAL_OPPORTUNITY, FALSE_POSITIVE_RATE, CALIBRATION. Every gap is still reported."
                            + " Where groups' base rates differ for reasons the decision should follow, a"
                            + " selection-rate gap is expected, and so are TPR and FPR gaps of a calibrated risk"
                            + " score: alert on CALIBRATION (does the score mean the same risk for every group?)"
                            + " and, if missed events matter most, EQUAL_OPPORTUNITY.");

    public static final ConfigOption<Integer> FAIRNESS_CONSECUTIVE_WINDOWS =
            ConfigOptions.key("vigil.monitor.fairness.consecutive-windows")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Consecutive windows (one slide apart) with a significant gap before a report raises"
                                    + " its alert flag; it stays raised while the gap stays significant. Higher"
                                    + " means fewer false alerts and later true ones.");

    private MonitorOptions() {}

    private static ConfigOption<String> detector(SignalKind kind, String defaultValue, String description) {
        return ConfigOptions.key("vigil.monitor.drift." + kind.prefix() + ".detector")
                .stringType()
                .defaultValue(defaultValue)
                .withDescription(description + " A detector name of vigil drift-eval (adwin, ddm, eddm,"
                        + " page-hinkley, hddm-a, hddm-w, kswin, ks, psi, jensen-shannon) or none.");
    }

    private static ConfigOption<List<String>> params(SignalKind kind) {
        return ConfigOptions.key("vigil.monitor.drift." + kind.prefix() + ".params")
                .stringType()
                .asList()
                .defaultValues()
                .withDescription("Parameters of the " + kind.prefix() + " detector as key=value (e.g. delta=0.001),"
                        + " as vigil drift-eval --help lists them; the others keep their published defaults.");
    }

    /** The option naming the detector of {@code kind}. */
    public static ConfigOption<String> detectorOption(SignalKind kind) {
        switch (kind) {
            case ERROR:
                return ERROR_DETECTOR;
            case BRIER:
                return BRIER_DETECTOR;
            case LOG_LOSS:
                return LOG_LOSS_DETECTOR;
            case SCORE:
                return SCORE_DETECTOR;
            case FEATURE:
                return FEATURE_DETECTOR;
            default:
                throw new AssertionError(kind);
        }
    }

    /** The option holding the parameters of the detector of {@code kind}. */
    public static ConfigOption<List<String>> paramsOption(SignalKind kind) {
        switch (kind) {
            case ERROR:
                return ERROR_PARAMS;
            case BRIER:
                return BRIER_PARAMS;
            case LOG_LOSS:
                return LOG_LOSS_PARAMS;
            case SCORE:
                return SCORE_PARAMS;
            case FEATURE:
                return FEATURE_PARAMS;
            default:
                throw new AssertionError(kind);
        }
    }

    /** The validated decision threshold, in [0, 1]. */
    public static double threshold(ReadableConfig config) {
        double t = config.get(THRESHOLD);
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException(THRESHOLD.key() + " must be in [0, 1]: " + t);
        }
        return t;
    }

    /** The validated allowed lateness (zero or more). */
    public static Duration allowedLateness(ReadableConfig config) {
        Duration d = config.get(ALLOWED_LATENESS);
        if (d.isNegative()) {
            throw new IllegalArgumentException(ALLOWED_LATENESS.key() + " must not be negative: " + d);
        }
        return d;
    }

    /** The detector of {@code kind}, or null when its detector option is {@link #NONE} (or blank). */
    public static DetectorConfig detectorConfig(ReadableConfig config, SignalKind kind) {
        String name = config.get(detectorOption(kind)).trim();
        List<String> params = config.get(paramsOption(kind));
        if (name.isEmpty() || name.toLowerCase(Locale.ROOT).equals(NONE)) {
            if (!params.isEmpty()) {
                throw new IllegalArgumentException(paramsOption(kind).key() + " is set but "
                        + detectorOption(kind).key() + " is " + NONE);
            }
            return null;
        }
        try {
            return new DetectorConfig(name, params);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(detectorOption(kind).key() + ": " + e.getMessage(), e);
        }
    }

    /** The validated drift settings. */
    public static DriftSettings drift(ReadableConfig config) {
        Map<SignalKind, DetectorConfig> detectors = new EnumMap<>(SignalKind.class);
        for (SignalKind kind : SignalKind.values()) {
            DetectorConfig d = detectorConfig(config, kind);
            if (d != null) {
                detectors.put(kind, d);
            }
        }
        List<String> features = config.get(FEATURES);
        if (!features.isEmpty() && !detectors.containsKey(SignalKind.FEATURE)) {
            throw new IllegalArgumentException(FEATURES.key() + " lists features but " + FEATURE_DETECTOR.key()
                    + " is " + NONE);
        }
        for (String f : features) {
            if (f.isBlank() || f.contains("/")) {
                throw new IllegalArgumentException(FEATURES.key() + " has an invalid feature name: '" + f + "'");
            }
        }
        Duration batch = config.get(BATCH_INTERVAL);
        if (batch.toMillis() < 1) {
            throw new IllegalArgumentException(BATCH_INTERVAL.key() + " must be at least 1 ms: " + batch);
        }
        try {
            return new DriftSettings(detectors, features, threshold(config), config.get(WARNINGS),
                    allowedLateness(config), batch, config.get(WARM_UP), config.get(SAMPLE_RATE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vigil.monitor.drift: " + e.getMessage(), e);
        }
    }

    /** The validated fairness settings. */
    public static FairnessSettings fairness(ReadableConfig config) {
        List<String> attributes = config.get(FAIRNESS_ATTRIBUTES);
        try {
            return new FairnessSettings(
                    attributes,
                    threshold(config),
                    config.get(FAIRNESS_WINDOW),
                    config.get(FAIRNESS_SLIDE),
                    config.get(FAIRNESS_MIN_GROUP_COUNT),
                    config.get(FAIRNESS_MIN_POSITIVES),
                    config.get(FAIRNESS_MIN_NEGATIVES),
                    config.get(FAIRNESS_Z),
                    config.get(FAIRNESS_FOUR_FIFTHS),
                    config.get(FAIRNESS_CONSECUTIVE_WINDOWS),
                    allowedLateness(config),
                    config.get(FAIRNESS_MIN_GAP),
                    config.get(FAIRNESS_CLUSTER_BY_ENTITY),
                    java.util.EnumSet.copyOf(config.get(FAIRNESS_ALERT_ON)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vigil.monitor.fairness: " + e.getMessage(), e);
        }
    }
}
