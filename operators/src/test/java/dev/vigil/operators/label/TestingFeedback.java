package dev.vigil.operators.label;

import dev.vigil.schema.common.LabelSource;
import java.util.Objects;

/** A feedback record for the prediction-id join's tests (a Flink POJO), read by {@link Labels}. */
public class TestingFeedback {

    public String predictionId;
    public LabelSource source;
    public boolean positive;
    public long givenAt;
    public long recordedAt;
    public String code;

    public TestingFeedback() {}

    public TestingFeedback(
            String predictionId, LabelSource source, boolean positive, long givenAt, long recordedAt, String code) {
        this.predictionId = predictionId;
        this.source = source;
        this.positive = positive;
        this.givenAt = givenAt;
        this.recordedAt = recordedAt;
        this.code = code;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TestingFeedback)) {
            return false;
        }
        TestingFeedback f = (TestingFeedback) o;
        return positive == f.positive
                && givenAt == f.givenAt
                && recordedAt == f.recordedAt
                && Objects.equals(predictionId, f.predictionId)
                && source == f.source
                && Objects.equals(code, f.code);
    }

    @Override
    public int hashCode() {
        return Objects.hash(predictionId, source, positive, givenAt, recordedAt, code);
    }

    /** Reads {@link TestingFeedback}. */
    public static final class Labels implements FeedbackLabels<TestingFeedback> {
        private static final long serialVersionUID = 1L;

        @Override
        public String predictionId(TestingFeedback f) {
            return f.predictionId;
        }

        @Override
        public LabelSource source(TestingFeedback f) {
            return f.source;
        }

        @Override
        public double label(TestingFeedback f) {
            return f.positive ? 1.0 : 0.0;
        }

        @Override
        public long labelTime(TestingFeedback f) {
            return f.givenAt;
        }

        @Override
        public long recordedAt(TestingFeedback f) {
            return f.recordedAt;
        }

        @Override
        public String evidence(TestingFeedback f) {
            return f.code;
        }
    }
}
