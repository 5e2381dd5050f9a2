package dev.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThroughputRecorderTest {

    private static final long T0 = Instant.parse("2026-03-01T08:00:00Z").toEpochMilli();

    @Test
    void bucketsCountRecordsAndMatchExactPercentilesWithinHistogramPrecision() {
        ThroughputRecorder recorder = new ThroughputRecorder(Duration.ofSeconds(1), 100);
        Random random = new Random(11);
        List<List<Long>> perSecond = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            List<Long> latencies = new ArrayList<>();
            int n = s == 7 ? 0 : 200 + random.nextInt(300);
            for (int i = 0; i < n; i++) {
                long latency = 5 + (long) (200 * random.nextDouble() * random.nextDouble());
                latencies.add(latency);
            }
            perSecond.add(latencies);
        }
        // record in shuffled order: completion order must not matter
        List<long[]> records = new ArrayList<>();
        for (int s = 0; s < perSecond.size(); s++) {
            for (long latency : perSecond.get(s)) {
                records.add(new long[] {T0 + s * 1000L + random.nextInt(1000), latency});
            }
        }
        Collections.shuffle(records, random);
        for (long[] r : records) {
            recorder.record(r[0], r[1]);
        }

        List<ThroughputBucket> buckets = recorder.buckets();

        assertThat(buckets).hasSize(20);
        for (int s = 0; s < 20; s++) {
            ThroughputBucket b = buckets.get(s);
            List<Long> expected = perSecond.get(s);
            assertThat(b.start()).isEqualTo(Instant.ofEpochMilli(T0 + s * 1000L));
            assertThat(b.records()).isEqualTo(expected.size());
            assertThat(b.recordsPerSecond()).isEqualTo(expected.size());
            if (expected.isEmpty()) {
                assertThat(b.latencyP50Ms()).isNaN();
                assertThat(b.latencyP99Ms()).isNaN();
            } else {
                // two significant digits: within 1% (plus one unit of the value's bucket)
                double p50 = percentile(expected, 50);
                double p99 = percentile(expected, 99);
                assertThat(b.latencyP50Ms()).isCloseTo(p50, within(1 + 0.01 * p50));
                assertThat(b.latencyP99Ms()).isCloseTo(p99, within(1 + 0.01 * p99));
            }
        }
    }

    @Test
    void longRunsCoarsenTheWidthAndKeepEveryRecord() {
        ThroughputRecorder recorder = new ThroughputRecorder(Duration.ofMillis(250), 50);
        long total = 0;
        for (int s = 0; s < 1000; s++) {
            for (int i = 0; i < 3; i++) {
                recorder.record(T0 + s * 100L + i, 10 + i);
                total++;
            }
        }

        List<ThroughputBucket> buckets = recorder.buckets();

        // 100 s of records in 250 ms buckets is 400 buckets: doubled three times to 2 s, 50 buckets
        assertThat(recorder.width()).isEqualTo(Duration.ofSeconds(2));
        assertThat(buckets.size()).isLessThanOrEqualTo(50);
        assertThat(buckets.stream().mapToLong(ThroughputBucket::records).sum()).isEqualTo(total);
        for (ThroughputBucket b : buckets) {
            assertThat(b.width()).isEqualTo(Duration.ofSeconds(2));
            assertThat(b.start().toEpochMilli() % 2000).isZero();
        }
        assertThat(buckets.get(1).recordsPerSecond()).isEqualTo(30.0);
    }

    @Test
    void clampsLatenciesAndRejectsBadSettings() {
        ThroughputRecorder recorder = new ThroughputRecorder(Duration.ofSeconds(1), 10);
        recorder.record(T0, -5);
        recorder.record(T0, ThroughputRecorder.MAX_LATENCY_MS * 10);

        ThroughputBucket b = recorder.buckets().get(0);
        assertThat(b.latencyP50Ms()).isZero();
        assertThat(b.latencyP99Ms()).isCloseTo(ThroughputRecorder.MAX_LATENCY_MS,
                within(0.01 * ThroughputRecorder.MAX_LATENCY_MS));
        assertThat(new ThroughputRecorder(Duration.ofSeconds(1), 10).buckets()).isEmpty();
        assertThatThrownBy(() -> new ThroughputRecorder(Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThroughputRecorder(Duration.ofNanos(1500), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThroughputRecorder(Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Nearest-rank percentile: the value at rank ceil(p/100 * n), as HdrHistogram defines it. */
    private static double percentile(List<Long> values, double p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * sorted.length));
        return sorted[(int) rank - 1];
    }
}
