package dev.vigil.operators.icu;

import dev.vigil.operators.ingest.Ingested;
import dev.vigil.operators.validation.DeadLetters;
import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The ICU feature stage: keyed by patient id, input 1 is canonical vitals (from {@code VitalValidator}), input 2 the
 * patient's context. On every accepted vital it emits a {@link PatientSnapshot} at the patient's newest event time.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<PatientSnapshot> snapshots = validVitals
 *         .connect(contexts)
 *         .keyBy(VitalObservation::getPatientId, PatientContext::getPatientId)
 *         .process(PatientFeatureFunction.fromConfig(config));
 * DataStream<DeadLetter> late = snapshots.getSideOutput(PatientFeatureFunction.DEAD_LETTERS);
 * }</pre>
 *
 * <p><b>State</b> (rescalable keyed state, no Kryo): a {@code ValueState<PatientFeatureState>} (a POJO of parallel
 * time/value arrays per vital) and a {@code ValueState<PatientContext>} (Avro). Both carry a processing-time TTL of
 * {@link IcuOptions#STATE_TTL}; the context's TTL is refreshed on every read, so it lives as long as the patient's
 * vitals keep arriving.
 *
 * <p><b>Times.</b> Observations are placed by their {@code effectiveTime} (the event time). {@code ingestTime} of a
 * snapshot is the Kafka timestamp of the observation that triggered it ({@link Ingested#ingestTime}), where
 * end-to-end latency starts.
 *
 * <p><b>Dead letters</b> ({@link #DEAD_LETTERS}, stage {@code features}): an observation older than the newest event
 * time minus the retention ({@code LATE_BEYOND_RETENTION}), and defensively an unknown code or non-finite value that
 * slipped past validation. They carry the observation's key and Avro bytes. An exact duplicate (same vital, time and
 * value) changes nothing and emits nothing.
 *
 * <p><b>Context.</b> The latest context by {@code updatedAt} wins (ties: the later arrival). A context does not emit a
 * snapshot by itself; the next vital uses it.
 */
public class PatientFeatureFunction
        extends KeyedCoProcessFunction<String, Ingested<VitalObservation>, PatientContext, PatientSnapshot> {

    private static final long serialVersionUID = 1L;

    /** Side output of rejected observations. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("icu-features-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    public static final String PIPELINE = "icu";

    private final long retentionMillis;
    private final Duration stateTtl;

    /**
     * Counter of patient time under observation, in event-time milliseconds: each accepted vital that moves a
     * patient's newest event time forward adds the step, capped at {@link #MAX_OBSERVED_GAP_MILLIS} (a longer silence
     * is not observation). With the alert counter it gives the alert burden per 100 patient-days on a dashboard:
     * {@code 100 * increase(alerts) / (increase(observed) / 86,400,000)}.
     */
    public static final String OBSERVED_PATIENT_MILLIS = "icuObservedPatientMillis";

    /** The longest silence between two of a patient's vitals that still counts as observed time: the 4 h window. */
    static final long MAX_OBSERVED_GAP_MILLIS = IcuFeatures.LONG_WINDOW_MILLIS;

    private transient ValueState<PatientFeatureState> featureState;
    private transient ValueState<PatientContext> contextState;
    private transient Counter accepted;
    private transient Counter late;
    private transient Counter duplicates;
    private transient Counter observedMillis;

    /**
     * @param retention see {@link IcuOptions#FEATURES_RETENTION}; at least 4 h
     * @param stateTtl see {@link IcuOptions#STATE_TTL}; at least {@code retention}
     */
    public PatientFeatureFunction(Duration retention, Duration stateTtl) {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(stateTtl, "stateTtl");
        if (retention.toMillis() < IcuFeatures.LONG_WINDOW_MILLIS) {
            throw new IllegalArgumentException("retention must be at least 4 h: " + retention);
        }
        if (stateTtl.compareTo(retention) < 0) {
            throw new IllegalArgumentException("state TTL must be at least the retention: " + stateTtl);
        }
        this.retentionMillis = retention.toMillis();
        this.stateTtl = stateTtl;
    }

    public static PatientFeatureFunction fromConfig(ReadableConfig config) {
        return new PatientFeatureFunction(IcuOptions.retention(config), IcuOptions.stateTtl(config));
    }

    /** Type of the feature state: a {@code PojoTypeInfo}. */
    public static TypeInformation<PatientFeatureState> featureStateType() {
        return TypeInformation.of(PatientFeatureState.class);
    }

    /** Type of the context state: an {@code AvroTypeInfo}. */
    public static TypeInformation<PatientContext> contextStateType() {
        return new AvroTypeInfo<>(PatientContext.class);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        ValueStateDescriptor<PatientFeatureState> features =
                new ValueStateDescriptor<>("icu-patient-features", featureStateType());
        features.enableTimeToLive(
                StateTtlConfig.newBuilder(stateTtl)
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        .build());
        featureState = getRuntimeContext().getState(features);

        ValueStateDescriptor<PatientContext> context =
                new ValueStateDescriptor<>("icu-patient-context", contextStateType());
        context.enableTimeToLive(
                StateTtlConfig.newBuilder(stateTtl).updateTtlOnReadAndWrite().neverReturnExpired().build());
        contextState = getRuntimeContext().getState(context);

        accepted = getRuntimeContext().getMetricGroup().counter("icuFeatureObservationsAccepted");
        late = getRuntimeContext().getMetricGroup().counter("icuFeatureObservationsLate");
        duplicates = getRuntimeContext().getMetricGroup().counter("icuFeatureObservationsDuplicate");
        observedMillis = getRuntimeContext().getMetricGroup().counter(OBSERVED_PATIENT_MILLIS);
    }

    /** Observed patient time so far on this subtask, in milliseconds (the {@link #OBSERVED_PATIENT_MILLIS} counter). */
    long observedPatientMillis() {
        return observedMillis.getCount();
    }

    @Override
    public void processElement1(Ingested<VitalObservation> in, Context ctx, Collector<PatientSnapshot> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        VitalObservation obs = in.value;
        Optional<VitalSign> vital = VitalSign.fromLoinc(obs.getLoincCode());
        if (vital.isEmpty()) {
            deadLetter(ctx, in, ReasonCodes.UNKNOWN_CODE, "unvalidated code reached the feature stage", now);
            return;
        }
        if (!Double.isFinite(obs.getValue())) {
            deadLetter(ctx, in, ReasonCodes.NOT_FINITE, "unvalidated value reached the feature stage", now);
            return;
        }

        PatientContext context = contextState.value();
        PatientFeatureState state = featureState.value();
        if (state == null) {
            state = new PatientFeatureState();
            if (context != null) {
                state.setPatientContext(context.getAgeYears(), context.getSpo2Scale2());
            }
        }
        long time = obs.getEffectiveTime().toEpochMilli();
        long newestBefore = state.newestEventTime();
        switch (state.add(vital.get(), time, obs.getValue(), retentionMillis)) {
            case LATE:
                late.inc();
                deadLetter(
                        ctx,
                        in,
                        ReasonCodes.LATE_BEYOND_RETENTION,
                        "effectiveTime is more than "
                                + Duration.ofMillis(retentionMillis)
                                + " behind the patient's newest event time",
                        now);
                return;
            case DUPLICATE:
                duplicates.inc();
                return;
            case ACCEPTED:
            default:
                accepted.inc();
        }
        long newestAfter = state.newestEventTime();
        if (newestBefore != Long.MIN_VALUE && newestAfter > newestBefore) {
            observedMillis.inc(Math.min(newestAfter - newestBefore, MAX_OBSERVED_GAP_MILLIS));
        }
        featureState.update(state);
        out.collect(snapshot(ctx.getCurrentKey(), obs.getEncounterId(), state, context, in.ingestTime));
    }

    @Override
    public void processElement2(PatientContext context, Context ctx, Collector<PatientSnapshot> out)
            throws Exception {
        PatientContext current = contextState.value();
        if (current != null
                && current.getUpdatedAt() != null
                && context.getUpdatedAt() != null
                && context.getUpdatedAt().isBefore(current.getUpdatedAt())) {
            return;
        }
        contextState.update(context);
        PatientFeatureState state = featureState.value();
        if (state != null) {
            state.setPatientContext(context.getAgeYears(), context.getSpo2Scale2());
            featureState.update(state);
        }
    }

    private static PatientSnapshot snapshot(
            String patientId, String encounterId, PatientFeatureState state, PatientContext context, long ingestTime) {
        long asOf = state.newestEventTime();
        PatientSnapshot s = new PatientSnapshot();
        s.patientId = patientId;
        s.encounterId = encounterId;
        s.eventTime = asOf;
        s.ingestTime = ingestTime;
        News2Result news2 = state.news2(asOf);
        s.features = IcuFeatures.compute(state, asOf, new float[IcuFeatures.SIZE], news2);
        s.setNews2(news2);
        s.spo2Scale2 = state.spo2Scale2;
        if (context != null) {
            s.ageYears = context.getAgeYears() < 0 ? PatientSnapshot.UNKNOWN_AGE : context.getAgeYears();
            s.sex = context.getSexAtBirth() == null ? PatientSnapshot.UNKNOWN : context.getSexAtBirth().name();
            s.ward = context.getWard() == null ? PatientSnapshot.UNKNOWN : context.getWard();
        }
        return s;
    }

    private static void deadLetter(
            Context ctx, Ingested<VitalObservation> in, String reason, String detail, long now) {
        ctx.output(
                DEAD_LETTERS,
                DeadLetters.builder(PIPELINE, DeadLetters.STAGE_FEATURES)
                        .reason(reason)
                        .detail(detail)
                        .source(in.topic, in.partition, in.offset, in.ingestTime)
                        .original(DeadLetters.keyBytes(ctx.getCurrentKey()), DeadLetters.avroBytes(in.value))
                        .rejectedAt(now)
                        .build());
    }
}
