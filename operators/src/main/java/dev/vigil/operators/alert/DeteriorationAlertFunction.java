package dev.vigil.operators.alert;

import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.IcuOptions;
import dev.vigil.operators.icu.News2Response;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.schema.common.Reason;
import dev.vigil.schema.icu.DeteriorationAlert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ICU alert stage: keyed by patient id, applies an {@link AlertPolicy} to each {@link ScoredSnapshot} and emits a
 * {@link DeteriorationAlert} when it decides to.
 *
 * <pre>{@code
 * DataStream<DeteriorationAlert> alerts = scored
 *         .keyBy(s -> s.patientId)
 *         .process(DeteriorationAlertFunction.fromConfig(config));
 * }</pre>
 *
 * <p>The alert id is a name-based UUID of (patient, event time, level), so a replay after recovery yields the same id
 * and downstream consumers can deduplicate. Reasons ({@link AlertReasons}) are the top players of the score's Shapley
 * explanation when the scorer attached one ({@link ScoredSnapshot#reasonAttributions}: clinical groups such as {@code
 * "respiratory rate"}), else the top contributing features named by {@link IcuFeatures#NAMES} (the model's {@code
 * contributions} output); an alert raised by NEWS2 alone while the model is unavailable has no reasons, no risk score
 * and model version {@code none}.
 *
 * <p>State: a {@code ValueState<AlertState>} (POJO) with a processing-time TTL of {@link IcuOptions#STATE_TTL}.
 */
public class DeteriorationAlertFunction extends KeyedProcessFunction<String, ScoredSnapshot, DeteriorationAlert> {

    private static final long serialVersionUID = 1L;

    private final AlertPolicy policy;
    private final int horizonHours;
    private final int maxReasons;
    private final Duration stateTtl;

    private transient ValueState<AlertState> alertState;
    private transient Counter raised;
    private transient Counter escalations;

    public DeteriorationAlertFunction(AlertPolicy policy, int horizonHours, int maxReasons, Duration stateTtl) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.stateTtl = Objects.requireNonNull(stateTtl, "stateTtl");
        if (horizonHours < 1) {
            throw new IllegalArgumentException("horizonHours must be positive: " + horizonHours);
        }
        if (maxReasons < 0) {
            throw new IllegalArgumentException("maxReasons must not be negative: " + maxReasons);
        }
        if (stateTtl.compareTo(policy.suppression()) < 0) {
            throw new IllegalArgumentException("state TTL must cover the suppression window: " + stateTtl);
        }
        this.horizonHours = horizonHours;
        this.maxReasons = maxReasons;
    }

    public static DeteriorationAlertFunction fromConfig(ReadableConfig config) {
        return new DeteriorationAlertFunction(
                AlertOptions.policy(config),
                AlertOptions.horizonHours(config),
                AlertOptions.reasons(config),
                config.get(IcuOptions.STATE_TTL));
    }

    /** Type of the alert state: a {@code PojoTypeInfo}. */
    public static TypeInformation<AlertState> stateType() {
        return TypeInformation.of(AlertState.class);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        ValueStateDescriptor<AlertState> descriptor = new ValueStateDescriptor<>("icu-alert-state", stateType());
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(stateTtl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
        alertState = getRuntimeContext().getState(descriptor);
        raised = getRuntimeContext().getMetricGroup().counter("icuAlertsRaised");
        escalations = getRuntimeContext().getMetricGroup().counter("icuAlertEscalations");
    }

    @Override
    public void processElement(ScoredSnapshot snapshot, Context ctx, Collector<DeteriorationAlert> out)
            throws Exception {
        AlertState state = alertState.value();
        if (state == null) {
            state = new AlertState();
        }
        boolean wasActive = state.modelActive;
        Optional<AlertDecision> decision =
                policy.evaluate(state, snapshot.eventTime, snapshot.riskScore, snapshot.news2Response);
        if (decision.isEmpty()) {
            if (state.modelActive != wasActive) {
                alertState.update(state);
            }
            return;
        }
        alertState.update(state);
        AlertDecision d = decision.get();
        raised.inc();
        if (d.escalation()) {
            escalations.inc();
        }
        out.collect(alert(ctx.getCurrentKey(), snapshot, d, ctx.timerService().currentProcessingTime()));
    }

    private DeteriorationAlert alert(String patientId, ScoredSnapshot s, AlertDecision d, long now) {
        Double risk = s.riskScore == null || s.riskScore.isNaN() ? null : s.riskScore;
        return new DeteriorationAlert(
                alertId(patientId, s.eventTime, d),
                patientId,
                s.encounterId == null ? "" : s.encounterId,
                Instant.ofEpochMilli(s.eventTime),
                Instant.ofEpochMilli(now),
                d.level(),
                d.trigger(),
                d.escalation(),
                risk,
                horizonHours,
                s.news2Total,
                s.news2Scale,
                (s.news2Response == null ? News2Response.LOW : s.news2Response).name(),
                s.modelName == null ? ScoredSnapshot.NO_MODEL : s.modelName,
                risk == null || s.modelVersion == null ? ScoredSnapshot.NO_MODEL : s.modelVersion,
                risk == null ? List.of() : reasons(s));
    }

    /** The explained reasons when the scorer attached an explanation, else those of the graph's contributions. */
    private List<Reason> reasons(ScoredSnapshot s) {
        if (s.hasExplanation()) {
            return AlertReasons.top(s.reasonNames, s.reasonValues, s.reasonAttributions, maxReasons);
        }
        return AlertReasons.top(IcuFeatures.NAMES, s.features, s.contributions, maxReasons);
    }

    /** Deterministic alert id: a name-based UUID of patient, event time and level. */
    public static String alertId(String patientId, long eventTime, AlertDecision decision) {
        String name = "vigil.icu.alert|" + patientId + "|" + eventTime + "|" + decision.level();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
