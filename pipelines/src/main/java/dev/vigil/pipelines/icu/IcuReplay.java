package dev.vigil.pipelines.icu;

import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.PatientFeatureState;
import dev.vigil.operators.icu.VitalSign;
import dev.vigil.operators.validation.Validated;
import dev.vigil.operators.validation.VitalValidator;
import dev.vigil.pipelines.sim.icu.SimEvent;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Replays simulated events, in delivery order, through the same validation and per-patient feature state the ICU job
 * runs ({@link VitalValidator}, {@link PatientFeatureState}), without Flink. Used to build training sets and offline
 * evaluations that see exactly the features the stream sees, including late and out-of-order deliveries.
 */
public final class IcuReplay {

    /** Receives one feature snapshot per accepted observation, as the job's feature stage emits them. */
    @FunctionalInterface
    public interface SnapshotSink {
        void accept(String patientId, long asOf, float[] features);
    }

    private final VitalValidator validator = new VitalValidator(Duration.ofMinutes(5));
    private final Map<String, PatientFeatureState> states = new HashMap<>();
    private final Map<String, PatientContext> contexts = new HashMap<>();
    private final long retentionMillis;
    private final float[] buffer = new float[IcuFeatures.SIZE];
    private long accepted;
    private long rejected;

    public IcuReplay(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    /** Applies one event; returns true when it produced a snapshot. */
    public boolean apply(SimEvent event, SnapshotSink sink) {
        switch (event.kind()) {
            case CONTEXT:
                PatientContext context = event.context();
                contexts.put(event.key(), context);
                PatientFeatureState existing = states.get(event.key());
                if (existing != null) {
                    existing.setPatientContext(context.getAgeYears(), context.getSpo2Scale2());
                }
                return false;
            case VITAL:
                return applyVital(event.vital(), event.deliveryTimeMillis(), sink);
            default:
                return false;
        }
    }

    private boolean applyVital(VitalObservation raw, long nowMillis, SnapshotSink sink) {
        Validated<VitalObservation> validated = validator.validate(raw, nowMillis);
        if (!validated.isAccepted()) {
            rejected++;
            return false;
        }
        VitalObservation obs = validated.value();
        VitalSign vital = VitalSign.fromLoinc(obs.getLoincCode()).orElseThrow();
        String patientId = obs.getPatientId();
        PatientFeatureState state = states.get(patientId);
        if (state == null) {
            state = new PatientFeatureState();
            PatientContext context = contexts.get(patientId);
            if (context != null) {
                state.setPatientContext(context.getAgeYears(), context.getSpo2Scale2());
            }
            states.put(patientId, state);
        }
        if (state.add(vital, obs.getEffectiveTime().toEpochMilli(), obs.getValue(), retentionMillis)
                != PatientFeatureState.Insert.ACCEPTED) {
            rejected++;
            return false;
        }
        accepted++;
        long asOf = state.newestEventTime();
        sink.accept(patientId, asOf, state.features(asOf, buffer));
        return true;
    }

    public long accepted() {
        return accepted;
    }

    public long rejected() {
        return rejected;
    }
}
