package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Records completed in one wall-clock bucket of a run, with their end-to-end latency percentiles.
 *
 * @param start start of the bucket (inclusive)
 * @param width length of the bucket
 * @param records records completed in {@code [start, start + width)}
 * @param latencyP50Ms median latency in milliseconds; {@code NaN} when the bucket is empty
 * @param latencyP99Ms 99th-percentile latency in milliseconds; {@code NaN} when the bucket is empty
 */
public record ThroughputBucket(
        Instant start, Duration width, long records, double latencyP50Ms, double latencyP99Ms) {

    public ThroughputBucket {
        checkNotNull(start, "start");
        checkNotNull(width, "width");
        checkArgument(!width.isNegative() && !width.isZero(), "width must be positive, got %s", width);
        checkArgument(records >= 0, "records must be >= 0, got %s", records);
        checkArgument(Double.isNaN(latencyP50Ms) || latencyP50Ms >= 0, "p50 must be >= 0 or NaN, got %s",
                latencyP50Ms);
        checkArgument(Double.isNaN(latencyP99Ms) || latencyP99Ms >= 0, "p99 must be >= 0 or NaN, got %s",
                latencyP99Ms);
        checkArgument(Double.isNaN(latencyP50Ms) || Double.isNaN(latencyP99Ms) || latencyP50Ms <= latencyP99Ms,
                "p50 (%s) must not exceed p99 (%s)", latencyP50Ms, latencyP99Ms);
        checkArgument(!Double.isInfinite(latencyP50Ms) && !Double.isInfinite(latencyP99Ms),
                "latencies must be finite or NaN");
    }

    /** Records per second over the bucket. */
    public double recordsPerSecond() {
        return records * 1e9 / width.toNanos();
    }
}
