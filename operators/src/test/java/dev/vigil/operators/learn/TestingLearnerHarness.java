package dev.vigil.operators.learn;

import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import java.util.List;
import java.util.Map;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * Flink's {@link OneInputStreamOperatorTestHarness} around an {@link OnlineLearnerOperator}, with intercepted metrics
 * and processing time starting at 0. Opened on creation, optionally from a snapshot.
 */
final class TestingLearnerHarness implements AutoCloseable {

    private final OneInputStreamOperatorTestHarness<LabeledExample, ModelUpdate> harness;
    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
    private final OnlineLearnerOperator operator;

    private TestingLearnerHarness(OnlineLearnerOperator operator, OperatorSubtaskState restoreFrom) throws Exception {
        this.operator = operator;
        InterceptingOperatorMetricGroup group = metrics;
        harness = new OneInputStreamOperatorTestHarness<>(
                operator,
                new AvroSerializer<>(LabeledExample.class),
                new MockEnvironmentBuilder()
                        .setMetricGroup(new InterceptingTaskMetricGroup() {
                            @Override
                            public InternalOperatorMetricGroup getOrAddOperator(
                                    OperatorID id, String name, Map<String, String> variables) {
                                return group;
                            }
                        })
                        .build());
        harness.setup(new AvroSerializer<>(ModelUpdate.class));
        harness.setProcessingTime(0);
        harness.initializeState(restoreFrom);
        harness.open();
    }

    static TestingLearnerHarness open(OnlineLearnerOperator operator) throws Exception {
        return new TestingLearnerHarness(operator, null);
    }

    static TestingLearnerHarness restore(OnlineLearnerOperator operator, OperatorSubtaskState state)
            throws Exception {
        return new TestingLearnerHarness(operator, state);
    }

    void process(List<LabeledExample> examples) throws Exception {
        for (LabeledExample e : examples) {
            process(e);
        }
    }

    void process(LabeledExample example) throws Exception {
        harness.processElement(example, example.getPredictionTime().toEpochMilli());
    }

    void setProcessingTime(long millis) throws Exception {
        harness.setProcessingTime(millis);
    }

    OperatorSubtaskState snapshot(long checkpointId) throws Exception {
        return harness.snapshot(checkpointId, checkpointId);
    }

    /** The model updates emitted so far, in order. */
    List<ModelUpdate> updates() {
        return harness.extractOutputValues();
    }

    @SuppressWarnings("unchecked")
    List<StreamRecord<ModelUpdate>> updateRecords() {
        return (List<StreamRecord<ModelUpdate>>) (List<?>) harness.extractOutputStreamRecords();
    }

    VersionedLearner learner() {
        return operator.learner();
    }

    long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    Object gauge(String name) {
        return ((Gauge<?>) metrics.get(name)).getValue();
    }

    /** Ends the input (publishing a last version if the model changed) without closing. */
    void endInput() throws Exception {
        harness.endInput();
        operator.finish();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
