package dev.vigil.operators.drift.calibration;

import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.operators.drift.DriftDetectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

/**
 * Sets a drift detector's threshold from a false-alarm budget: finds the value of its threshold parameter for which
 * the expected run length without drift (ERT: the mean number of observations up to the first alarm on a stream that
 * does not change) equals a target, by simulating seeded streams from a {@link NullStream}.
 *
 * <p>This is the calibration Alibi Detect applies to its online detectors (its {@code ert} argument): O. Cobb, A. Van
 * Looveren and J. Klaise, "Sequential multivariate change detection with calibrated and memoryless false detection
 * rates", AISTATS 2022, who set thresholds by simulating the detector on bootstrap samples of reference data. For
 * Page-Hinkley/CUSUM-type schemes the ERT is the in-control average run length (ARL) of E. S. Page, "Continuous
 * Inspection Schemes", Biometrika 41, 1954; G. Lorden, "Procedures for Reacting to a Change in Distribution", Ann.
 * Math. Statist. 42(6), 1971, showed that CUSUM minimizes the worst-case detection delay among schemes with a given
 * ARL. The ARL's closed forms and approximations need the stream's distribution; the simulation here does not.
 *
 * <pre>{@code
 * Calibration c = ErtCalibrator.forDetector("page-hinkley")
 *         .nullStream(NullStream.bernoulli(0.1))   // the model's error rate on stable data
 *         .targetErt(2000)                        // one false alarm per 2000 labelled examples on average
 *         .seed(7)
 *         .build()
 *         .calibrate();
 * DriftDetector ph = DriftDetectors.create("page-hinkley", c.params());
 * }</pre>
 *
 * <p><b>Procedure.</b> {@code runs} independent null streams are simulated, each until the first alarm or until
 * {@code maxRunLength = ceil(maxRunLengthFactor × targetErt)} observations (censored), and the ERT is estimated with a
 * confidence interval ({@link ErtEstimate}). Run {@code i} draws its stream from seed {@code (seed, i)} at every
 * parameter value (common random numbers). Since for every detector here the state before the first alarm does not
 * depend on the threshold and the alarm condition is monotone in it, each run's first-alarm time is monotone in the
 * parameter, and so is the estimate: the search is a bracket expansion by factors of {@value #EXPANSION} from the
 * initial value (the one given, else the default), then bisection on the log scale, until the estimate is within
 * {@code tolerance} of the target. While searching, a simulation stops as soon as its partial runs decide on which
 * side of the target the estimate falls (bounding the remaining runs by length 1 with an alarm and by length
 * {@code maxRunLength} without); the returned value is always simulated in full. The search errs on the side of fewer
 * false alarms when it cannot hit the target ({@link Calibration.Status}).
 *
 * <p><b>Cost.</b> At most {@code maxEvaluations + 1} simulations of at most {@code runs × maxRunLength} detector
 * updates each; {@link Calibration#observations()} reports the total. Deterministic for a seed.
 *
 * <p><b>Accuracy.</b> The statistical error of the result is that of its estimate (about {@code 1/sqrt(runs)}
 * relative for geometric run lengths: ±9% at 95% for 500 runs); the tolerance only bounds the search error on top.
 */
public final class ErtCalibrator {

    /** Factor by which the bracket grows while searching for a value on the other side of the target. */
    public static final double EXPANSION = 4.0;

    /**
     * Bracket width (as {@code |ln(strict/loose)|}) below which the run-length curve counts as a step: the estimate
     * jumps across the target within 0.01% of the parameter value.
     */
    static final double RESOLUTION = 1e-4;

    private final ThresholdParameter parameter;
    private final DoubleFunction<List<String>> settings;
    private final double initial;
    private final NullStream nullStream;
    private final double targetErt;
    private final int runs;
    private final long maxRunLength;
    private final long seed;
    private final double confidence;
    private final double tolerance;
    private final int maxEvaluations;

    private ErtCalibrator(Builder b, DoubleFunction<List<String>> settings, double initial) {
        this.parameter = b.parameter;
        this.settings = settings;
        this.initial = initial;
        this.nullStream = b.nullStream;
        this.targetErt = b.targetErt;
        this.runs = b.runs;
        this.maxRunLength = (long) Math.ceil(b.maxRunLengthFactor * b.targetErt);
        this.seed = b.seed;
        this.confidence = b.confidence;
        this.tolerance = b.tolerance;
        this.maxEvaluations = b.maxEvaluations;
    }

    /** A builder for the registered detector {@code name}, calibrating its default threshold parameter. */
    public static Builder forDetector(String name) {
        DriftDetectors.spec(name); // fail fast on an unknown name
        return new Builder(ThresholdParameter.of(name));
    }

    /**
     * The ERT of detectors made by {@code detectors} on {@code runs} seeded runs of {@code nullStream}, each censored
     * at {@code maxRunLength} observations; run {@code i} uses stream seed {@code (seed, i)}.
     */
    public static ErtEstimate measure(Supplier<? extends DriftDetector> detectors, NullStream nullStream, int runs,
            long maxRunLength, long seed, double confidence) {
        if (runs < 2) {
            throw new IllegalArgumentException("runs must be >= 2, got " + runs);
        }
        if (maxRunLength < 1) {
            throw new IllegalArgumentException("maxRunLength must be >= 1, got " + maxRunLength);
        }
        Simulation s = new Simulation(runs, maxRunLength);
        s.run(detectors, nullStream, seed, Double.NaN, 0);
        return s.estimate(confidence);
    }

    /** The threshold parameter calibrated. */
    public ThresholdParameter parameter() {
        return parameter;
    }

    /** The censoring length: {@code ceil(maxRunLengthFactor × targetErt)}. */
    public long maxRunLength() {
        return maxRunLength;
    }

    /** The detector's full settings with the calibrated parameter at {@code value}. */
    public List<String> settings(double value) {
        return settings.apply(value);
    }

    /** The ERT at {@code value} on this calibrator's runs and seed. */
    public ErtEstimate estimate(double value) {
        return estimate(value, seed);
    }

    /** The ERT at {@code value} on this calibrator's number of runs, drawn from another {@code seed}. */
    public ErtEstimate estimate(double value, long seed) {
        checkValue(value);
        return measure(detectors(value), nullStream, runs, maxRunLength, seed, confidence);
    }

    /** New detectors with the calibrated parameter at {@code value}. */
    private Supplier<DriftDetector> detectors(double value) {
        List<String> s = settings.apply(value);
        String detector = parameter.detector();
        return () -> DriftDetectors.create(detector, s);
    }

    /** Searches the parameter value whose ERT is the target; see the class documentation. */
    public Calibration calibrate() {
        Search search = new Search();
        return search.run();
    }

    private void checkValue(double value) {
        if (!(value >= parameter.lower() && value <= parameter.upper())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s of %s must be in [%s, %s], got %s",
                    parameter.name(), parameter.detector(), parameter.lower(), parameter.upper(), value));
        }
    }

    /** One bracketing search; evaluations are counted and their cost summed. */
    private final class Search {
        private final Simulation simulation = new Simulation(runs, maxRunLength);
        private double simulated = Double.NaN; // the value of the last simulation
        private int evaluations;
        private long observations;

        /** The sign of ERT(value) − target beyond the tolerance (0 within it), simulating as little as decides it. */
        private int sign(double value) {
            simulate(value, targetErt);
            return simulation.sign;
        }

        private void simulate(double value, double target) {
            evaluations++;
            simulated = value;
            simulation.run(detectors(value), nullStream, seed, target, tolerance);
            observations += simulation.observations;
        }

        private Calibration result(double value, Calibration.Status status) {
            if (!(simulation.complete && simulated == value)) {
                simulate(value, Double.NaN);
            }
            ErtEstimate e = simulation.estimate(confidence);
            return new Calibration(parameter, value, settings.apply(value), targetErt, e, status, evaluations,
                    observations);
        }

        Calibration run() {
            // multiplying by `stricter` makes the detector stricter (longer ERT)
            double stricter = parameter.stricterWhenLarger() ? EXPANSION : 1 / EXPANSION;
            double value = initial;
            int s = sign(value);
            if (s == 0) {
                return result(value, Calibration.Status.CONVERGED);
            }
            // expand towards the target until it is bracketed: looser while the ERT is too long, else stricter
            boolean tooStrict = s > 0;
            double previous = value;
            double next;
            while (true) {
                next = parameter.clamp(tooStrict ? previous / stricter : previous * stricter);
                if (next == previous) {
                    return result(previous, Calibration.Status.OUT_OF_RANGE);
                }
                if (evaluations >= maxEvaluations) {
                    return result(previous, Calibration.Status.BUDGET_EXHAUSTED);
                }
                s = sign(next);
                if (s == 0) {
                    return result(next, Calibration.Status.CONVERGED);
                }
                if ((s > 0) != tooStrict) {
                    break;
                }
                previous = next;
            }
            double loose = tooStrict ? next : previous;
            double strict = tooStrict ? previous : next;
            // bisection on the log scale between a too-loose and a too-strict value
            while (Math.abs(Math.log(strict / loose)) > RESOLUTION) {
                if (evaluations >= maxEvaluations) {
                    return result(strict, Calibration.Status.BUDGET_EXHAUSTED);
                }
                double mid = Math.sqrt(loose * strict);
                if (mid == loose || mid == strict) {
                    break;
                }
                s = sign(mid);
                if (s == 0) {
                    return result(mid, Calibration.Status.CONVERGED);
                }
                if (s > 0) {
                    strict = mid;
                } else {
                    loose = mid;
                }
            }
            return result(strict, Calibration.Status.STEP);
        }
    }

    /** Simulated runs, reused across evaluations. */
    private static final class Simulation {
        private final long[] lengths;
        private final boolean[] alarmed;
        private final long maxRunLength;
        private long observations;
        private boolean complete;
        private int sign;

        Simulation(int runs, long maxRunLength) {
            this.lengths = new long[runs];
            this.alarmed = new boolean[runs];
            this.maxRunLength = maxRunLength;
        }

        /**
         * Simulates the runs; with a finite {@code target}, stops once the partial runs decide the sign of the
         * estimate against {@code target·(1 ± tolerance)}.
         */
        void run(Supplier<? extends DriftDetector> detectors, NullStream nullStream, long seed, double target,
                double tolerance) {
            int n = lengths.length;
            double high = target * (1 + tolerance);
            double low = target * (1 - tolerance);
            double exposure = 0;
            int alarms = 0;
            observations = 0;
            complete = false;
            sign = 0;
            for (int i = 0; i < n; i++) {
                DriftDetector d = detectors.get();
                NullStream.Sampler sampler = nullStream.open(SplitMix64.seed(seed, i));
                long t = 0;
                boolean alarm = false;
                while (t < maxRunLength) {
                    t++;
                    if (d.update(sampler.next())) {
                        alarm = true;
                        break;
                    }
                }
                lengths[i] = t;
                alarmed[i] = alarm;
                exposure += t;
                observations += t;
                if (alarm) {
                    alarms++;
                }
                if (!Double.isNaN(target) && i + 1 < n) {
                    int rest = n - i - 1;
                    // fewest/most exposure per alarm the remaining runs can still produce
                    double least = (exposure + rest) / (alarms + rest);
                    double most = alarms == 0 ? Double.POSITIVE_INFINITY : (exposure + rest * (double) maxRunLength)
                            / alarms;
                    if (least > high) {
                        sign = 1;
                        return;
                    }
                    if (most < low) {
                        sign = -1;
                        return;
                    }
                }
            }
            complete = true;
            double ert = alarms == 0 ? Double.POSITIVE_INFINITY : exposure / alarms;
            if (!Double.isNaN(target)) {
                sign = ert > high ? 1 : ert < low ? -1 : 0;
            }
        }

        ErtEstimate estimate(double confidence) {
            if (!complete) {
                throw new IllegalStateException("simulation stopped early");
            }
            return ErtEstimate.of(lengths, alarmed, maxRunLength, confidence);
        }
    }

    /**
     * Settings of an {@link ErtCalibrator}. Required: {@link #nullStream} and {@link #targetErt}; the others default to
     * 500 runs, a cut-off at 5 × target, seed 0, 95% confidence, 2% tolerance and 40 evaluations.
     */
    public static final class Builder {
        private ThresholdParameter parameter;
        private List<String> params = List.of();
        private NullStream nullStream;
        private double targetErt = Double.NaN;
        private int runs = 500;
        private double maxRunLengthFactor = 5.0;
        private long seed;
        private double confidence = 0.95;
        private double tolerance = 0.02;
        private int maxEvaluations = 40;

        private Builder(ThresholdParameter parameter) {
            this.parameter = parameter;
        }

        /** Calibrates {@code name} instead of the detector's default threshold parameter. */
        public Builder parameter(String name) {
            this.parameter = ThresholdParameter.of(parameter.detector(), name);
            return this;
        }

        /** Calibrates a parameter described by hand (e.g. another search range). */
        public Builder parameter(ThresholdParameter parameter) {
            if (!parameter.detector().equals(this.parameter.detector())) {
                throw new IllegalArgumentException("parameter of " + parameter.detector() + " given to a calibrator of "
                        + this.parameter.detector());
            }
            this.parameter = parameter;
            return this;
        }

        /**
         * The detector's other settings as {@code key=value}; a value for the calibrated parameter is the search's
         * starting point (default: the detector's default).
         */
        public Builder params(List<String> params) {
            this.params = List.copyOf(params);
            return this;
        }

        public Builder nullStream(NullStream nullStream) {
            this.nullStream = nullStream;
            return this;
        }

        /** The target expected run length without drift, in observations (&gt; 1). */
        public Builder targetErt(double targetErt) {
            this.targetErt = targetErt;
            return this;
        }

        /** Simulated runs per evaluated value (≥ 10). */
        public Builder runs(int runs) {
            this.runs = runs;
            return this;
        }

        /** Runs are cut off after {@code ceil(factor × targetErt)} observations (factor ≥ 1). */
        public Builder maxRunLengthFactor(double factor) {
            this.maxRunLengthFactor = factor;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Confidence level of the reported interval, in (0, 1). */
        public Builder confidence(double confidence) {
            this.confidence = confidence;
            return this;
        }

        /** Accepted relative distance of the estimate from the target, in (0, 1). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Most parameter values simulated by one search (≥ 2). */
        public Builder maxEvaluations(int maxEvaluations) {
            this.maxEvaluations = maxEvaluations;
            return this;
        }

        public ErtCalibrator build() {
            if (nullStream == null) {
                throw new IllegalArgumentException("a null stream is required");
            }
            check(targetErt > 1 && Double.isFinite(targetErt), "target ERT must be finite and > 1, got %s",
                    targetErt);
            check(runs >= 10, "runs must be >= 10, got %s", runs);
            check(maxRunLengthFactor >= 1 && Double.isFinite(maxRunLengthFactor),
                    "max run length factor must be finite and >= 1, got %s", maxRunLengthFactor);
            check(maxRunLengthFactor * targetErt < Long.MAX_VALUE / 4, "max run length too large: %s",
                    maxRunLengthFactor * targetErt);
            check(confidence > 0 && confidence < 1, "confidence must be in (0, 1), got %s", confidence);
            check(tolerance > 0 && tolerance < 1, "tolerance must be in (0, 1), got %s", tolerance);
            check(maxEvaluations >= 2, "max evaluations must be >= 2, got %s", maxEvaluations);

            DriftDetectors.Spec spec = DriftDetectors.spec(parameter.detector());
            DriftDetectors.Param calibrated = spec.param(parameter.name());
            check(calibrated.type() == DriftDetectors.Type.DOUBLE, "parameter %s is not a number",
                    parameter.name());
            DriftDetectors.Param companion = parameter.companion() == null ? null : spec.param(parameter.companion());
            // canonical keys, in the order given; the calibrated one and the companion handled apart
            Map<String, String> fixed = new LinkedHashMap<>();
            for (String kv : params) {
                int eq = kv == null ? -1 : kv.indexOf('=');
                check(eq > 0, "parameter must be key=value, got '%s'", kv);
                String key = spec.param(kv.substring(0, eq)).name();
                check(fixed.put(key, kv.substring(eq + 1).strip()) == null, "parameter %s given twice", key);
            }
            String start = fixed.remove(calibrated.name());
            double initial = parseDouble(start == null ? calibrated.defaultValue() : start, calibrated.name());
            initial = parameter.clamp(initial);
            String companionRaw = companion == null ? null : fixed.remove(companion.name());
            double companionValue = companion == null ? Double.NaN
                    : parseDouble(companionRaw == null ? companion.defaultValue() : companionRaw, companion.name());
            ThresholdParameter p = parameter;
            // every parameter in the registry's order: given, calibrated, following, or the default
            DoubleFunction<List<String>> settings = v -> {
                List<String> out = new ArrayList<>();
                for (DriftDetectors.Param param : spec.params()) {
                    String name = param.name();
                    String value;
                    if (name.equals(calibrated.name())) {
                        value = String.valueOf(v);
                    } else if (companion != null && name.equals(companion.name())) {
                        double c = p.stricterWhenLarger() ? Math.min(companionValue, v) : Math.max(companionValue, v);
                        value = c != companionValue ? String.valueOf(c)
                                : companionRaw != null ? companionRaw : companion.defaultValue();
                    } else {
                        value = fixed.getOrDefault(name, param.defaultValue());
                    }
                    out.add(name + "=" + value);
                }
                return out;
            };
            // fail fast on invalid fixed settings
            DriftDetectors.create(parameter.detector(), settings.apply(initial));
            return new ErtCalibrator(this, settings, initial);
        }

        private static double parseDouble(String raw, String name) {
            try {
                return Double.parseDouble(raw.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter " + name + " must be a number, got '" + raw + "'");
            }
        }

        private static void check(boolean condition, String message, Object arg) {
            if (!condition) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, message, arg));
            }
        }
    }
}
