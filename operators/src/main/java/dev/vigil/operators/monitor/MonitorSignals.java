package dev.vigil.operators.monitor;

import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import dev.vigil.operators.fraud.StableHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Derives {@link MonitorSignal}s: from each labelled example its 0/1 error at the decision threshold, its Brier score
 * and its log loss; from each prediction its score and the watched features. Only the signals that have a detector
 * ({@link DriftSettings#detectors()}) are emitted, and only for the sampled predictions ({@link
 * DriftSettings#sampleRate()}; the others are counted as {@link MonitorMetrics#NOT_SAMPLED}).
 *
 * <p>A signal's event time is the stream timestamp of its record (for the label join's output: the event time at
 * which the label became known, which is never behind the join's watermark), or, for records without one, the
 * label time of an example and the event time of a prediction. Records that give no signal are counted ({@link
 * MonitorMetrics#SIGNALS_SKIPPED}) and dropped: examples without a score (the scorer fell back), with a label other
 * than 0 or 1, or with a score outside [0, 1]; predictions without a score; NaN or missing feature values.
 *
 * <pre>{@code
 * DataStream<MonitorSignal> signals = labeled
 *         .process(MonitorSignals.fromLabeled(settings), MonitorSignal.typeInfo())
 *         .union(predictions.process(
 *                 MonitorSignals.fromPredictions(settings, IcuFeatures.NAMES), MonitorSignal.typeInfo()));
 * }</pre>
 */
public final class MonitorSignals {

    /** Scores are clipped to {@code [LOG_LOSS_EPSILON, 1 - LOG_LOSS_EPSILON]} for the log loss. */
    public static final double LOG_LOSS_EPSILON = 1e-4;

    private MonitorSignals() {}

    /** 1 when the decision {@code score >= threshold} disagrees with the 0/1 label, else 0. */
    public static double error(double score, double label, double threshold) {
        double decision = score >= threshold ? 1.0 : 0.0;
        return decision == label ? 0.0 : 1.0;
    }

    /** The Brier score {@code (score - label)²} (Brier 1950), in [0, 1] for a probability and a 0/1 label. */
    public static double brier(double score, double label) {
        double d = score - label;
        return d * d;
    }

    /** The log loss {@code -ln p(label)}, the score clipped to {@code [ε, 1 - ε]}, ε = {@value #LOG_LOSS_EPSILON}. */
    public static double logLoss(double score, double label) {
        double p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, score));
        return label == 1.0 ? -Math.log(p) : -Math.log1p(-p);
    }

    /**
     * The positions of {@code watched} in the model's feature order {@code featureNames}.
     *
     * @throws IllegalArgumentException naming a watched feature the model does not have
     */
    public static int[] featureIndices(List<String> watched, List<String> featureNames) {
        int[] out = new int[watched.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = featureNames.indexOf(watched.get(i));
            if (out[i] < 0) {
                throw new IllegalArgumentException(
                        "watched feature '" + watched.get(i) + "' is not a feature of the model; features: "
                                + featureNames);
            }
        }
        return out;
    }

    /** The label-based signals of each example. */
    public static FromLabeled fromLabeled(DriftSettings settings) {
        return new FromLabeled(settings);
    }

    /** The score and watched features of each prediction; {@code featureNames} is the model's feature order. */
    public static FromPredictions fromPredictions(DriftSettings settings, List<String> featureNames) {
        return new FromPredictions(settings, featureNames);
    }

    /** Labelled examples to their error, Brier and log-loss signals. */
    public static final class FromLabeled extends ProcessFunction<LabeledExample, MonitorSignal> {

        private static final long serialVersionUID = 1L;

        private final double threshold;
        private final boolean error;
        private final boolean brier;
        private final boolean logLoss;

        private final long sampleBelow;

        private transient Counter skipped;
        private transient Counter notSampled;
        private transient SignalNames names;

        FromLabeled(DriftSettings settings) {
            this.sampleBelow = sampleBelow(settings);
            this.threshold = settings.threshold();
            this.error = settings.detector(SignalKind.ERROR) != null;
            this.brier = settings.detector(SignalKind.BRIER) != null;
            this.logLoss = settings.detector(SignalKind.LOG_LOSS) != null;
        }

        @Override
        public void open(OpenContext openContext) {
            skipped = getRuntimeContext().getMetricGroup().counter(MonitorMetrics.SIGNALS_SKIPPED);
            notSampled = getRuntimeContext().getMetricGroup().counter(MonitorMetrics.NOT_SAMPLED);
            names = new SignalNames();
        }

        @Override
        public void processElement(LabeledExample e, Context ctx, Collector<MonitorSignal> out) {
            if (sampleBelow != -1L
                    && !sampled(e.getEntityId(), e.getPredictionTime().toEpochMilli(), sampleBelow)) {
                notSampled.inc();
                return;
            }
            Double score = e.getScore();
            double label = e.getLabel();
            if (score == null || !(score >= 0 && score <= 1) || (label != 0.0 && label != 1.0)) {
                skipped.inc();
                return;
            }
            long time = ctx.timestamp() != null ? ctx.timestamp() : e.getLabelTime().toEpochMilli();
            String model = e.getModelName();
            if (error) {
                out.collect(new MonitorSignal(e.getPipeline(), names.get(SignalKind.ERROR, model), time,
                        error(score, label, threshold), model, e.getModelVersion()));
            }
            if (brier) {
                out.collect(new MonitorSignal(e.getPipeline(), names.get(SignalKind.BRIER, model), time,
                        brier(score, label), model, e.getModelVersion()));
            }
            if (logLoss) {
                out.collect(new MonitorSignal(e.getPipeline(), names.get(SignalKind.LOG_LOSS, model), time,
                        logLoss(score, label), model, e.getModelVersion()));
            }
        }

        @VisibleForTesting
        long skipped() {
            return skipped.getCount();
        }
    }

    /** Predictions to their score and watched-feature signals. */
    public static final class FromPredictions extends ProcessFunction<Prediction, MonitorSignal> {

        private static final long serialVersionUID = 1L;

        private final boolean score;
        private final int[] indices;
        private final String[] featureSignals;
        /** A prediction is sampled when its hash, as an unsigned 64-bit number, is below this; -1: all. */
        private final long sampleBelow;

        private transient Counter skipped;
        private transient Counter notSampled;
        private transient SignalNames names;

        FromPredictions(DriftSettings settings, List<String> featureNames) {
            Objects.requireNonNull(featureNames, "featureNames");
            this.sampleBelow = sampleBelow(settings);
            this.score = settings.detector(SignalKind.SCORE) != null;
            this.indices = featureIndices(settings.features(), featureNames);
            List<String> signals = new ArrayList<>();
            for (String f : settings.features()) {
                signals.add(SignalKind.FEATURE.signal(f));
            }
            this.featureSignals = signals.toArray(new String[0]);
        }

        @Override
        public void open(OpenContext openContext) {
            skipped = getRuntimeContext().getMetricGroup().counter(MonitorMetrics.SIGNALS_SKIPPED);
            notSampled = getRuntimeContext().getMetricGroup().counter(MonitorMetrics.NOT_SAMPLED);
            names = new SignalNames();
        }

        @Override
        public void processElement(Prediction p, Context ctx, Collector<MonitorSignal> out) {
            long time = ctx.timestamp() != null ? ctx.timestamp() : p.getEventTime().toEpochMilli();
            if (sampleBelow != -1L && !sampled(p.getEntityId(), p.getEventTime().toEpochMilli(), sampleBelow)) {
                notSampled.inc();
                return;
            }
            String model = p.getModelName();
            if (score) {
                Double s = p.getScore();
                if (s == null || !Double.isFinite(s)) {
                    skipped.inc();
                } else {
                    out.collect(new MonitorSignal(p.getPipeline(), names.get(SignalKind.SCORE, model), time, s,
                            model, p.getModelVersion()));
                }
            }
            List<Float> features = p.getFeatures();
            for (int i = 0; i < indices.length; i++) {
                int at = indices[i];
                Float v = at < features.size() ? features.get(at) : null;
                if (v == null || !Float.isFinite(v)) {
                    skipped.inc();
                    continue;
                }
                out.collect(new MonitorSignal(p.getPipeline(), featureSignals[i], time, v, model,
                        p.getModelVersion()));
            }
        }

        @VisibleForTesting
        long skipped() {
            return skipped.getCount();
        }
    }

    /** The sampling bound of {@code settings}' sample rate; -1 when every record is sampled. */
    private static long sampleBelow(DriftSettings settings) {
        double rate = settings.sampleRate();
        return rate >= 1.0 ? -1L : unsignedFraction(rate);
    }

    /** {@code rate · 2^64} as an unsigned 64-bit number, for {@code rate} in (0, 1). */
    static long unsignedFraction(double rate) {
        // rate · 2^63 fits a signed long; doubling it gives the unsigned value
        return (long) (rate * 0x1p63) << 1;
    }

    /** Whether the prediction of {@code entityId} at {@code eventTime} is in the sample of {@code below / 2^64}. */
    static boolean sampled(String entityId, long eventTime, long below) {
        long h = StableHash.fmix64(StableHash.of(entityId) ^ StableHash.fmix64(eventTime));
        return Long.compareUnsigned(h, below) < 0;
    }

    /** The signal names of the last model seen, so a steady stream builds no strings. */
    private static final class SignalNames {
        private final String[] names = new String[SignalKind.values().length];
        private final String[] models = new String[SignalKind.values().length];

        String get(SignalKind kind, String model) {
            int k = kind.ordinal();
            if (!Objects.equals(models[k], model)) {
                models[k] = model;
                names[k] = kind.signal(model);
            }
            return names[k];
        }
    }
}
