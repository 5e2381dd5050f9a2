package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Turns per-record completion times and latencies into {@link ThroughputBucket}s for a report, in bounded memory.
 *
 * <p>Records fall into buckets of {@code width} aligned on the epoch; each bucket keeps an HdrHistogram of latencies
 * (milliseconds, two significant digits, clamped to one hour). When the run spans more than {@code maxBuckets}
 * buckets, the width doubles and neighbouring buckets merge, so a run of any length costs at most {@code maxBuckets}
 * histograms (about 8 KB each). Records may arrive in any order. Not thread-safe.
 *
 * <pre>{@code
 * ThroughputRecorder recorder = new ThroughputRecorder(Duration.ofSeconds(1), 600);
 * for (Prediction p : predictions) {
 *     recorder.record(p.getScoredAt().toEpochMilli(),
 *             p.getScoredAt().toEpochMilli() - p.getIngestTime().toEpochMilli());
 * }
 * reportBuilder.throughput(recorder.buckets());
 * }</pre>
 *
 * <p>The first and last buckets are usually partly covered by the run, so their rates read low.
 */
public final class ThroughputRecorder {

    /** Latencies above this are recorded as this. */
    static final long MAX_LATENCY_MS = TimeUnit.HOURS.toMillis(1);

    private static final int SIGNIFICANT_DIGITS = 2;

    private final int maxBuckets;
    private long widthMs;
    private final TreeMap<Long, IntCountsHistogram> buckets = new TreeMap<>();

    /**
     * @param width initial bucket width, a whole number of milliseconds
     * @param maxBuckets most buckets kept before the width doubles (at least 2)
     */
    public ThroughputRecorder(Duration width, int maxBuckets) {
        checkNotNull(width, "width");
        checkArgument(width.toMillis() > 0 && width.equals(Duration.ofMillis(width.toMillis())),
                "width must be a positive whole number of milliseconds, got %s", width);
        checkArgument(maxBuckets >= 2, "maxBuckets must be >= 2, got %s", maxBuckets);
        this.widthMs = width.toMillis();
        this.maxBuckets = maxBuckets;
    }

    /**
     * Records one completed record.
     *
     * @param completedAtMillis epoch milliseconds when the record completed (e.g. was scored)
     * @param latencyMillis its latency; negative values (clock skew) count as 0
     */
    public void record(long completedAtMillis, long latencyMillis) {
        long index = Math.floorDiv(completedAtMillis, widthMs);
        IntCountsHistogram histogram = buckets.get(index);
        if (histogram == null) {
            histogram = new IntCountsHistogram(MAX_LATENCY_MS, SIGNIFICANT_DIGITS);
            buckets.put(index, histogram);
            while (buckets.lastKey() - buckets.firstKey() + 1 > maxBuckets) {
                coarsen();
            }
            histogram = buckets.get(Math.floorDiv(completedAtMillis, widthMs));
        }
        histogram.recordValue(Math.max(0, Math.min(MAX_LATENCY_MS, latencyMillis)));
    }

    /** The current bucket width (the initial one doubled as often as the run's span needed). */
    public Duration width() {
        return Duration.ofMillis(widthMs);
    }

    /** Every bucket from the first record's to the last record's, empty ones included, in time order. */
    public List<ThroughputBucket> buckets() {
        List<ThroughputBucket> out = new ArrayList<>();
        if (buckets.isEmpty()) {
            return out;
        }
        Duration width = width();
        for (long i = buckets.firstKey(); i <= buckets.lastKey(); i++) {
            Instant start = Instant.ofEpochMilli(i * widthMs);
            IntCountsHistogram h = buckets.get(i);
            if (h == null || h.getTotalCount() == 0) {
                out.add(new ThroughputBucket(start, width, 0, Double.NaN, Double.NaN));
            } else {
                out.add(new ThroughputBucket(start, width, h.getTotalCount(),
                        h.getValueAtPercentile(50), h.getValueAtPercentile(99)));
            }
        }
        return out;
    }

    /** Doubles the width: bucket {@code i} merges into {@code floor(i / 2)}. */
    private void coarsen() {
        widthMs *= 2;
        TreeMap<Long, IntCountsHistogram> merged = new TreeMap<>();
        for (Map.Entry<Long, IntCountsHistogram> e : buckets.entrySet()) {
            long index = Math.floorDiv(e.getKey(), 2);
            IntCountsHistogram into = merged.get(index);
            if (into == null) {
                merged.put(index, e.getValue());
            } else {
                into.add(e.getValue());
            }
        }
        buckets.clear();
        buckets.putAll(merged);
    }
}
