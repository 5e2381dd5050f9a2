package dev.vigil.pipelines.icu;

import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.PatientSnapshot;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.operators.inference.HotSwapScoringOperator;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.ingest.AvroEventTime;
import dev.vigil.operators.ingest.IngestFunction;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.operators.label.LabelJoin;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.learn.OnlineLearnerOperator;
import dev.vigil.operators.learn.RegistryFactory;
import java.io.IOException;
import dev.vigil.operators.validation.Validated;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.icu.ClinicalOutcome;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ICU job's learning loop ({@link IcuPipelineOptions#LEARNING_ENABLED}):
 *
 * <pre>
 *  scored snapshots ─> predictions ─┐
 *  vigil.icu.outcomes ─> ingest ────┴─> label join (horizon, event time) ─> online learner (parallelism 1)
 *                                                                                │ registry (ONNX + sha-256)
 *  scorer (hot-swap) <── broadcast <── vigil.models.control <────────────────────┘ ModelUpdate (exactly-once)
 * </pre>
 *
 * New versions travel through Kafka, so they reach the scorer only once the checkpoint that published them has
 * committed: a restore can never leave the scorer on a version the learner's state does not know.
 */
final class IcuLearningLoop {

    private IcuLearningLoop() {}

    /** The scorer: serves {@code bootstrap} until the control topic announces newer versions of the model. */
    static SingleOutputStreamOperator<ScoredSnapshot> hotSwapScorer(
            StreamExecutionEnvironment env,
            ReadableConfig config,
            DataStream<PatientSnapshot> snapshots,
            ModelRef bootstrap) {
        DataStream<ModelUpdate> updates = env.fromSource(
                        VigilKafka.source(config, "icu-model-control", config.get(IcuPipelineOptions.CONTROL_TOPIC))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "model control")
                .uid("icu-control-source")
                .setParallelism(1)
                .process(new IngestFunction<>(IcuJob.PIPELINE, ModelUpdate.class,
                                (u, now) -> Validated.accepted(u)),
                        IngestFunction.typeInfo(ModelUpdate.class))
                .uid("icu-control-ingest")
                .setParallelism(1)
                .map(r -> r.value, new AvroTypeInfo<>(ModelUpdate.class))
                .uid("icu-control-values")
                .setParallelism(1);
        return snapshots
                .connect(updates.broadcast())
                .transform("score (hot-swap) " + bootstrap.name(), TypeInformation.of(ScoredSnapshot.class),
                        HotSwapScoringOperator.<PatientSnapshot, ScoredSnapshot>builder()
                                .modelName(bootstrap.name())
                                .featureNames(IcuFeatures.NAMES)
                                .function(new IcuHotSwapScoring(bootstrap.name()))
                                .bootstrapModel(bootstrap)
                                .options(config)
                                .build())
                .uid("icu-score-hot-swap");
    }

    /** The label join's output: labelled examples and the dead letters of the outcome ingest and of the join. */
    record Labels(DataStream<LabeledExample> examples, DataStream<Prediction> predictions,
            DataStream<DeadLetter> deadLetters) {}

    /**
     * Joins predictions with the delayed outcomes (event-time horizon): the labelled examples both the learner and
     * the monitors consume.
     */
    static Labels labels(StreamExecutionEnvironment env, ReadableConfig config, DataStream<ScoredSnapshot> scored) {
        SingleOutputStreamOperator<Ingested<ClinicalOutcome>> outcomes = env.fromSource(
                        IcuJob.source(config, "icu-outcomes", config.get(IcuPipelineOptions.OUTCOMES_TOPIC)),
                        IcuJob.eventTime(config, new AvroEventTime<>(ClinicalOutcome.class,
                                ClinicalOutcome::getOccurredAt, IcuJob.MAX_FUTURE_MILLIS)),
                        "outcomes")
                .uid("icu-outcomes-source")
                .process(new IngestFunction<>(IcuJob.PIPELINE, ClinicalOutcome.class, IcuLearningLoop::validOutcome),
                        IngestFunction.typeInfo(ClinicalOutcome.class))
                .uid("icu-outcomes-ingest")
                .name("ingest outcomes");
        DataStream<ClinicalOutcome> timedOutcomes = outcomes
                .map(r -> r.value, new AvroTypeInfo<>(ClinicalOutcome.class))
                .uid("icu-outcomes-values");

        DataStream<Prediction> predictions = scored
                .filter(s -> s.riskScore != null)
                .uid("icu-labels-scored-only")
                .map(s -> IcuJob.toPrediction(s, System.currentTimeMillis()), new AvroTypeInfo<>(Prediction.class))
                .uid("icu-labels-predictions");

        SingleOutputStreamOperator<LabeledExample> labeled = predictions
                .connect(timedOutcomes)
                .keyBy(Prediction::getEntityId, ClinicalOutcome::getPatientId)
                .process(LabelJoin.icuOutcomes(config), LabelJoin.outputType())
                .uid("icu-label-join")
                .name("label join");
        return new Labels(labeled, predictions, outcomes.getSideOutput(IngestFunction.DEAD_LETTERS)
                .union(labeled.getSideOutput(LabelJoin.DEAD_LETTERS)));
    }

    /** Learns from the labelled examples and publishes versions to the control topic. */
    static void learn(DataStream<LabeledExample> labeled, ReadableConfig config, ModelRef bootstrap)
            throws IOException {
        byte[] bootstrapOnnx = ModelBytes.read(bootstrap.uri(), IcuLearningLoop.class.getClassLoader());
        RegistryFactory registry = RegistryFactory.fromConfig(config);
        registry.seedIfEmpty(bootstrap.name(), bootstrapOnnx);
        SingleOutputStreamOperator<ModelUpdate> versions = OnlineLearnerOperator.learn(labeled,
                OnlineLearnerOperator.builder()
                        .options(config)
                        .registry(registry)
                        .bootstrap(bootstrapOnnx)
                        .build());
        versions.sinkTo(VigilKafka.exactlyOnceSink(config, "icu-model-control",
                                new AvroKafkaRecordSerializer<>(config.get(IcuPipelineOptions.CONTROL_TOPIC),
                                        ModelUpdate.class, ModelUpdate::getName))
                        .build())
                .uid("icu-control-sink")
                .name("model control sink")
                .setParallelism(1);
    }


    private static Validated<ClinicalOutcome> validOutcome(ClinicalOutcome o, long nowMillis) {
        if (o.getPatientId() == null || o.getPatientId().isBlank() || o.getOccurredAt() == null) {
            return Validated.rejected("MISSING_FIELD", "patientId or occurredAt is missing");
        }
        return Validated.accepted(o);
    }
}
