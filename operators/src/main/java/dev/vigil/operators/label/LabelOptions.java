package dev.vigil.operators.label;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the delayed-label join ({@link LabelJoin}). Read as nested YAML in {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   labels:
 *     horizon: 12 h
 *     allowed-lateness: 1 h
 *     ttl: 24 h
 *     sample-every: 1
 *     release: IMMEDIATE
 * }</pre>
 *
 * {@link #HORIZON}, {@link #ALLOWED_LATENESS}, {@link #SAMPLE_EVERY} and {@link #RELEASE} apply to the horizon join
 * ({@link OutcomeLabelJoinFunction}); {@link #TTL} to both joins.
 *
 * <p>{@link #RELEASE} ({@link LabelRelease}) chooses when a positive leaves the horizon join: {@code IMMEDIATE} (the
 * default) as soon as its outcome is known, {@code AT_HORIZON} held in keyed state (surviving snapshot and restore)
 * until the event-time timer that decides negatives for the same prediction fires (watermark {@code >= end(t) +
 * allowed lateness}, {@code end(t) = min(t + H, discharge)}). {@code AT_HORIZON} removes label-delay bias for an
 * online learner downstream: examples leave in prediction-time order per entity, and positives and negatives wait
 * equally long, instead of the learner seeing mostly positives first. The label time of a positive stays the outcome
 * time either way.
 */
public final class LabelOptions {

    public static final ConfigOption<Duration> HORIZON =
            ConfigOptions.key("vigil.labels.horizon")
                    .durationType()
                    .defaultValue(Duration.ofHours(12))
                    .withDescription(
                            "Event-time horizon H of a prediction: a prediction at t is positive when an adverse"
                                    + " outcome of the same entity occurs in (t, t + H], negative when none does."
                                    + " Match it to the horizon the model was trained for.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("vigil.labels.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How far behind the watermark an outcome may arrive and still label a prediction. A"
                                    + " negative label of a prediction at t is emitted once the watermark passes"
                                    + " t + H + allowed lateness (or discharge + allowed lateness), so an outcome"
                                    + " that occurred in the horizon and arrives up to this late still makes it"
                                    + " positive. A prediction arriving more than this behind the watermark is"
                                    + " dead-lettered as PREDICTION_LATE. Longer tolerates later outcomes; every"
                                    + " negative label waits this much longer.");

    public static final ConfigOption<Duration> TTL =
            ConfigOptions.key("vigil.labels.ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "Processing time a prediction waits for its label. After that (no outcome, no discharge,"
                                    + " or a stalled watermark) it is dead-lettered as UNLABELED and counted. In the"
                                    + " horizon join it must exceed horizon + allowed lateness; in the prediction-id"
                                    + " join it bounds how long a prediction and a label wait for each other"
                                    + " (chargebacks need weeks, investigator feedback hours).");

    public static final ConfigOption<Integer> SAMPLE_EVERY =
            ConfigOptions.key("vigil.labels.sample-every")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Keep every n-th prediction of each entity (1 keeps all). Scorers that score every"
                                    + " observation produce many near-duplicate predictions per horizon; sampling"
                                    + " bounds the join's state and the learner's load.");

    public static final ConfigOption<LabelRelease> RELEASE =
            ConfigOptions.key("vigil.labels.release")
                    .enumType(LabelRelease.class)
                    .defaultValue(LabelRelease.IMMEDIATE)
                    .withDescription(
                            "When a positive label of the horizon join is emitted. IMMEDIATE: as soon as its outcome"
                                    + " (or the prediction) arrives. AT_HORIZON: held in keyed state and emitted"
                                    + " with the negatives, once the watermark passes end(t) + allowed lateness"
                                    + " (end(t) = min(t + H, discharge)), so labelled examples leave in"
                                    + " prediction-time order per entity and positives and negatives have the same"
                                    + " delay (no label-delay bias for an online learner). The label time stays the"
                                    + " outcome time.");

    private LabelOptions() {}

    /** The validated horizon (positive). */
    public static Duration horizon(ReadableConfig config) {
        Duration horizon = config.get(HORIZON);
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException(HORIZON.key() + " must be positive: " + horizon);
        }
        return horizon;
    }

    /** The validated allowed lateness (zero or more). */
    public static Duration allowedLateness(ReadableConfig config) {
        Duration lateness = config.get(ALLOWED_LATENESS);
        if (lateness.isNegative()) {
            throw new IllegalArgumentException(ALLOWED_LATENESS.key() + " must not be negative: " + lateness);
        }
        return lateness;
    }

    /** The validated TTL (at least one minute). */
    public static Duration ttl(ReadableConfig config) {
        Duration ttl = config.get(TTL);
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException(TTL.key() + " must be at least 1 min: " + ttl);
        }
        return ttl;
    }

    /** The validated TTL of the horizon join: longer than horizon + allowed lateness. */
    public static Duration horizonTtl(ReadableConfig config) {
        Duration ttl = ttl(config);
        Duration wait = horizon(config).plus(allowedLateness(config));
        if (ttl.compareTo(wait) <= 0) {
            throw new IllegalArgumentException(
                    TTL.key()
                            + " must be longer than "
                            + HORIZON.key()
                            + " + "
                            + ALLOWED_LATENESS.key()
                            + " ("
                            + wait
                            + "): "
                            + ttl);
        }
        return ttl;
    }

    /** The validated sampling stride (at least 1). */
    public static int sampleEvery(ReadableConfig config) {
        int n = config.get(SAMPLE_EVERY);
        if (n < 1) {
            throw new IllegalArgumentException(SAMPLE_EVERY.key() + " must be at least 1: " + n);
        }
        return n;
    }
}
