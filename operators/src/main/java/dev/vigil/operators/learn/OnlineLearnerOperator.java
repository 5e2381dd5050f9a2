package dev.vigil.operators.learn;

import dev.vigil.models.onnx.OnnxImport;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.operators.registry.ModelUpdates;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online learner: trains one global model on the joined {@link LabeledExample}s of the label join and publishes a
 * new version every {@code N} updates or {@code T} of processing time, announcing each as a {@link ModelUpdate} for
 * the control topic {@code vigil.models.control}.
 *
 * <pre>{@code
 * OnlineLearnerOperator learner = OnlineLearnerOperator.builder()
 *         .options(config)                                  // vigil.learner.*, vigil.registry.root
 *         .bootstrap(bundledOnnx)                           // optional warm start
 *         .build();
 * DataStream<ModelUpdate> updates = OnlineLearnerOperator.learn(labeledExamples, learner);
 * updates.sinkTo(controlTopicSink);                         // vigil.models.control, keyed by model name
 * }</pre>
 *
 * <p><b>Parallelism 1.</b> There is one model, so there is one learner: {@link #learn} sets parallelism and max
 * parallelism to 1, and the operator refuses to run with more (its state would be split into independent learners).
 * It is a custom operator rather than a {@code ProcessFunction} because publication by processing time needs a timer,
 * which a non-keyed function cannot register.
 *
 * <p><b>Per example</b> it delegates to {@link VersionedLearner}: prequential test-then-train with features {@code
 * example.features} and label {@code (int) example.label}. Examples with a wrong feature count, a NaN or infinite
 * feature or a label that is not a class index are counted ({@code examplesRejected}) and skipped; the first of each
 * kind is logged with its reason, never with the patient id or feature values.
 *
 * <p><b>Publication.</b> When {@code vigil.learner.publish.every-updates} updates have been made since the last
 * version, or {@code vigil.learner.publish.interval} of processing time has passed and the model has changed, the
 * current model is exported to ONNX with its provenance, published through the {@link ModelRegistry} (which assigns
 * the version number and stamps it into the file), and announced: {@link ModelUpdates#of} the published version, with
 * the latest prediction time trained on as its timestamp. A version is also published at the end of a bounded input.
 * Publishing happens on the task thread; a failure to write the registry is logged and counted ({@code
 * publishFailures}), the learner keeps training, and the next trigger tries again with the same window.
 *
 * <p><b>State.</b> The learner's parameters, optimizer moments, standardizer, pending minibatch, reservoir, EWC and
 * prequential counters ({@link dev.vigil.models.continual.LearnerStateSerializer}) and the publication progress
 * (parent version, last version, window) are operator list state, written at every checkpoint: a restore continues
 * bit for bit, so the versions published after it are the bytes an uninterrupted run would have published. A
 * version published after the last checkpoint is published again after a failure, as the next number, with the same
 * parent. With a bootstrap model and no state, the learner starts from the bootstrap; the state wins over it.
 *
 * <p>Metrics: see {@link LearnerMetrics}.
 */
public final class OnlineLearnerOperator extends AbstractStreamOperator<ModelUpdate>
        implements OneInputStreamOperator<LabeledExample, ModelUpdate> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OnlineLearnerOperator.class);

    /** The uid {@link #learn} gives the operator: keep it stable, the learner's state is found by it. */
    public static final String UID = "vigil-online-learner";
    /** The operator's name in the job graph. */
    public static final String NAME = "online learner";
    /** Name of the list state holding the learner's {@link dev.vigil.models.continual.LearnerState}. */
    public static final String LEARNER_STATE_NAME = "vigil-learner-state";
    /** Name of the list state holding the publication progress. */
    public static final String PROGRESS_STATE_NAME = "vigil-learner-progress";

    /** INFO line of a published version; placeholders: version, parent, examples in its window, total updates. */
    public static final String PUBLISHED_FORMAT = "Published model {} (parent {}): {} examples since the last version,"
            + " {} updates in all";
    /** WARN line of a failed publication; placeholders: model name, reason. */
    public static final String PUBLISH_FAILURE_FORMAT = "Could not publish a version of {}, will retry: {}";
    /**
     * WARN line of a version numbered no higher than its parent (a warm start from a bootstrap model that is not in the
     * registry); placeholders: the version, the parent.
     */
    public static final String VERSION_NOT_NEWER_FORMAT = "The registry numbered model {} no higher than its parent {}:"
            + " publish the bootstrap model to the registry first so that versions continue its numbering";
    /** WARN line of the first refused example of a kind; placeholders: model name, reason, features expected. */
    public static final String REJECTION_FORMAT = "Learner of {} refused an example: {} ({} features expected);"
            + " further refusals of this kind are only counted in examplesRejected";

    private final LearnerSettings settings;
    private final RegistryFactory registryFactory;
    private final byte[] bootstrap;

    private transient VersionedLearner learner;
    private transient ListState<byte[]> learnerState;
    private transient ListState<byte[]> progressState;
    private transient ModelRegistry registry;
    private transient LearnerMetrics metrics;
    private transient long lastPublicationTime;
    private transient long examplesSinceRefresh;
    private transient EnumSet<VersionedLearner.Rejection> loggedRejections;

    private OnlineLearnerOperator(LearnerSettings settings, RegistryFactory registryFactory, byte[] bootstrap) {
        this.settings = settings;
        this.registryFactory = registryFactory;
        this.bootstrap = bootstrap;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds {@code learner} after {@code examples} with parallelism 1 and uid {@link #UID}; returns the stream of
     * model updates for the control topic.
     */
    public static SingleOutputStreamOperator<ModelUpdate> learn(
            DataStream<LabeledExample> examples, OnlineLearnerOperator learner) {
        Preconditions.checkNotNull(examples, "examples");
        Preconditions.checkNotNull(learner, "learner");
        return examples.transform(NAME, new AvroTypeInfo<>(ModelUpdate.class), learner)
                .uid(UID)
                .setParallelism(1)
                .setMaxParallelism(1);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        Preconditions.checkState(parallelism == 1,
                "the online learner trains one global model and must run with parallelism 1, not %s", parallelism);
        learner = VersionedLearner.create(settings, bootstrap == null ? null : OnnxImport.logistic(bootstrap));
        learnerState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(LEARNER_STATE_NAME, BytePrimitiveArraySerializer.INSTANCE));
        progressState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(PROGRESS_STATE_NAME, BytePrimitiveArraySerializer.INSTANCE));
        if (context.isRestored()) {
            List<byte[]> saved = list(learnerState.get());
            List<byte[]> progress = list(progressState.get());
            Preconditions.checkState(saved.size() <= 1 && progress.size() <= 1,
                    "the learner state holds %s learners: it was written with parallelism > 1", saved.size());
            if (!saved.isEmpty()) {
                learner.restore(saved.get(0), progress.isEmpty() ? null : progress.get(0));
                LOG.info("Restored the learner of {}: {} examples, {} updates, last version {}",
                        learner.modelName(), learner.examplesSeen(), learner.updates(), learner.lastPublishedVersion());
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        registry = registryFactory.create();
        metrics = new LearnerMetrics(getMetricGroup());
        metrics.refresh(learner);
        loggedRejections = EnumSet.noneOf(VersionedLearner.Rejection.class);
        lastPublicationTime = getProcessingTimeService().getCurrentProcessingTime();
        long interval = settings.publishInterval().toMillis();
        if (interval > 0) {
            getProcessingTimeService().registerTimer(lastPublicationTime + interval, this::onTimer);
        }
    }

    @Override
    public void processElement(StreamRecord<LabeledExample> element) throws Exception {
        LabeledExample example = element.getValue();
        Instant predictionTime = example.getPredictionTime();
        long updatesBefore = learner.updates();
        VersionedLearner.Rejection rejection = learner.train(
                example.getFeatures(),
                example.getLabel(),
                predictionTime == null ? Long.MIN_VALUE : predictionTime.toEpochMilli());
        if (rejection != null) {
            metrics.examplesRejected.inc();
            if (loggedRejections.add(rejection)) {
                LOG.warn(REJECTION_FORMAT, learner.modelName(), rejection, learner.numFeatures());
            }
            return;
        }
        metrics.examplesSeen.inc();
        metrics.updates.inc(learner.updates() - updatesBefore);
        if (learner.publicationDueByCount()) {
            publish();
        }
        if (++examplesSinceRefresh >= settings.evaluationWindow()) {
            examplesSinceRefresh = 0;
            metrics.refresh(learner);
        }
    }

    private void onTimer(long time) {
        long interval = settings.publishInterval().toMillis();
        if (time >= lastPublicationTime + interval && learner.updatedSinceLastVersion()) {
            publish();
        }
        metrics.refresh(learner);
        long next = lastPublicationTime + interval;
        getProcessingTimeService().registerTimer(next > time ? next : time + interval, this::onTimer);
    }

    @Override
    public void finish() throws Exception {
        if (learner.updatedSinceLastVersion()) {
            publish();
        }
        super.finish();
    }

    /** Exports, publishes and announces the current model; on a registry failure counts it and carries on. */
    private void publish() {
        VersionedLearner.Candidate candidate = learner.candidate();
        ModelVersion version;
        try {
            version = registry.publish(learner.modelName(), candidate.onnx(), candidate.metadata());
        } catch (IOException | UncheckedIOException e) {
            learner.publicationFailed();
            metrics.publishFailures.inc();
            LOG.warn(PUBLISH_FAILURE_FORMAT, learner.modelName(), e.toString());
            return;
        }
        long window = learner.examplesSinceLastVersion();
        String parent = candidate.metadata().parentVersion();
        if (parent != null && !ModelVersionOrder.isNewer(version.versionLabel(), parent)) {
            LOG.warn(VERSION_NOT_NEWER_FORMAT, version.label(), parent);
        }
        learner.published(version);
        lastPublicationTime = getProcessingTimeService().getCurrentProcessingTime();
        metrics.versionsPublished.inc();
        metrics.refresh(learner);
        ModelUpdate update = ModelUpdates.of(version);
        output.collect(candidate.eventTimeMillis() == Long.MIN_VALUE
                ? new StreamRecord<>(update)
                : new StreamRecord<>(update, candidate.eventTimeMillis()));
        LOG.info(PUBLISHED_FORMAT, version.label(), version.parent().orElse("none"), window, learner.updates());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        learnerState.update(List.of(learner.learnerBytes()));
        progressState.update(List.of(learner.progressBytes()));
    }

    /** The core, for tests in this package. */
    VersionedLearner learner() {
        return learner;
    }

    private static List<byte[]> list(Iterable<byte[]> values) {
        List<byte[]> out = new ArrayList<>();
        if (values != null) {
            for (byte[] v : values) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Builds an {@link OnlineLearnerOperator}; {@link #build()} validates the settings and the bootstrap model, so a
     * misconfigured learner fails at job submission.
     */
    public static final class Builder {
        private ReadableConfig options;
        private RegistryFactory registry;
        private byte[] bootstrap;

        private Builder() {}

        /** The {@link LearnerOptions} (required); also where {@code vigil.registry.root} is read by default. */
        public Builder options(ReadableConfig options) {
            this.options = Preconditions.checkNotNull(options, "options");
            return this;
        }

        /** Where versions are published. Default: {@link RegistryFactory#fromConfig} of the options. */
        public Builder registry(RegistryFactory registry) {
            this.registry = Preconditions.checkNotNull(registry, "registry");
            return this;
        }

        /**
         * A logistic model exported by Vigil to warm-start from ({@link OnnxImport}); the learner's first version
         * then has it as parent. Ignored on restore from a checkpoint that holds a learner.
         */
        public Builder bootstrap(byte[] onnx) {
            this.bootstrap = Preconditions.checkNotNull(onnx, "onnx").clone();
            return this;
        }

        public OnlineLearnerOperator build() {
            Preconditions.checkState(options != null, "options(config) is required");
            LearnerSettings settings = LearnerOptions.settings(options);
            RegistryFactory factory = registry != null ? registry : RegistryFactory.fromConfig(options);
            // Validates the combination (names, features, model family) here rather than on the TaskManager.
            VersionedLearner.create(settings, bootstrap == null ? null : OnnxImport.logistic(bootstrap));
            return new OnlineLearnerOperator(settings, factory, bootstrap);
        }
    }
}
