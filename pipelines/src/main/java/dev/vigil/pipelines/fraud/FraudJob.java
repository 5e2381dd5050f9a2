package dev.vigil.pipelines.fraud;

import dev.vigil.models.onnx.MetadataKeys;
import dev.vigil.operators.fraud.FraudFeatureFunction;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.FraudSnapshot;
import dev.vigil.operators.fraud.TransactionEvent;
import dev.vigil.operators.fraud.decision.DecidedTransaction;
import dev.vigil.operators.inference.HotSwapScoringOperator;
import dev.vigil.operators.inference.MicroBatchOperator;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.ingest.IngestFunction;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.RawRecord;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.operators.validation.Validated;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.fraud.FraudDecision;
import dev.vigil.schema.fraud.Transaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fraud scoring job:
 *
 * <pre>
 *  vigil.fraud.transactions ─> ingest (decode + validate) ─> per-account features (exact windows, event time)
 *          │                          │                                 │
 *          │                          │      (learning) vigil.models.control ─┐ │
 *          │                          │                                      ▼ ▼
 *          │                          │        score: classifier + autoencoder, one micro-batch
 *          │                          │                 └─> decision policy ─> vigil.fraud.decisions
 *          └─ dead letters ───────────┴─ dead letters ──────────────────────────> vigil.dlq
 * </pre>
 *
 * with, when learning or monitoring is on ({@link FraudLearningLoop}, {@link FraudMonitoring}): decisions + account
 * groups ─> label join (chargebacks, investigator verdicts, label maturity) ─> online learner ─> control topic ─>
 * the scorer; and the drift and fairness monitors on the decisions and the labelled examples. With learning on the
 * scorer is a {@code HotSwapScoringOperator} ({@link FraudHotSwapScoring}, uid {@code fraud-score-hot-swap}); without,
 * a {@code MicroBatchOperator} serving the configured classifier ({@link FraudScoringFunction}, uid {@code
 * fraud-score}), which keeps no union state, so a bounded replay commits its last decisions.
 *
 * <p>Every transaction that passes ingest leaves as exactly one {@link FraudDecision} (features late beyond the
 * allowed lateness excepted: they are dead-lettered), whatever the models do: a model that is missing, fails to load
 * or fails a call leaves its score null and its version {@code none} and the policy falls back
 * ({@link FraudHotSwapScoring}). Sources read raw bytes so malformed records become dead letters; event time is the
 * payload's, watermarked per partition with bounded out-of-orderness and idleness. All sinks are exactly-once Kafka
 * transactions committed on checkpoints; uids ({@code fraud-*}) are stable so savepoints survive upgrades.
 *
 * <pre>{@code
 * Configuration config = ...;   // FraudPipelineOptions, FraudDecisionOptions, FraudFeatureOptions, KafkaOptions, ...
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
 * FraudJob.build(env, config);
 * env.execute("vigil-fraud");
 * }</pre>
 */
public final class FraudJob {

    private static final Logger LOG = LoggerFactory.getLogger(FraudJob.class);

    /** Pipeline name on dead letters, predictions and examples. */
    public static final String PIPELINE = "fraud";

    /** Name of the supervised model when its file declares none. */
    public static final String CLASSIFIER_NAME = "fraud-classifier";

    /** Name of the autoencoder when its file declares none. */
    public static final String ANOMALY_MODEL_NAME = "fraud-autoencoder";

    private FraudJob() {}

    /** Adds the job's topology to {@code env}, configured by {@code config}. */
    public static void build(StreamExecutionEnvironment env, ReadableConfig config) throws IOException {
        // No operator keeps or mutates an input after passing it on (the scorer copies what it buffers), so chained
        // operators hand records over without a serializer copy per record and edge.
        env.getConfig().enableObjectReuse();

        SingleOutputStreamOperator<Ingested<Transaction>> transactions = env.fromSource(
                        source(config, "fraud-transactions", config.get(FraudPipelineOptions.TRANSACTIONS_TOPIC)),
                        eventTime(config, new ValidatedEventTime<>(Transaction.class,
                                new FraudRecordValidators.TransactionValidator(), Transaction::getEventTime)),
                        "transactions")
                .uid("fraud-transactions-source")
                .process(new IngestFunction<>(PIPELINE, Transaction.class,
                                new FraudRecordValidators.TransactionValidator()),
                        IngestFunction.typeInfo(Transaction.class))
                .uid("fraud-transactions-ingest")
                .name("ingest transactions");

        SingleOutputStreamOperator<FraudSnapshot> snapshots = transactions
                .map(FraudJob::toEvent, TypeInformation.of(TransactionEvent.class))
                .uid("fraud-transaction-events")
                .name("transaction events")
                .keyBy(FraudFeatureFunction::key)
                .process(FraudFeatureFunction.fromConfig(config), TypeInformation.of(FraudSnapshot.class))
                .uid("fraud-features")
                .name("account features");

        ModelRef classifier = classifierRef(config);
        ModelRef anomaly = anomalyRef(config).orElse(null);
        boolean learning = config.get(FraudPipelineOptions.LEARNING_ENABLED);
        // Both run forward-connected after the keyed feature stage, so each decision stays on its account's subtask.
        SingleOutputStreamOperator<DecidedTransaction> decided = learning
                ? hotSwapScorer(env, config, snapshots, classifier, anomaly)
                : snapshots
                        .transform("score " + classifier.label() + " + " + label(anomaly),
                                TypeInformation.of(DecidedTransaction.class),
                                MicroBatchOperator.factory(new FraudScoringFunction(classifier, anomaly), config))
                        .uid("fraud-score");

        decided.map(DecidedTransaction::decision, new AvroTypeInfo<>(FraudDecision.class))
                .uid("fraud-decisions")
                .name("decisions")
                .sinkTo(VigilKafka.exactlyOnceSink(config, "fraud-decisions",
                                new AvroKafkaRecordSerializer<>(config.get(FraudPipelineOptions.DECISIONS_TOPIC),
                                        FraudDecision.class, FraudDecision::getAccountId))
                        .build())
                .uid("fraud-decisions-sink")
                .name("decisions sink");

        DataStream<DeadLetter> deadLetters = transactions.getSideOutput(IngestFunction.DEAD_LETTERS)
                .union(snapshots.getSideOutput(FraudFeatureFunction.REJECTED)
                        .map(r -> FraudFeatureFunction.deadLetter(r, null), new AvroTypeInfo<>(DeadLetter.class))
                        .uid("fraud-features-dead-letters")
                        .name("feature rejections"));

        boolean monitoring = config.get(FraudPipelineOptions.MONITORING_ENABLED);
        if (learning || monitoring) {
            FraudLearningLoop.Labels labels = FraudLearningLoop.labels(env, config, decided, transactions);
            deadLetters = deadLetters.union(labels.deadLetters());
            if (learning) {
                FraudLearningLoop.learn(labels.examples(), config, classifier);
            }
            if (monitoring) {
                FraudMonitoring.attach(config, labels);
            }
        }

        deadLetters.sinkTo(VigilKafka.exactlyOnceSink(config, "fraud-dlq",
                                new AvroKafkaRecordSerializer<>(config.get(FraudPipelineOptions.DLQ_TOPIC),
                                        DeadLetter.class, DeadLetter::getStage))
                        .build())
                .uid("fraud-dlq-sink")
                .name("dead-letter sink");
    }

    /**
     * The scorer of the learning loop: serves {@code classifier} until the control topic announces newer versions of
     * it, and scores every batch with {@code anomaly} (if any) too.
     */
    static SingleOutputStreamOperator<DecidedTransaction> hotSwapScorer(
            StreamExecutionEnvironment env,
            ReadableConfig config,
            DataStream<FraudSnapshot> snapshots,
            ModelRef classifier,
            ModelRef anomaly) {
        KafkaSourceBuilder<RawRecord> control =
                VigilKafka.source(config, "fraud-model-control", config.get(FraudPipelineOptions.CONTROL_TOPIC));
        if (config.get(FraudPipelineOptions.BOUNDED)) {
            control.setBounded(OffsetsInitializer.latest());
        }
        DataStream<ModelUpdate> updates = env.fromSource(control.build(), WatermarkStrategy.noWatermarks(),
                        "model control")
                .uid("fraud-control-source")
                .setParallelism(1)
                .process(new IngestFunction<>(PIPELINE, ModelUpdate.class, (u, now) -> Validated.accepted(u)),
                        IngestFunction.typeInfo(ModelUpdate.class))
                .uid("fraud-control-ingest")
                .setParallelism(1)
                .map(r -> r.value, new AvroTypeInfo<>(ModelUpdate.class))
                .uid("fraud-control-values")
                .setParallelism(1);
        return snapshots
                .connect(updates.broadcast())
                .transform("score (hot-swap) " + classifier.name() + " + " + label(anomaly),
                        TypeInformation.of(DecidedTransaction.class),
                        HotSwapScoringOperator.<FraudSnapshot, DecidedTransaction>builder()
                                .modelName(classifier.name())
                                .featureNames(FraudFeatures.NAMES)
                                .function(new FraudHotSwapScoring(classifier.name(), anomaly, ANOMALY_MODEL_NAME))
                                .bootstrapModel(classifier)
                                .options(config)
                                .build())
                .uid("fraud-score-hot-swap");
    }

    private static String label(ModelRef model) {
        return model == null ? "no anomaly model" : model.label();
    }

    /** The transaction as the feature stage reads it: amount in major units, Kafka timestamp as ingest time. */
    static TransactionEvent toEvent(Ingested<Transaction> in) {
        Transaction t = in.value;
        int mcc;
        try {
            mcc = Integer.parseInt(t.getMcc());
        } catch (NumberFormatException e) {
            mcc = -1;
        }
        return new TransactionEvent(
                t.getTransactionId(),
                t.getAccountId(),
                t.getCardId(),
                t.getEventTime().toEpochMilli(),
                t.getAmountMinor() / 100.0,
                t.getCurrency(),
                t.getMerchantId(),
                mcc,
                t.getMerchantCountry(),
                t.getChannel() == null ? "UNKNOWN" : t.getChannel().name(),
                t.getDeviceId(),
                t.getHomeCountry(),
                in.ingestTime);
    }

    /**
     * Per-partition watermarks inside the source: payload event time of the records ingest accepts ({@link
     * ValidatedEventTime}), bounded out-of-orderness, idleness.
     */
    static WatermarkStrategy<RawRecord> eventTime(ReadableConfig config, ValidatedEventTime<?> assigner) {
        return WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                        config.get(FraudPipelineOptions.MAX_OUT_OF_ORDERNESS))
                .withTimestampAssigner(assigner)
                .withIdleness(config.get(FraudPipelineOptions.IDLE_TIMEOUT));
    }

    static KafkaSource<RawRecord> source(ReadableConfig config, String name, String topic) {
        KafkaSourceBuilder<RawRecord> builder = VigilKafka.source(config, name, topic);
        if (config.get(FraudPipelineOptions.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** The classifier: {@link FraudPipelineOptions#MODEL_URI} with its sha-256; fails if it cannot be read. */
    static ModelRef classifierRef(ReadableConfig config) throws IOException {
        return modelRef(config.get(FraudPipelineOptions.MODEL_URI),
                config.getOptional(FraudPipelineOptions.MODEL_SHA256),
                config.getOptional(FraudPipelineOptions.MODEL_VERSION), CLASSIFIER_NAME);
    }

    /**
     * The autoencoder, if enabled and readable. It is optional: one that cannot be read here is logged and left out,
     * and every decision then says so ({@code anomalyModelVersion = none}).
     */
    static Optional<ModelRef> anomalyRef(ReadableConfig config) {
        if (!config.get(FraudPipelineOptions.ANOMALY_MODEL_ENABLED)) {
            return Optional.empty();
        }
        String uri = config.get(FraudPipelineOptions.ANOMALY_MODEL_URI);
        try {
            return Optional.of(modelRef(uri, config.getOptional(FraudPipelineOptions.ANOMALY_MODEL_SHA256),
                    config.getOptional(FraudPipelineOptions.ANOMALY_MODEL_VERSION), ANOMALY_MODEL_NAME));
        } catch (IOException | RuntimeException e) {
            LOG.error("Anomaly model {} unavailable, decisions go without anomaly scores: {}", uri, e.toString());
            return Optional.empty();
        }
    }

    /**
     * A model reference: name and version from the file's metadata (unless configured), sha-256 as configured or
     * from the sidecar {@code <uri>.sha256}.
     */
    static ModelRef modelRef(String uri, Optional<String> sha256, Optional<String> version, String defaultName)
            throws IOException {
        ClassLoader loader = FraudJob.class.getClassLoader();
        String sha = sha256.isPresent()
                ? sha256.get()
                : new String(ModelBytes.read(uri + ".sha256", loader), StandardCharsets.UTF_8).trim().split("\\s+")[0];
        Map<String, String> metadata = metadata(ModelBytes.read(uri, loader));
        String name = metadata.getOrDefault(MetadataKeys.MODEL_NAME, defaultName);
        String v = version.orElseGet(() -> metadata.getOrDefault(MetadataKeys.MODEL_VERSION, sha.substring(0, 12)));
        return new ModelRef(name, v, uri, sha);
    }

    /** The {@code metadata_props} of an ONNX file (read as protobuf, no native code). */
    static Map<String, String> metadata(byte[] onnx) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (ai.onnx.proto.OnnxMl.StringStringEntryProto e :
                ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
