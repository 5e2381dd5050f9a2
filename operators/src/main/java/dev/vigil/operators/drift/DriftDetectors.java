package dev.vigil.operators.drift;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of drift detectors by kebab-case name, each with its typed, documented parameters and their published
 * defaults, for the CLI ({@code vigil drift-eval}) and for configuration.
 *
 * <pre>{@code
 * DriftDetector kswin = DriftDetectors.create("kswin", List.of("alpha=1e-4", "seed=7"));
 * DriftDetectors.Spec spec = DriftDetectors.spec("page-hinkley"); // spec.params(): names, types, defaults
 * }</pre>
 *
 * <p>Parameters are given as {@code key=value}. Keys are kebab-case; River's snake_case spellings ({@code
 * window_size}) and the listed aliases are accepted too. Unknown keys, repeated keys, malformed numbers and values the
 * detector rejects all fail with an {@link IllegalArgumentException} that names the detector and the parameter.
 */
public final class DriftDetectors {

    /** A parameter's value type. */
    public enum Type {
        INT("integer"),
        LONG("integer"),
        DOUBLE("number"),
        BOOLEAN("true|false"),
        CHOICE("one of");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** How the type reads in help and errors. */
        public String label() {
            return label;
        }
    }

    /**
     * One parameter of a detector.
     *
     * @param name kebab-case key
     * @param type value type
     * @param defaultValue the default, as it would be written on the command line
     * @param description what it means, with the paper's symbol
     * @param aliases other accepted keys (e.g. River's names)
     * @param choices the accepted values of a {@link Type#CHOICE}, lower case; empty otherwise
     */
    public record Param(String name, Type type, String defaultValue, String description, List<String> aliases,
            List<String> choices) {

        public Param {
            aliases = List.copyOf(aliases);
            choices = List.copyOf(choices);
        }

        static Param of(String name, Type type, String defaultValue, String description, String... aliases) {
            return new Param(name, type, defaultValue, description, List.of(aliases), List.of());
        }

        static Param choice(String name, String defaultValue, List<String> choices, String description) {
            return new Param(name, Type.CHOICE, defaultValue, description, List.of(), choices);
        }

        /** The type as help shows it, e.g. {@code number} or {@code one of up|down|both}. */
        public String typeLabel() {
            return type == Type.CHOICE ? type.label() + " " + String.join("|", choices) : type.label();
        }

        Object parse(String detector, String raw) {
            String v = raw.trim();
            try {
                switch (type) {
                    case INT:
                        return Integer.parseInt(v);
                    case LONG:
                        return Long.parseLong(v);
                    case DOUBLE: {
                        double d = Double.parseDouble(v);
                        if (!Double.isFinite(d)) {
                            throw new NumberFormatException();
                        }
                        return d;
                    }
                    case BOOLEAN:
                        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                            return Boolean.parseBoolean(v);
                        }
                        throw new NumberFormatException();
                    case CHOICE:
                        String c = v.toLowerCase(Locale.ROOT);
                        if (choices.contains(c)) {
                            return c;
                        }
                        throw new NumberFormatException();
                    default:
                        throw new AssertionError(type);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "parameter %s of %s must be %s %s, got '%s'", name, detector,
                        type == Type.INT || type == Type.LONG ? "an" : "a", typeLabel(), raw));
            }
        }
    }

    /** The parsed, typed values of one detector's parameters (defaults filled in). */
    public static final class Values {
        private final String detector;
        private final Map<String, Object> values;

        private Values(String detector, Map<String, Object> values) {
            this.detector = detector;
            this.values = values;
        }

        private Object get(String name) {
            Object v = values.get(name);
            if (v == null) {
                throw new IllegalStateException(detector + " has no parameter " + name);
            }
            return v;
        }

        public int getInt(String name) {
            return (Integer) get(name);
        }

        public long getLong(String name) {
            return (Long) get(name);
        }

        public double getDouble(String name) {
            return (Double) get(name);
        }

        public boolean getBoolean(String name) {
            return (Boolean) get(name);
        }

        public String getChoice(String name) {
            return (String) get(name);
        }
    }

    /**
     * A registered detector.
     *
     * @param name kebab-case name
     * @param description one line: what it watches and its paper
     * @param input what to feed it, e.g. {@code 0/1 errors}
     * @param params its parameters in constructor order
     * @param factory builds a detector from parsed values
     */
    public record Spec(String name, String description, String input, List<Param> params,
            Function<Values, DriftDetector> factory) {

        public Spec {
            params = List.copyOf(params);
        }

        /** A detector with these {@code key=value} settings, the others at their defaults. */
        public DriftDetector create(List<String> keyValues) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String kv : keyValues) {
                int eq = kv == null ? -1 : kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "parameter of " + name + " must be key=value, got '" + kv + "'");
                }
                String key = kv.substring(0, eq).trim();
                Param p = param(key);
                if (values.containsKey(p.name())) {
                    throw new IllegalArgumentException("parameter " + p.name() + " of " + name + " given twice");
                }
                values.put(p.name(), p.parse(name, kv.substring(eq + 1)));
            }
            for (Param p : params) {
                if (!values.containsKey(p.name())) {
                    values.put(p.name(), p.parse(name, p.defaultValue()));
                }
            }
            try {
                return factory.apply(new Values(name, values));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid parameters for " + name + ": " + e.getMessage(), e);
            }
        }

        /** The parameter with this key (kebab-case, snake_case or an alias). */
        public Param param(String key) {
            String k = key.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Param p : params) {
                if (p.name().equals(k) || p.aliases().contains(k)) {
                    return p;
                }
            }
            List<String> known = new ArrayList<>();
            for (Param p : params) {
                known.add(p.name());
            }
            throw new IllegalArgumentException("unknown parameter '" + key + "' for " + name + "; known: "
                    + (known.isEmpty() ? "(none)" : String.join(", ", known)));
        }
    }

    private static final Map<String, Spec> SPECS = register();

    private DriftDetectors() {}

    /** All detectors, label-based first, in a stable order. */
    public static List<Spec> all() {
        return List.copyOf(SPECS.values());
    }

    /** The detector called {@code name}; an error lists the known names. */
    public static Spec spec(String name) {
        Spec s = name == null ? null : SPECS.get(name.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException(
                    "unknown detector '" + name + "'; known: " + String.join(", ", SPECS.keySet()));
        }
        return s;
    }

    /** A new detector called {@code name} with {@code key=value} settings. */
    public static DriftDetector create(String name, List<String> keyValues) {
        return spec(name).create(keyValues);
    }

    /** A new detector called {@code name} with its defaults. */
    public static DriftDetector create(String name) {
        return create(name, List.of());
    }

    private static Map<String, Spec> register() {
        Map<String, Spec> m = new LinkedHashMap<>();
        // ---- label-based (feed 0/1 errors or a loss)
        add(m, new Spec(Adwin.NAME, "ADaptive WINdowing (Bifet & Gavalda 2007)", "0/1 errors or a loss in [0, 1]",
                List.of(Param.of("delta", Type.DOUBLE, "0.002", "δ: confidence of the cut test"),
                        Param.of("clock", Type.INT, "32", "test for a cut every this many values"),
                        Param.of("max-buckets", Type.INT, "5", "M: buckets per row of the exponential histogram",
                                "m"),
                        Param.of("min-window-length", Type.INT, "5", "minimum length of each sub-window"),
                        Param.of("grace-period", Type.INT, "10", "no test until the window holds more values")),
                v -> new Adwin(v.getDouble("delta"), v.getInt("clock"), v.getInt("max-buckets"),
                        v.getInt("min-window-length"), v.getInt("grace-period"))));
        add(m, new Spec(Ddm.NAME, "Drift Detection Method (Gama et al. 2004)", "0/1 errors",
                List.of(Param.of("min-instances", Type.INT, "30", "n: instances before warnings or drifts",
                                "n", "warm-start"),
                        Param.of("warning-level", Type.DOUBLE, "2.0", "w: warning level, in standard deviations",
                                "w", "warning-threshold"),
                        Param.of("drift-level", Type.DOUBLE, "3.0", "d: drift level, in standard deviations",
                                "d", "drift-threshold")),
                v -> new Ddm(v.getInt("min-instances"), v.getDouble("warning-level"), v.getDouble("drift-level"))));
        add(m, new Spec(Eddm.NAME, "Early Drift Detection Method (Baena-Garcia et al. 2006)", "0/1 errors",
                List.of(Param.of("min-errors", Type.INT, "30", "n: errors before warnings or drifts",
                                "n", "warm-start"),
                        Param.of("alpha", Type.DOUBLE, "0.95", "α: warning ratio, in (0, 1)"),
                        Param.of("beta", Type.DOUBLE, "0.9", "β: drift ratio, in (0, α]")),
                v -> new Eddm(v.getInt("min-errors"), v.getDouble("alpha"), v.getDouble("beta"))));
        add(m, new Spec(PageHinkley.NAME, "Page-Hinkley test (Page 1954)", "numbers (errors or a loss)",
                List.of(Param.of("min-instances", Type.INT, "30", "values before a drift may be signalled"),
                        Param.of("delta", Type.DOUBLE, "0.005", "δ: magnitude of change tolerated"),
                        Param.of("lambda", Type.DOUBLE, "50", "λ: detection threshold", "threshold"),
                        Param.of("alpha", Type.DOUBLE, "0.9999", "α: forgetting factor, in (0, 1]"),
                        Param.choice("mode", "both", List.of("up", "down", "both"),
                                "direction of change tested")),
                v -> new PageHinkley(v.getInt("min-instances"), v.getDouble("delta"), v.getDouble("lambda"),
                        v.getDouble("alpha"), PageHinkley.Mode.parse(v.getChoice("mode")))));
        add(m, new Spec(HddmA.NAME, "HDDM with A-test, Hoeffding bounds on averages (Frias-Blanco et al. 2015)",
                "numbers in [0, 1]",
                List.of(Param.of("drift-confidence", Type.DOUBLE, "0.001", "α_D: drift confidence", "alpha-d"),
                        Param.of("warning-confidence", Type.DOUBLE, "0.005", "α_W: warning confidence, >= α_D",
                                "alpha-w"),
                        Param.of("two-sided", Type.BOOLEAN, "false", "also test for a decrease of the mean",
                                "two-sided-test")),
                v -> new HddmA(v.getDouble("drift-confidence"), v.getDouble("warning-confidence"),
                        v.getBoolean("two-sided"))));
        add(m, new Spec(HddmW.NAME, "HDDM with W-test, McDiarmid bounds on EWMAs (Frias-Blanco et al. 2015)",
                "numbers in [0, 1]",
                List.of(Param.of("drift-confidence", Type.DOUBLE, "0.001", "α_D: drift confidence", "alpha-d"),
                        Param.of("warning-confidence", Type.DOUBLE, "0.005", "α_W: warning confidence, >= α_D",
                                "alpha-w"),
                        Param.of("lambda", Type.DOUBLE, "0.05", "λ: weight of the newest value in the EWMA",
                                "lambda-val"),
                        Param.of("two-sided", Type.BOOLEAN, "false", "also test for a decrease of the mean",
                                "two-sided-test")),
                v -> new HddmW(v.getDouble("drift-confidence"), v.getDouble("warning-confidence"),
                        v.getDouble("lambda"), v.getBoolean("two-sided"))));
        // ---- label-free (feature, score or embedding statistics)
        add(m, new Spec(Kswin.NAME, "KS windowing (Raab, Heusinger & Schleif 2020)", "numbers",
                List.of(Param.of("alpha", Type.DOUBLE, String.valueOf(Kswin.DEFAULT_ALPHA),
                                "α: significance level of the KS test"),
                        Param.of("window-size", Type.INT, String.valueOf(Kswin.DEFAULT_WINDOW_SIZE),
                                "values kept, >= 2 * stat-size"),
                        Param.of("stat-size", Type.INT, String.valueOf(Kswin.DEFAULT_STAT_SIZE),
                                "values in each tested sample"),
                        Param.of("seed", Type.LONG, String.valueOf(Kswin.DEFAULT_SEED), "seed of the sampler")),
                v -> new Kswin(v.getDouble("alpha"), v.getInt("window-size"), v.getInt("stat-size"),
                        v.getLong("seed"))));
        add(m, new Spec(KsTest.NAME, "two-sample Kolmogorov-Smirnov test against a reference window", "numbers",
                List.of(Param.of("reference-size", Type.INT, String.valueOf(KsTest.DEFAULT_REFERENCE_SIZE),
                                "values in the reference window"),
                        Param.of("window-size", Type.INT, String.valueOf(KsTest.DEFAULT_WINDOW_SIZE),
                                "values in the sliding test window"),
                        Param.of("alpha", Type.DOUBLE, String.valueOf(KsTest.DEFAULT_ALPHA),
                                "α: significance level")),
                v -> new KsTest(v.getInt("reference-size"), v.getInt("window-size"), v.getDouble("alpha"))));
        add(m, new Spec(Psi.NAME, "Population Stability Index over reference-quantile bins", "numbers",
                List.of(Param.of("reference-size", Type.INT, String.valueOf(Psi.DEFAULT_REFERENCE_SIZE),
                                "values in the reference, >= bins"),
                        Param.of("window-size", Type.INT, String.valueOf(Psi.DEFAULT_WINDOW_SIZE),
                                "values in the sliding window"),
                        Param.of("bins", Type.INT, String.valueOf(Psi.DEFAULT_BINS), "reference-quantile bins"),
                        Param.of("threshold", Type.DOUBLE, String.valueOf(Psi.DEFAULT_THRESHOLD),
                                "drift when PSI >= threshold"),
                        Param.of("warning-threshold", Type.DOUBLE, String.valueOf(Psi.DEFAULT_WARNING_THRESHOLD),
                                "warning when PSI >= warning-threshold"),
                        Param.of("epsilon", Type.DOUBLE, String.valueOf(Psi.DEFAULT_EPSILON),
                                "floor of a bin's proportion")),
                v -> new Psi(v.getInt("reference-size"), v.getInt("window-size"), v.getInt("bins"),
                        v.getDouble("threshold"), v.getDouble("warning-threshold"), v.getDouble("epsilon"))));
        add(m, new Spec(JensenShannon.NAME, "Jensen-Shannon distance (base 2) of a categorical feature",
                "category codes 0..categories-1",
                List.of(Param.of("categories", Type.INT, String.valueOf(JensenShannon.DEFAULT_CATEGORIES),
                                "number of categories K"),
                        Param.of("reference-size", Type.INT, String.valueOf(JensenShannon.DEFAULT_REFERENCE_SIZE),
                                "values in the reference"),
                        Param.of("window-size", Type.INT, String.valueOf(JensenShannon.DEFAULT_WINDOW_SIZE),
                                "values in the sliding window"),
                        Param.of("threshold", Type.DOUBLE, String.valueOf(JensenShannon.DEFAULT_THRESHOLD),
                                "drift when the distance >= threshold"),
                        Param.of("warning-threshold", Type.DOUBLE,
                                String.valueOf(JensenShannon.DEFAULT_WARNING_THRESHOLD),
                                "warning when the distance >= warning-threshold")),
                v -> new JensenShannon(v.getInt("categories"), v.getInt("reference-size"), v.getInt("window-size"),
                        v.getDouble("threshold"), v.getDouble("warning-threshold"))));
        return Collections.unmodifiableMap(m);
    }

    private static void add(Map<String, Spec> m, Spec s) {
        if (m.put(s.name(), s) != null) {
            throw new IllegalStateException("detector " + s.name() + " registered twice");
        }
    }
}
