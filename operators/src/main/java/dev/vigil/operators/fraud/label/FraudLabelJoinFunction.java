package dev.vigil.operators.fraud.label;

import dev.vigil.operators.label.LabelJoin;
import dev.vigil.operators.label.LabelReasons;
import dev.vigil.operators.label.LabeledExamples;
import dev.vigil.operators.label.Resolutions;
import dev.vigil.operators.validation.DeadLetters;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The fraud label join, keyed by transaction id: decided transactions ({@link FraudPrediction}, input 1) meet their
 * chargebacks and investigator verdicts ({@link FraudLabel}, input 2), in either order, and leave as {@link
 * LabeledExample}s for the online learner and the monitors.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<LabeledExample> examples = predictions
 *         .connect(labels)
 *         .keyBy(FraudPrediction::transactionId, FraudLabel::transactionId)
 *         .process(FraudLabelJoinFunction.fromConfig(config), LabelJoin.outputType());
 * DataStream<DeadLetter> rejected = examples.getSideOutput(LabelJoin.DEAD_LETTERS);
 * }</pre>
 *
 * <ul>
 *   <li><b>Positive</b> (label 1): a FRAUD chargeback ({@link LabelSource#CHARGEBACK}) or a FRAUD investigator verdict
 *       ({@link LabelSource#INVESTIGATOR}). Chargebacks of other categories are not fraud labels: counted ({@link
 *       FraudLabelMetrics#NON_FRAUD_CHARGEBACKS}) and ignored.
 *   <li><b>Negative</b> (label 0): a LEGIT investigator verdict, or <i>label maturity</i>: no fraud label by the
 *       transaction's event time plus {@link FraudLabelOptions#MATURITY} (an event-time timer; label source {@link
 *       LabelSource#MATURITY}, evidence {@value #MATURED_EVIDENCE}, label time = the deadline, {@code horizonMillis} =
 *       the maturity). This is how fraud teams label (chargebacks are the slow ground truth, and most frauds that are
 *       ever charged back are within the scheme's window), and it is biased in one known way: fraud that is never
 *       reported stays a negative.
 *   <li><b>Declined transactions never mature.</b> A declined transaction cannot be charged back, so "no chargeback"
 *       says nothing about it, and training on it as a negative would teach the model that what it declined was
 *       legitimate (a feedback loop on its own decisions). It is counted ({@link
 *       FraudLabelMetrics#DECLINED_UNLABELED}) instead; an explicit verdict on it is still a label.
 *   <li>The first label wins. A second one is dead-lettered ({@link LabelReasons#DUPLICATE_LABEL}) so a disagreement
 *       (a LEGIT verdict, then a FRAUD chargeback) stays visible. A label whose transaction has already matured is
 *       dead-lettered as {@link #LABEL_AFTER_MATURITY}; a label whose transaction never arrived by its maturity as
 *       {@link LabelReasons#ORPHAN_LABEL}. Dead letters carry the account id as key and the label record's Avro bytes.
 *   <li>A repeated prediction of a transaction is counted and ignored.
 * </ul>
 *
 * <p>Examples carry {@code predictionId} = the transaction id and {@code horizonMillis} = null, except matured ones.
 * Every decision comes out of the join at most once, and no key outlives its maturity: the timer clears all its
 * state. State per transaction: the waiting prediction or label, the maturity deadline and a labelled flag; all of it
 * keyed state, so the join rescales.
 */
public class FraudLabelJoinFunction extends KeyedCoProcessFunction<String, FraudPrediction, FraudLabel, LabeledExample> {

    private static final long serialVersionUID = 1L;

    /** {@code DeadLetter.reason} of a label that arrived after its transaction's maturity. */
    public static final String LABEL_AFTER_MATURITY = "LABEL_AFTER_MATURITY";

    /** {@code LabeledExample.labelEvidence} of a matured negative. */
    public static final String MATURED_EVIDENCE = "NO_FRAUD_LABEL_BY_MATURITY";

    /** {@code DeadLetter.pipeline} of the dead letters. */
    public static final String PIPELINE = "fraud";

    private final long maturityMillis;

    private transient ValueState<FraudPrediction> predictionState;
    private transient ValueState<FraudLabel> labelState;
    private transient ValueState<Long> deadlineState;
    private transient ValueState<Boolean> labelledState;
    private transient FraudLabelMetrics metrics;

    /** @param maturity see {@link FraudLabelOptions#MATURITY}; positive */
    public FraudLabelJoinFunction(Duration maturity) {
        Objects.requireNonNull(maturity, "maturity");
        if (maturity.isNegative() || maturity.isZero()) {
            throw new IllegalArgumentException("maturity must be positive: " + maturity);
        }
        this.maturityMillis = maturity.toMillis();
    }

    /** The join with {@link FraudLabelOptions#MATURITY} of {@code config}. */
    public static FraudLabelJoinFunction fromConfig(ReadableConfig config) {
        return new FraudLabelJoinFunction(FraudLabelOptions.maturity(config));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        predictionState = getRuntimeContext().getState(new ValueStateDescriptor<>(
                "fraud-labels-prediction", TypeInformation.of(FraudPrediction.class)));
        labelState = getRuntimeContext().getState(new ValueStateDescriptor<>(
                "fraud-labels-label", TypeInformation.of(FraudLabel.class)));
        deadlineState = getRuntimeContext().getState(new ValueStateDescriptor<>("fraud-labels-deadline", Types.LONG));
        labelledState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("fraud-labels-labelled", Types.BOOLEAN));
        metrics = new FraudLabelMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement1(FraudPrediction prediction, Context ctx, Collector<LabeledExample> out)
            throws Exception {
        if (labelledState.value() != null || predictionState.value() != null) {
            metrics.duplicatePredictions.inc();
            return;
        }
        long deadline = prediction.transactionTimeMillis() + maturityMillis;
        FraudLabel label = labelState.value();
        if (label != null) {
            emit(prediction, label, out);
            labelState.clear();
            labelledState.update(Boolean.TRUE);
            return; // the deadline timer registered for the label clears the key
        }
        if (deadline <= ctx.timerService().currentWatermark()) {
            // Arrived after its own maturity: it matures now. Nothing stays, so a later label is after maturity.
            mature(prediction, deadline, out);
            clearDeadline(ctx);
            return;
        }
        moveDeadline(ctx, deadline);
        predictionState.update(prediction);
    }

    @Override
    public void processElement2(FraudLabel label, Context ctx, Collector<LabeledExample> out) throws Exception {
        if (!label.isLabel()) {
            (label.source() == LabelSource.CHARGEBACK ? metrics.nonFraudChargebacks : metrics.ignoredLabels).inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (labelledState.value() != null || labelState.value() != null) {
            metrics.duplicateLabels.inc();
            deadLetter(ctx, label, LabelReasons.DUPLICATE_LABEL, "the transaction already has a label", now);
            return;
        }
        FraudPrediction prediction = predictionState.value();
        if (prediction != null) {
            emit(prediction, label, out);
            predictionState.clear();
            labelledState.update(Boolean.TRUE);
            return;
        }
        long deadline = label.transactionTimeMillis() + maturityMillis;
        if (deadlineState.value() == null && deadline <= ctx.timerService().currentWatermark()) {
            metrics.lateLabels.inc();
            deadLetter(ctx, label, LABEL_AFTER_MATURITY, "the transaction matured before the label arrived ("
                    + FraudLabelOptions.MATURITY.key() + " " + Duration.ofMillis(maturityMillis) + ")", now);
            return;
        }
        if (deadlineState.value() == null) {
            moveDeadline(ctx, deadline);
        }
        labelState.update(label);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabeledExample> out) throws Exception {
        Long deadline = deadlineState.value();
        if (deadline == null || deadline != timestamp) {
            return;
        }
        FraudPrediction prediction = predictionState.value();
        if (prediction != null) {
            mature(prediction, deadline, out);
        }
        FraudLabel label = labelState.value();
        if (label != null) {
            metrics.orphanLabels.inc();
            deadLetter(ctx, label, LabelReasons.ORPHAN_LABEL, "no decision of the transaction by its maturity ("
                    + FraudLabelOptions.MATURITY.key() + " " + Duration.ofMillis(maturityMillis) + ")",
                    ctx.timerService().currentProcessingTime());
        }
        predictionState.clear();
        labelState.clear();
        labelledState.clear();
        deadlineState.clear();
    }

    private void emit(FraudPrediction prediction, FraudLabel label, Collector<LabeledExample> out) {
        out.collect(metrics.emitted(LabeledExamples.of(
                prediction.prediction(),
                prediction.transactionId(),
                label.source(),
                label.label(),
                label.labelTimeMillis(),
                label.evidence(),
                label.labelTimeMillis(),
                null)));
    }

    private void mature(FraudPrediction prediction, long deadline, Collector<LabeledExample> out) {
        if (prediction.declined()) {
            metrics.declinedUnlabeled.inc();
            return;
        }
        metrics.matured.inc();
        out.collect(metrics.emitted(LabeledExamples.of(
                prediction.prediction(),
                prediction.transactionId(),
                LabelSource.MATURITY,
                0.0,
                deadline,
                MATURED_EVIDENCE,
                Resolutions.NOT_RECORDED,
                maturityMillis)));
    }

    private void moveDeadline(Context ctx, long deadline) throws Exception {
        Long previous = deadlineState.value();
        if (previous != null && previous != deadline) {
            ctx.timerService().deleteEventTimeTimer(previous);
        }
        ctx.timerService().registerEventTimeTimer(deadline);
        deadlineState.update(deadline);
    }

    private void clearDeadline(Context ctx) throws Exception {
        Long previous = deadlineState.value();
        if (previous != null) {
            ctx.timerService().deleteEventTimeTimer(previous);
        }
        deadlineState.clear();
    }

    private void deadLetter(Context ctx, FraudLabel label, String reason, String detail, long now) {
        ctx.output(LabelJoin.DEAD_LETTERS, DeadLetters.builder(PIPELINE, LabelJoin.STAGE)
                .reason(reason)
                .detail(detail)
                .original(DeadLetters.keyBytes(label.accountId()), label.original())
                .rejectedAt(now)
                .build());
    }

    @VisibleForTesting
    FraudLabelMetrics metrics() {
        return metrics;
    }
}
