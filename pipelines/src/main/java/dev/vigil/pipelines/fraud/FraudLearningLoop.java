package dev.vigil.pipelines.fraud;

import dev.vigil.operators.fraud.FraudFeatureOptions;
import dev.vigil.operators.fraud.decision.DecidedTransaction;
import dev.vigil.operators.fraud.label.FraudLabel;
import dev.vigil.operators.fraud.label.FraudLabelJoinFunction;
import dev.vigil.operators.fraud.label.FraudPrediction;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.ingest.IngestFunction;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.operators.label.LabelJoin;
import dev.vigil.operators.learn.OnlineLearnerOperator;
import dev.vigil.operators.learn.RegistryFactory;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.Transaction;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The fraud job's labels and learning loop ({@link FraudPipelineOptions#LEARNING_ENABLED}; the labels also feed the
 * monitors):
 *
 * <pre>
 *  decisions ─> + account group (age band, region) ─> predictions ─┐
 *  vigil.fraud.chargebacks ─> ingest ─┐                             │
 *  vigil.fraud.feedback ────> ingest ─┴─> labels ───────────────────┴─> label join (by transaction id, maturity)
 *                                                                            │ labelled examples
 *  scorer (hot-swap) <── vigil.models.control <── ModelUpdate <── online learner (parallelism 1, registry)
 * </pre>
 *
 * What is learned: the classifier (logistic, warm-started from the bootstrap), on FRAUD chargebacks and verdicts
 * (positives), LEGIT verdicts and matured undeclined transactions (negatives); the autoencoder stays as deployed.
 * New versions travel through Kafka, so they reach the scorer only once the checkpoint that published them has
 * committed.
 */
final class FraudLearningLoop {

    private FraudLearningLoop() {}

    /**
     * The label join's output: labelled examples, the predictions they are built from (for the monitors), and the
     * dead letters of the label ingest and of the join.
     */
    record Labels(DataStream<LabeledExample> examples, DataStream<Prediction> predictions,
            DataStream<DeadLetter> deadLetters) {}

    /** Joins the decisions with their chargebacks, verdicts and maturity. */
    static Labels labels(StreamExecutionEnvironment env, ReadableConfig config, DataStream<DecidedTransaction> decided,
            DataStream<Ingested<Transaction>> transactions) {
        // The scorer is forward-connected to the keyed feature stage: its output is still partitioned by account.
        SingleOutputStreamOperator<FraudPrediction> predictions = DataStreamUtils.reinterpretAsKeyedStream(
                        decided, (KeySelector<DecidedTransaction, String>) d -> d.decision().getAccountId(),
                        Types.STRING)
                .connect(transactions
                        .map(t -> new FraudGroupJoin.AccountGroup(t.value.getAccountId(), t.value.getAgeBand(),
                                        t.value.getRegion()),
                                TypeInformation.of(FraudGroupJoin.AccountGroup.class))
                        .uid("fraud-account-groups")
                        .name("account groups")
                        .keyBy(FraudGroupJoin.AccountGroup::accountId))
                .process(new FraudGroupJoin(FraudFeatureOptions.settings(config).stateTtl()),
                        TypeInformation.of(FraudPrediction.class))
                .uid("fraud-predictions")
                .name("predictions + account group");

        SingleOutputStreamOperator<Ingested<Chargeback>> chargebacks = env.fromSource(
                        FraudJob.source(config, "fraud-chargebacks", config.get(FraudPipelineOptions.CHARGEBACKS_TOPIC)),
                        FraudJob.eventTime(config, new ValidatedEventTime<>(Chargeback.class,
                                new FraudRecordValidators.ChargebackValidator(), Chargeback::getReportedAt)),
                        "chargebacks")
                .uid("fraud-chargebacks-source")
                .process(new IngestFunction<>(FraudJob.PIPELINE, Chargeback.class,
                                new FraudRecordValidators.ChargebackValidator()),
                        IngestFunction.typeInfo(Chargeback.class))
                .uid("fraud-chargebacks-ingest")
                .name("ingest chargebacks");
        SingleOutputStreamOperator<Ingested<InvestigatorFeedback>> feedback = env.fromSource(
                        FraudJob.source(config, "fraud-feedback", config.get(FraudPipelineOptions.FEEDBACK_TOPIC)),
                        FraudJob.eventTime(config, new ValidatedEventTime<>(InvestigatorFeedback.class,
                                new FraudRecordValidators.FeedbackValidator(), InvestigatorFeedback::getReviewedAt)),
                        "feedback")
                .uid("fraud-feedback-source")
                .process(new IngestFunction<>(FraudJob.PIPELINE, InvestigatorFeedback.class,
                                new FraudRecordValidators.FeedbackValidator()),
                        IngestFunction.typeInfo(InvestigatorFeedback.class))
                .uid("fraud-feedback-ingest")
                .name("ingest feedback");
        DataStream<FraudLabel> labels = chargebacks
                .map(c -> FraudLabel.of(c.value), TypeInformation.of(FraudLabel.class))
                .uid("fraud-chargeback-labels")
                .name("chargeback labels")
                .union(feedback
                        .map(f -> FraudLabel.of(f.value), TypeInformation.of(FraudLabel.class))
                        .uid("fraud-feedback-labels")
                        .name("feedback labels"));

        SingleOutputStreamOperator<LabeledExample> examples = predictions
                .connect(labels)
                .keyBy(FraudPrediction::transactionId, FraudLabel::transactionId)
                .process(FraudLabelJoinFunction.fromConfig(config), LabelJoin.outputType())
                .uid("fraud-label-join")
                .name("label join");
        DataStream<Prediction> scored = predictions
                .map(FraudPrediction::prediction, new AvroTypeInfo<>(Prediction.class))
                .uid("fraud-prediction-values")
                .name("predictions");
        return new Labels(examples, scored, chargebacks.getSideOutput(IngestFunction.DEAD_LETTERS)
                .union(feedback.getSideOutput(IngestFunction.DEAD_LETTERS),
                        examples.getSideOutput(LabelJoin.DEAD_LETTERS)));
    }

    /**
     * Learns the classifier from the labelled examples and publishes versions to the control topic; the registry is
     * seeded with the bootstrap, so 1 is the bootstrap and 2 the first learned version.
     */
    static void learn(DataStream<LabeledExample> examples, ReadableConfig config, ModelRef bootstrap)
            throws IOException {
        byte[] bootstrapOnnx = ModelBytes.read(bootstrap.uri(), FraudLearningLoop.class.getClassLoader());
        RegistryFactory registry = RegistryFactory.fromConfig(config);
        registry.seedIfEmpty(bootstrap.name(), bootstrapOnnx);
        SingleOutputStreamOperator<ModelUpdate> versions = OnlineLearnerOperator.learn(examples,
                OnlineLearnerOperator.builder()
                        .options(config)
                        .registry(registry)
                        .bootstrap(bootstrapOnnx)
                        .build());
        versions.sinkTo(VigilKafka.exactlyOnceSink(config, "fraud-model-control",
                                new AvroKafkaRecordSerializer<>(config.get(FraudPipelineOptions.CONTROL_TOPIC),
                                        ModelUpdate.class, ModelUpdate::getName))
                        .build())
                .uid("fraud-control-sink")
                .name("model control sink")
                .setParallelism(1);
    }
}
