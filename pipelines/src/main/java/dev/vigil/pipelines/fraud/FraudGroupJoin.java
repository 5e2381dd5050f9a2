package dev.vigil.pipelines.fraud;

import dev.vigil.operators.fraud.decision.DecidedTransaction;
import dev.vigil.operators.fraud.label.FraudPrediction;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.fraud.FraudDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns decided transactions into the label join's {@link FraudPrediction}s, with the account holder's fairness
 * attributes ({@value #AGE_BAND}, {@value #REGION}) as the prediction's group. Keyed by account id: input 1 the
 * decided transactions, input 2 each accepted transaction's {@link AccountGroup}, straight from ingest.
 *
 * <p>The attributes are a property of the account, not of the transaction, and the feature stage does not carry them
 * ({@code TransactionEvent} has no such fields), so this keeps the latest attributes seen per account (state with a
 * processing-time TTL, refreshed on write, like the feature state) and stamps them on every decision of the account.
 * The attributes of a transaction reach this operator directly from ingest, its decision only after the feature stage
 * has waited for the watermark and the scorer has batched it, so in practice the attributes are always here first;
 * when they are not (an account's very first transaction, overtaken), the group says {@value #UNKNOWN} and {@code
 * fraudGroupUnknown} counts it.
 */
public final class FraudGroupJoin extends KeyedCoProcessFunction<String, DecidedTransaction, FraudGroupJoin.AccountGroup,
        FraudPrediction> {

    private static final long serialVersionUID = 1L;

    static final String AGE_BAND = "ageBand";
    static final String REGION = "region";
    static final String UNKNOWN = "unknown";

    /** The fairness attributes of one account, from a transaction. A Java record, so a Flink POJO. */
    public record AccountGroup(String accountId, String ageBand, String region) {}

    private final Duration ttl;

    private transient ValueState<AccountGroup> groupState;
    private transient Counter unknown;

    FraudGroupJoin(Duration ttl) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<AccountGroup> descriptor =
                new ValueStateDescriptor<>("fraud-account-group", TypeInformation.of(AccountGroup.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired()
                .build());
        groupState = getRuntimeContext().getState(descriptor);
        unknown = getRuntimeContext().getMetricGroup().counter("fraudGroupUnknown");
    }

    @Override
    public void processElement1(DecidedTransaction decided, Context ctx, Collector<FraudPrediction> out)
            throws Exception {
        AccountGroup group = groupState.value();
        if (group == null) {
            unknown.inc();
        }
        FraudDecision d = decided.decision();
        out.collect(new FraudPrediction(d.getTransactionId(), toPrediction(decided, group), d.getDecision()));
    }

    @Override
    public void processElement2(AccountGroup group, Context ctx, Collector<FraudPrediction> out) throws Exception {
        groupState.update(group); // every write refreshes the TTL: an active account is never forgotten
    }

    /** The prediction of a decided transaction: the classifier's view of it, with the account's group. */
    static Prediction toPrediction(DecidedTransaction decided, AccountGroup group) {
        FraudDecision d = decided.decision();
        float[] f = decided.features();
        List<Float> features = new ArrayList<>(f.length);
        for (float v : f) {
            features.add(v);
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(AGE_BAND, group == null || group.ageBand() == null ? UNKNOWN : group.ageBand());
        attributes.put(REGION, group == null || group.region() == null ? UNKNOWN : group.region());
        return Prediction.newBuilder()
                .setPipeline(FraudJob.PIPELINE)
                .setEntityId(d.getAccountId())
                .setEventTime(d.getEventTime())
                .setIngestTime(d.getIngestTime())
                .setScoredAt(d.getScoredAt())
                .setModelName(d.getModelName())
                .setModelVersion(d.getModelVersion())
                .setScore(d.getScore())
                .setBaselineScore(null)
                .setFeatures(features)
                .setGroup(attributes)
                .build();
    }
}
