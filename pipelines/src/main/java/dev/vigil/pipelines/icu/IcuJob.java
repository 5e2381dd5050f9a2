package dev.vigil.pipelines.icu;

import dev.vigil.operators.alert.DeteriorationAlertFunction;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.PatientFeatureFunction;
import dev.vigil.operators.icu.PatientSnapshot;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.operators.inference.MicroBatchOperator;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.ingest.AvroEventTime;
import dev.vigil.operators.ingest.IngestFunction;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.RawRecord;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.operators.validation.Validated;
import dev.vigil.operators.validation.VitalValidator;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.icu.DeteriorationAlert;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.DefaultTypeDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.lineage.TypeDatasetFacet;
import org.apache.flink.connector.kafka.lineage.TypeDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ICU deterioration job:
 *
 * <pre>
 *  vitals ──> ingest (decode + validate) ──┐                                        ┌─> predictions
 *  context ─> ingest ──────────────────────┴─> per-patient features + NEWS2 ─> ONNX ─┤
 *                 │                                  │                   (batched)  └─> alert policy ─> alerts
 *                 └───────────── dead letters ───────┴──────────────────────────────────> vigil.dlq
 * </pre>
 *
 * <p>Sources read raw bytes so that malformed records become dead letters; event time (the observation's {@code
 * effectiveTime}) is assigned after decoding with bounded out-of-orderness and idleness. All sinks are exactly-once
 * Kafka transactions committed on checkpoints; operator uids are stable so savepoints survive upgrades.
 */
public final class IcuJob {

    public static final String PIPELINE = "icu";

    private IcuJob() {}

    /** Adds the job's topology to {@code env}, configured by {@code config} (Vigil, Kafka, inference options). */
    public static void build(StreamExecutionEnvironment env, ReadableConfig config) throws IOException {
        // No operator of this job keeps or mutates an input after passing it on (MicroBatchOperator copies what it
        // buffers, keyed state only holds records that arrived over the network), so chained operators can hand
        // records over without a defensive serializer copy per record and per chained edge.
        env.getConfig().enableObjectReuse();

        SingleOutputStreamOperator<Ingested<VitalObservation>> vitals = env.fromSource(
                        source(config, "icu-vitals", config.get(IcuPipelineOptions.VITALS_TOPIC)),
                        eventTime(config, new AvroEventTime<>(VitalObservation.class,
                                VitalObservation::getEffectiveTime, MAX_FUTURE_MILLIS)),
                        "vitals")
                .uid("icu-vitals-source")
                .process(new IngestFunction<>(PIPELINE, VitalObservation.class, new VitalRecordValidator()),
                        IngestFunction.typeInfo(VitalObservation.class))
                .uid("icu-vitals-ingest")
                .name("ingest vitals");

        SingleOutputStreamOperator<Ingested<PatientContext>> contexts = env.fromSource(
                        source(config, "icu-context", config.get(IcuPipelineOptions.CONTEXT_TOPIC)),
                        eventTime(config, new AvroEventTime<>(PatientContext.class,
                                PatientContext::getUpdatedAt, MAX_FUTURE_MILLIS)),
                        "context")
                .uid("icu-context-source")
                .process(new IngestFunction<>(PIPELINE, PatientContext.class, new ContextRecordValidator()),
                        IngestFunction.typeInfo(PatientContext.class))
                .uid("icu-context-ingest")
                .name("ingest context");

        // Event time and watermarks come from the sources (per Kafka partition); ingest keeps each record's time.
        DataStream<Ingested<VitalObservation>> timedVitals = vitals;
        DataStream<Ingested<PatientContext>> timedContexts = contexts;

        SingleOutputStreamOperator<PatientSnapshot> snapshots = timedVitals
                .keyBy(r -> r.value.getPatientId())
                .connect(timedContexts.map(r -> r.value, new AvroTypeInfo<>(PatientContext.class))
                        .keyBy(PatientContext::getPatientId))
                .process(PatientFeatureFunction.fromConfig(config), TypeInformation.of(PatientSnapshot.class))
                .uid("icu-features")
                .name("patient features + NEWS2");

        ModelRef model = modelRef(config);
        boolean learning = config.get(IcuPipelineOptions.LEARNING_ENABLED);
        SingleOutputStreamOperator<ScoredSnapshot> scored = learning
                ? IcuLearningLoop.hotSwapScorer(env, config, snapshots, model)
                : snapshots
                        .transform("score " + model.label(), TypeInformation.of(ScoredSnapshot.class),
                                MicroBatchOperator.factory(new IcuScoringFunction(model), config))
                        .uid("icu-score");


        // The scorer runs forward-connected (same parallelism, chained) right after the keyed feature operator and
        // keeps each record on the subtask of its patient, so the scored stream is still partitioned by patient id
        // (snapshot.patientId is the feature operator's key): the alert stage reuses that partitioning instead of a
        // second keyBy, and chains without serializing every ScoredSnapshot over the network.
        DataStream<DeteriorationAlert> alerts = DataStreamUtils.reinterpretAsKeyedStream(
                        scored, (KeySelector<ScoredSnapshot, String>) s -> s.patientId, Types.STRING)
                .process(DeteriorationAlertFunction.fromConfig(config), new AvroTypeInfo<>(DeteriorationAlert.class))
                .uid("icu-alerts")
                .name("alert policy");

        DataStream<DeadLetter> deadLetters = vitals.getSideOutput(IngestFunction.DEAD_LETTERS)
                .union(contexts.getSideOutput(IngestFunction.DEAD_LETTERS),
                        snapshots.getSideOutput(PatientFeatureFunction.DEAD_LETTERS));
        boolean monitoring = config.get(IcuPipelineOptions.MONITORING_ENABLED);
        if (learning || monitoring) {
            IcuLearningLoop.Labels labels = IcuLearningLoop.labels(env, config, scored);
            deadLetters = deadLetters.union(labels.deadLetters());
            if (learning) {
                IcuLearningLoop.learn(labels.examples(), config, model);
            }
            if (monitoring) {
                IcuMonitoring.attach(config, labels);
            }
        }

        // Each scored snapshot is written as the Avro binary of its Prediction (toPrediction), encoded straight from
        // the snapshot: no Prediction object, no 76 boxed floats and no generic Avro writer per record.
        scored.sinkTo(VigilKafka.exactlyOnceSink(config, "icu-predictions",
                                new PredictionRecordSerializer(config.get(IcuPipelineOptions.PREDICTIONS_TOPIC)))
                        .build())
                .uid("icu-predictions-sink")
                .name("predictions sink");
        alerts.sinkTo(VigilKafka.exactlyOnceSink(config, "icu-alerts",
                                new AvroKafkaRecordSerializer<>(config.get(IcuPipelineOptions.ALERTS_TOPIC),
                                        DeteriorationAlert.class, DeteriorationAlert::getPatientId))
                        .build())
                .uid("icu-alerts-sink")
                .name("alerts sink");
        deadLetters.sinkTo(VigilKafka.exactlyOnceSink(config, "icu-dlq",
                                new AvroKafkaRecordSerializer<>(config.get(IcuPipelineOptions.DLQ_TOPIC),
                                        DeadLetter.class, DeadLetter::getStage))
                        .build())
                .uid("icu-dlq-sink")
                .name("dead-letter sink");
    }

    /** Event times dated further ahead of the clock than this cannot move watermarks (the validator rejects them). */
    static final long MAX_FUTURE_MILLIS = Duration.ofMinutes(5).toMillis();

    /**
     * Per-partition watermarks inside the source: event time from the payload ({@link AvroEventTime}), bounded
     * out-of-orderness, idle partitions excluded after {@link IcuPipelineOptions#IDLE_TIMEOUT}.
     */
    static WatermarkStrategy<RawRecord> eventTime(ReadableConfig config, AvroEventTime<?> assigner) {
        return WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                        config.get(IcuPipelineOptions.MAX_OUT_OF_ORDERNESS))
                .withTimestampAssigner(assigner)
                .withIdleness(config.get(IcuPipelineOptions.IDLE_TIMEOUT));
    }

    static KafkaSource<RawRecord> source(ReadableConfig config, String name, String topic) {
        KafkaSourceBuilder<RawRecord> builder = VigilKafka.source(config, name, topic);
        if (config.get(IcuPipelineOptions.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** The model to serve: {@link IcuPipelineOptions#MODEL_URI} with its expected sha-256. */
    static ModelRef modelRef(ReadableConfig config) throws IOException {
        String uri = config.get(IcuPipelineOptions.MODEL_URI);
        String sha = config.getOptional(IcuPipelineOptions.MODEL_SHA256).orElse(null);
        if (sha == null) {
            // The bundled model ships with a sidecar holding its digest; any other uri must state it explicitly.
            sha = new String(ModelBytes.read(uri + ".sha256", IcuJob.class.getClassLoader()),
                    StandardCharsets.UTF_8).trim();
        }
        String version = config.getOptional(IcuPipelineOptions.MODEL_VERSION).orElse(null);
        if (version == null) {
            version = declaredVersion(ModelBytes.read(uri, IcuJob.class.getClassLoader()))
                    .orElse(sha.substring(0, 12));
        }
        return new ModelRef(IcuModelTraining.MODEL_NAME, version, uri, sha);
    }

    /** The {@code vigil.model.version} an ONNX file declares in its metadata (read as protobuf, no native code). */
    static java.util.Optional<String> declaredVersion(byte[] onnx) throws IOException {
        for (ai.onnx.proto.OnnxMl.StringStringEntryProto e :
                ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList()) {
            if (e.getKey().equals(dev.vigil.models.onnx.MetadataKeys.MODEL_VERSION)) {
                return java.util.Optional.of(e.getValue());
            }
        }
        return java.util.Optional.empty();
    }

    static Prediction toPrediction(ScoredSnapshot s) {
        return toPrediction(s, System.currentTimeMillis());
    }

    /** The prediction of a scored snapshot, scored at {@code scoredAtMillis}. */
    static Prediction toPrediction(ScoredSnapshot s, long scoredAtMillis) {
        List<Float> features = new ArrayList<>(s.features.length);
        for (float f : s.features) {
            features.add(f);
        }
        Map<String, String> group = new HashMap<>();
        group.put("sexAtBirth", s.sex);
        group.put("ageBand", ageBand(s.ageYears));
        group.put("ward", s.ward);
        return Prediction.newBuilder()
                .setPipeline(PIPELINE)
                .setEntityId(s.patientId)
                .setEventTime(Instant.ofEpochMilli(s.eventTime))
                .setIngestTime(Instant.ofEpochMilli(s.ingestTime))
                .setScoredAt(Instant.ofEpochMilli(scoredAtMillis))
                .setModelName(s.modelName)
                .setModelVersion(s.modelVersion)
                .setScore(s.riskScore)
                .setBaselineScore((double) s.news2Total)
                .setFeatures(features)
                .setGroup(group)
                .build();
    }

    /**
     * Writes scored snapshots to the predictions topic exactly as {@link AvroKafkaRecordSerializer} writes {@link
     * #toPrediction(ScoredSnapshot) toPrediction(snapshot)}: value = the Avro binary of the {@link Prediction}, key =
     * the patient id (the prediction's entity id), record timestamp = the element's timestamp. The bytes are encoded
     * field by field from the snapshot with the same {@link BinaryEncoder} calls, in the same order, as Avro's
     * generic writer makes for a Prediction (the {@code group} map in a {@link HashMap}'s iteration order), so they
     * are identical, without building a Prediction, boxing the feature vector or walking the schema per record.
     * The constructor refuses a Prediction schema this encoder does not match.
     */
    static final class PredictionRecordSerializer
            implements KafkaRecordSerializationSchema<ScoredSnapshot>, KafkaDatasetFacetProvider,
                    TypeDatasetFacetProvider {

        private static final long serialVersionUID = 1L;

        /** Prediction's fields and their types, in schema order: what {@link #encode} writes. */
        private static final List<String> LAYOUT = List.of(
                "pipeline:STRING", "entityId:STRING", "eventTime:LONG:timestamp-millis",
                "ingestTime:LONG:timestamp-millis", "scoredAt:LONG:timestamp-millis", "modelName:STRING",
                "modelVersion:STRING", "score:UNION[NULL,DOUBLE]", "baselineScore:UNION[NULL,DOUBLE]",
                "features:ARRAY[FLOAT]", "group:MAP[STRING]");

        private static final String SEX = "sexAtBirth";
        private static final String AGE_BAND = "ageBand";
        private static final String WARD = "ward";

        /** The order a {@link HashMap} filled like toPrediction's {@code group} iterates its keys in. */
        private static final String[] GROUP_ORDER = groupOrder();

        private final String topic;

        private transient ByteArrayOutputStream out;
        private transient BinaryEncoder encoder;

        PredictionRecordSerializer(String topic) {
            if (topic == null || topic.isEmpty()) {
                throw new IllegalArgumentException("topic must be set");
            }
            List<String> layout = layout(Prediction.getClassSchema());
            if (!layout.equals(LAYOUT)) {
                throw new IllegalStateException("Prediction schema changed, update IcuJob.PredictionRecordSerializer: "
                        + layout);
            }
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(ScoredSnapshot s, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic,
                    null,
                    timestamp == null || timestamp < 0 ? null : timestamp,
                    s.patientId == null ? null : s.patientId.getBytes(StandardCharsets.UTF_8),
                    encode(s, System.currentTimeMillis()));
        }

        /** The Avro binary of {@code toPrediction(s, scoredAtMillis)}. */
        byte[] encode(ScoredSnapshot s, long scoredAtMillis) {
            if (out == null) {
                out = new ByteArrayOutputStream(512);
            }
            out.reset();
            try {
                encoder = EncoderFactory.get().binaryEncoder(out, encoder);
                BinaryEncoder e = encoder;
                e.writeString(PIPELINE);
                e.writeString(s.patientId);
                e.writeLong(s.eventTime);
                e.writeLong(s.ingestTime);
                e.writeLong(scoredAtMillis);
                e.writeString(s.modelName);
                e.writeString(s.modelVersion);
                if (s.riskScore == null) {
                    e.writeIndex(0);
                } else {
                    e.writeIndex(1);
                    e.writeDouble(s.riskScore);
                }
                e.writeIndex(1);
                e.writeDouble(s.news2Total);
                float[] features = s.features;
                e.writeArrayStart();
                e.setItemCount(features.length);
                for (float f : features) {
                    e.startItem();
                    e.writeFloat(f);
                }
                e.writeArrayEnd();
                e.writeMapStart();
                e.setItemCount(GROUP_ORDER.length);
                for (String key : GROUP_ORDER) {
                    e.startItem();
                    e.writeString(key);
                    e.writeString(groupValue(s, key));
                }
                e.writeMapEnd();
                e.flush();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot encode " + Prediction.getClassSchema().getFullName()
                        + ": " + e.getMessage(), e);
            }
            return out.toByteArray();
        }

        private static String groupValue(ScoredSnapshot s, String key) {
            switch (key) {
                case SEX:
                    return s.sex;
                case AGE_BAND:
                    return ageBand(s.ageYears);
                default:
                    return s.ward;
            }
        }

        private static String[] groupOrder() {
            Map<String, String> group = new HashMap<>();
            group.put(SEX, SEX);
            group.put(AGE_BAND, AGE_BAND);
            group.put(WARD, WARD);
            return group.keySet().toArray(new String[0]);
        }

        private static List<String> layout(Schema schema) {
            List<String> fields = new ArrayList<>();
            for (Schema.Field f : schema.getFields()) {
                fields.add(f.name() + ":" + describe(f.schema()));
            }
            return fields;
        }

        private static String describe(Schema t) {
            switch (t.getType()) {
                case UNION: {
                    List<String> branches = new ArrayList<>();
                    for (Schema b : t.getTypes()) {
                        branches.add(describe(b));
                    }
                    return "UNION" + branches.toString().replace(" ", "");
                }
                case ARRAY:
                    return "ARRAY[" + describe(t.getElementType()) + "]";
                case MAP:
                    return "MAP[" + describe(t.getValueType()) + "]";
                default:
                    return t.getType() + (t.getLogicalType() == null ? "" : ":" + t.getLogicalType().getName());
            }
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
        }

        @Override
        public Optional<TypeDatasetFacet> getTypeDatasetFacet() {
            return Optional.of(new DefaultTypeDatasetFacet(TypeInformation.of(Prediction.class)));
        }
    }

    /** Age bands used for fairness groups. */
    public static String ageBand(int age) {
        if (age < 0) {
            return "unknown";
        }
        return age < 40 ? "18-39" : age < 65 ? "40-64" : age < 80 ? "65-79" : "80+";
    }

    /** {@link VitalValidator} as the ingest stage's validator; 5 min of clock skew allowed. */
    static final class VitalRecordValidator implements dev.vigil.operators.ingest.RecordValidator<VitalObservation> {
        private static final long serialVersionUID = 1L;
        private transient VitalValidator validator;

        @Override
        public Validated<VitalObservation> validate(VitalObservation record, long nowMillis) {
            if (validator == null) {
                validator = new VitalValidator(Duration.ofMinutes(5));
            }
            return validator.validate(record, nowMillis);
        }
    }

    /** Patient context: identifiers present, plausible age, times set. */
    static final class ContextRecordValidator implements dev.vigil.operators.ingest.RecordValidator<PatientContext> {
        private static final long serialVersionUID = 1L;

        @Override
        public Validated<PatientContext> validate(PatientContext c, long nowMillis) {
            if (c.getPatientId() == null || c.getPatientId().isBlank() || c.getEncounterId() == null) {
                return Validated.rejected("MISSING_FIELD", "patientId or encounterId is missing");
            }
            if (c.getAdmittedAt() == null || c.getUpdatedAt() == null) {
                return Validated.rejected("MISSING_FIELD", "admittedAt or updatedAt is missing");
            }
            if (c.getAgeYears() < 0 || c.getAgeYears() > 130) {
                return Validated.rejected("OUT_OF_RANGE", "ageYears outside 0-130");
            }
            return Validated.accepted(c);
        }
    }

    /** A configuration with sensible job defaults under the caller's settings (used by the CLI and tests). */
    public static Configuration defaults(Configuration overrides) {
        Configuration c = new Configuration();
        c.addAll(overrides);
        return c;
    }
}
