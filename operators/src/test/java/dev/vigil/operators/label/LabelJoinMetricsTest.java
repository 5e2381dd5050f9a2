package dev.vigil.operators.label;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.junit.jupiter.api.Test;

class LabelJoinMetricsTest {

    @Test
    void registersEveryMetricOnTheOperatorGroupUnderItsConstantName() {
        InterceptingOperatorMetricGroup group = new InterceptingOperatorMetricGroup();
        LabelJoinMetrics metrics = new LabelJoinMetrics(group);

        assertThat(group.get(LabelJoinMetrics.LABEL_DELAY_MS))
                .isInstanceOf(Histogram.class)
                .isSameAs(metrics.labelDelay());
        for (String counter : new String[] {
            LabelJoinMetrics.POSITIVE, LabelJoinMetrics.NEGATIVE, LabelJoinMetrics.JOINED, LabelJoinMetrics.UNLABELED,
            LabelJoinMetrics.LATE_PREDICTIONS, LabelJoinMetrics.SAMPLED_OUT, LabelJoinMetrics.DUPLICATE_PREDICTIONS,
            LabelJoinMetrics.LATE_LABELS, LabelJoinMetrics.IGNORED_LABELS, LabelJoinMetrics.ORPHAN_LABELS,
            LabelJoinMetrics.DUPLICATE_LABELS
        }) {
            assertThat(group.get(counter)).as(counter).isInstanceOf(Counter.class);
            ((Counter) group.get(counter)).inc();
            assertThat(metrics.count(counter)).as(counter).isEqualTo(1);
        }
    }
}
