package dev.vigil.operators.drift.calibration;

import java.util.Arrays;
import java.util.Locale;

/**
 * A model of the stream a detector sees when nothing changes, from which the calibration draws independent, seeded
 * runs: i.i.d. Bernoulli(p) errors for the label-based detectors, or a bootstrap (sampling with replacement) of a
 * reference sample — e.g. a feature's reference window — for the label-free ones.
 *
 * <pre>{@code
 * NullStream errors = NullStream.bernoulli(0.1);          // the model's error rate on stable data
 * NullStream hr = NullStream.bootstrap(referenceWindow);  // a feature's values on stable data
 * }</pre>
 *
 * <p>A bootstrap of {@code n} values is a discrete distribution: it has ties, and a run longer than about {@code n}
 * values repeats them. Detectors that compare empirical distributions (KS, PSI) are then slightly conservative, so
 * give a reference of a few thousand values where you can.
 */
public sealed interface NullStream {

    /** One run's source of values; not thread-safe. */
    interface Sampler {
        double next();
    }

    /** A sampler for one run, fully determined by {@code seed}. */
    Sampler open(long seed);

    /** I.i.d. 0/1 values, 1 with probability {@code p} in (0, 1). */
    static NullStream bernoulli(double p) {
        return new Bernoulli(p);
    }

    /** I.i.d. normal values. */
    static NullStream normal(double mean, double standardDeviation) {
        return new Normal(mean, standardDeviation);
    }

    /** I.i.d. draws with replacement from {@code reference} (copied; at least 2 finite values). */
    static NullStream bootstrap(double[] reference) {
        return new Bootstrap(reference);
    }

    /**
     * Parses {@code bernoulli:P} or {@code normal:MEAN,SD} (the command-line form; a reference sample is read from
     * a file by the caller and given to {@link #bootstrap}).
     */
    static NullStream parse(String spec) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String[] args = colon < 0 ? new String[0] : s.substring(colon + 1).split(",", -1);
        try {
            if (kind.equals("bernoulli") && args.length == 1) {
                return bernoulli(Double.parseDouble(args[0].strip()));
            }
            if (kind.equals("normal") && args.length == 2) {
                return normal(Double.parseDouble(args[0].strip()), Double.parseDouble(args[1].strip()));
            }
        } catch (NumberFormatException e) {
            // fall through to the usage message
        }
        throw new IllegalArgumentException(
                "null stream must be bernoulli:P or normal:MEAN,SD, got '" + spec + "'");
    }

    /** Bernoulli(p) errors. */
    record Bernoulli(double p) implements NullStream {
        public Bernoulli {
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("bernoulli p must be in (0, 1), got " + p);
            }
        }

        @Override
        public Sampler open(long seed) {
            SplitMix64 rng = new SplitMix64(seed);
            return () -> rng.nextDouble() < p ? 1.0 : 0.0;
        }

        @Override
        public String toString() {
            return "bernoulli:" + p;
        }
    }

    /** Normal(mean, sd) values. */
    record Normal(double mean, double standardDeviation) implements NullStream {
        public Normal {
            if (!Double.isFinite(mean) || !(standardDeviation > 0) || Double.isInfinite(standardDeviation)) {
                throw new IllegalArgumentException(
                        "normal needs a finite mean and a finite sd > 0, got " + mean + ", " + standardDeviation);
            }
        }

        @Override
        public Sampler open(long seed) {
            SplitMix64 rng = new SplitMix64(seed);
            return () -> mean + standardDeviation * rng.nextGaussian();
        }

        @Override
        public String toString() {
            return "normal:" + mean + "," + standardDeviation;
        }
    }

    /** Bootstrap resamples of a reference sample. */
    final class Bootstrap implements NullStream {
        private final double[] reference;

        Bootstrap(double[] reference) {
            if (reference == null || reference.length < 2) {
                throw new IllegalArgumentException("a bootstrap reference needs at least 2 values");
            }
            for (double v : reference) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("a bootstrap reference must hold finite values, got " + v);
                }
            }
            this.reference = reference.clone();
        }

        /** Values in the reference. */
        public int size() {
            return reference.length;
        }

        @Override
        public Sampler open(long seed) {
            SplitMix64 rng = new SplitMix64(seed);
            int n = reference.length;
            return () -> reference[rng.nextInt(n)];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bootstrap b && Arrays.equals(reference, b.reference);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(reference);
        }

        @Override
        public String toString() {
            return "bootstrap(" + reference.length + " values)";
        }
    }
}
