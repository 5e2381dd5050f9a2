package dev.vigil.operators.learn;

import dev.vigil.models.continual.LearnerStateSerializer;
import dev.vigil.models.continual.OnlineLearner;
import dev.vigil.models.continual.PrequentialMetrics;
import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.models.onnx.OnnxImport;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.models.registry.VersionMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.Preconditions;

/**
 * An {@link OnlineLearner} and the bookkeeping of the versions it publishes: the framework-free core of {@link
 * OnlineLearnerOperator}, which holds one and delegates (test it without Flink).
 *
 * <p>{@link #train} checks one labelled example and, if it is usable, evaluates the model on it and then trains on it
 * (prequential test-then-train). An unusable example (wrong number of features, a NaN or infinite feature, a label that
 * is not a class index) is refused with a {@link Rejection} and changes nothing. {@link #candidate()} exports the
 * current model as ONNX with its provenance: model name, the expected next version (the registry assigns the real one
 * and stamps it into the file), feature names, the event-time window and counts of the examples trained on since the
 * previous version, the prequential metrics, the parent version and the code version. After the registry has stored
 * it, {@link #published} starts the next window.
 *
 * <p><b>Warm start.</b> Given a bootstrap model (a logistic regression exported by Vigil, read with {@link
 * OnnxImport}), the learner starts from its weights and its standardization, as if the statistics had been fitted on
 * the bootstrap's training rows; it predicts exactly what the bootstrap predicts until the first update. The first
 * version's parent is the bootstrap's version.
 *
 * <p><b>State.</b> The learner's {@link dev.vigil.models.continual.LearnerState} ({@link #learnerBytes()}, written by
 * {@link LearnerStateSerializer}) and this class's publication progress ({@link #progressBytes()}) are all that
 * changes; {@link #restore} of both into a core created with the same settings and bootstrap continues bit for bit,
 * including the bytes of the versions published later. Not thread-safe.
 */
public final class VersionedLearner {

    /** Why an example was refused; the names are stable (metrics, logs). */
    public enum Rejection {
        /** {@code features} is missing or has another length than the model's input. */
        WRONG_FEATURE_COUNT,
        /** A feature is NaN or infinite. */
        NON_FINITE_FEATURE,
        /** The label is not an integral class index {@code 0 .. numClasses - 1}. */
        INVALID_LABEL
    }

    /**
     * A version ready to be published.
     *
     * @param onnx the serialized model, with its provenance in the metadata
     * @param metadata what the registry records next to it: parent, metrics and learner facts
     * @param eventTimeMillis the latest prediction time trained on (the window's end), or {@link Long#MIN_VALUE}
     */
    public record Candidate(byte[] onnx, VersionMetadata metadata, long eventTimeMillis) {}

    /** Metric keys of each version, in its metadata ({@code vigil.metrics.*}) and on the control record. */
    public static final String METRIC_LOG_LOSS = "prequential.log_loss";
    public static final String METRIC_ACCURACY = "prequential.accuracy";
    public static final String METRIC_WINDOW_LOG_LOSS = "prequential.window.log_loss";
    public static final String METRIC_WINDOW_ACCURACY = "prequential.window.accuracy";
    public static final String METRIC_WINDOW_AUROC = "prequential.window.auroc";

    /** Property keys of each version in the registry. */
    public static final String PROPERTY_EXAMPLES = "learner.examples";
    public static final String PROPERTY_UPDATES = "learner.updates";
    public static final String PROPERTY_REJECTED = "learner.examples.rejected";
    public static final String PROPERTY_MODEL = "learner.model";
    public static final String PROPERTY_OPTIMIZER = "learner.optimizer";

    private static final int PROGRESS_MAGIC = 0x56474c50; // "VGLP"
    private static final byte PROGRESS_VERSION = 1;

    private final LearnerSettings settings;
    private final String modelName;
    private final List<String> featureNames;
    private final OnlineLearner learner;
    private final int numFeatures;
    private final int numClasses;
    private final double[] row;

    // Publication progress: checkpointed with the learner.
    /** The version the next one derives from: the last published, else the bootstrap's; null for none. */
    private String parentVersion;
    /** The last version this learner published, 0 for none. */
    private long lastPublishedVersion;
    private long updatesAtLastPublish;
    private long windowRows;
    private long windowPositives;
    private long windowStartMillis = Long.MAX_VALUE;
    private long windowEndMillis = Long.MIN_VALUE;
    private long rejected;

    /** Not checkpointed: after a failed publication, count-triggered attempts wait for this many updates. */
    private long nextCountAttempt;

    private VersionedLearner(
            LearnerSettings settings,
            String modelName,
            List<String> featureNames,
            DifferentiableModel model,
            Standardizer.State initialStandardizer,
            String parentVersion) {
        this.settings = settings;
        this.modelName = modelName;
        this.featureNames = List.copyOf(featureNames);
        this.learner = settings.newLearner(model, initialStandardizer);
        this.numFeatures = learner.numFeatures();
        this.numClasses = learner.numClasses();
        this.row = new double[numFeatures];
        this.parentVersion = parentVersion;
    }

    /**
     * A learner with fresh parameters, or warm-started from {@code bootstrap}.
     *
     * @param bootstrap a logistic model to start from, or {@code null}
     * @throws IllegalArgumentException if the settings and the bootstrap disagree (model family, name, features), or
     *     neither gives the model name and the feature names
     */
    public static VersionedLearner create(LearnerSettings settings, OnnxImport.ImportedLogistic bootstrap) {
        Preconditions.checkNotNull(settings, "settings");
        if (bootstrap == null) {
            Preconditions.checkArgument(settings.modelName() != null, "set %s (or give a bootstrap model)",
                    LearnerOptions.MODEL_NAME.key());
            Preconditions.checkArgument(!settings.featureNames().isEmpty(), "set %s (or give a bootstrap model)",
                    LearnerOptions.FEATURE_NAMES.key());
            return new VersionedLearner(settings, settings.modelName(), settings.featureNames(),
                    settings.newModel(settings.featureNames().size()), null, null);
        }
        ModelProvenance provenance = bootstrap.provenance();
        Preconditions.checkArgument(settings.model() == ModelType.LOGISTIC,
                "a bootstrap model is logistic, but %s is %s", LearnerOptions.MODEL.key(), settings.model());
        Preconditions.checkArgument(settings.modelName() == null || settings.modelName().equals(provenance.modelName()),
                "the bootstrap model is '%s' but %s is '%s'", provenance.modelName(), LearnerOptions.MODEL_NAME.key(),
                settings.modelName());
        Preconditions.checkArgument(settings.featureNames().isEmpty()
                        || settings.featureNames().equals(provenance.featureNames()),
                "%s differ from the bootstrap model's feature names (fingerprint %s)",
                LearnerOptions.FEATURE_NAMES.key(), provenance.featureFingerprint());
        Preconditions.checkArgument(settings.classLabels().isEmpty() || provenance.classLabels().isEmpty()
                        || settings.classLabels().equals(provenance.classLabels()),
                "%s %s differ from the bootstrap model's classes %s", LearnerOptions.CLASSES.key(),
                settings.classLabels(), provenance.classLabels());
        long count = Math.max(1, provenance.trainingRows());
        return new VersionedLearner(settings, provenance.modelName(), provenance.featureNames(),
                bootstrap.model(), bootstrap.standardizerState(count), provenance.modelVersion());
    }

    /**
     * Prequential test-then-train on one example, or a refusal that changes nothing.
     *
     * @param features the raw features in the model's feature order
     * @param label the class index as a number ({@code 0.0}/{@code 1.0} for binary models)
     * @param predictionTimeMillis the example's prediction time (event time), epoch milliseconds
     * @return {@code null} if the example was trained on, else why it was refused
     */
    public Rejection train(List<Float> features, double label, long predictionTimeMillis) {
        if (features == null || features.size() != numFeatures) {
            return reject(Rejection.WRONG_FEATURE_COUNT);
        }
        for (int i = 0; i < numFeatures; i++) {
            Float v = features.get(i);
            if (v == null || !Float.isFinite(v)) {
                return reject(Rejection.NON_FINITE_FEATURE);
            }
            row[i] = v;
        }
        if (!(label >= 0 && label < numClasses && label == Math.rint(label))) {
            return reject(Rejection.INVALID_LABEL);
        }
        int y = (int) label;
        learner.evaluateThenTrain(row, y, 1.0);
        windowRows++;
        if (y != 0) {
            windowPositives++;
        }
        windowStartMillis = Math.min(windowStartMillis, predictionTimeMillis);
        windowEndMillis = Math.max(windowEndMillis, predictionTimeMillis);
        return null;
    }

    private Rejection reject(Rejection reason) {
        rejected++;
        return reason;
    }

    /** Whether the model was updated since the last published version. */
    public boolean updatedSinceLastVersion() {
        return learner.updates() > updatesAtLastPublish;
    }

    /**
     * Whether {@link LearnerSettings#publishEveryUpdates()} updates have been made since the last version (and since
     * the last failed attempt).
     */
    public boolean publicationDueByCount() {
        long every = settings.publishEveryUpdates();
        long updates = learner.updates();
        return every > 0 && updates - updatesAtLastPublish >= every && updates >= nextCountAttempt;
    }

    /** The current model, exported with its provenance. Changes nothing. */
    public Candidate candidate() {
        PrequentialMetrics m = learner.metrics();
        Map<String, Double> metrics = new TreeMap<>();
        putFinite(metrics, METRIC_LOG_LOSS, m.logLoss());
        putFinite(metrics, METRIC_ACCURACY, m.accuracy());
        putFinite(metrics, METRIC_WINDOW_LOG_LOSS, m.windowLogLoss());
        putFinite(metrics, METRIC_WINDOW_ACCURACY, m.windowAccuracy());
        putFinite(metrics, METRIC_WINDOW_AUROC, m.windowAuroc());

        boolean hasWindow = windowRows > 0;
        Instant start = hasWindow ? Instant.ofEpochMilli(windowStartMillis) : Instant.EPOCH;
        Instant end = hasWindow ? Instant.ofEpochMilli(windowEndMillis + 1) : Instant.EPOCH; // exclusive end
        ModelProvenance provenance = ModelProvenance.builder()
                .modelName(modelName)
                .modelVersion(Long.toString(expectedNextVersion()))
                .featureNames(featureNames)
                .classLabels(settings.classLabels())
                .trainingWindow(start, end)
                .seed(settings.seed())
                .trainingCounts(windowRows, windowPositives)
                .validationCounts(0, 0)
                .metrics(metrics)
                .parentVersion(parentVersion)
                .codeVersion(settings.codeVersion())
                .build();
        Standardizer standardizer = learner.standardizerCopy();
        byte[] onnx = OnnxExport.export(learner.modelCopy(), standardizer.mean(), standardizer.std(), provenance);
        VersionMetadata metadata = VersionMetadata.builder()
                .parentVersion(parentVersion)
                .metrics(metrics)
                .property(PROPERTY_EXAMPLES, Long.toString(learner.examplesSeen()))
                .property(PROPERTY_UPDATES, Long.toString(learner.updates()))
                .property(PROPERTY_REJECTED, Long.toString(rejected))
                .property(PROPERTY_MODEL, settings.model().metadataValue())
                .property(PROPERTY_OPTIMIZER, settings.optimizer().toString())
                .build();
        return new Candidate(onnx, metadata, hasWindow ? windowEndMillis : Long.MIN_VALUE);
    }

    /** Records that {@code version}, made from the last {@link #candidate()}, is in the registry. */
    public void published(ModelVersion version) {
        Preconditions.checkNotNull(version, "version");
        lastPublishedVersion = version.version();
        parentVersion = version.versionLabel();
        updatesAtLastPublish = learner.updates();
        nextCountAttempt = 0;
        windowRows = 0;
        windowPositives = 0;
        windowStartMillis = Long.MAX_VALUE;
        windowEndMillis = Long.MIN_VALUE;
    }

    /**
     * Records that publishing failed: the window is kept (the next version covers it), and count-triggered attempts
     * wait for another {@link LearnerSettings#publishEveryUpdates()} updates.
     */
    public void publicationFailed() {
        nextCountAttempt = learner.updates() + settings.publishEveryUpdates();
    }

    /**
     * The version number the next publication should get: one above the last published, else above a numeric
     * bootstrap version, else 1. Only a hint written into the export: the registry assigns and stamps the real one.
     */
    public long expectedNextVersion() {
        if (lastPublishedVersion > 0) {
            return lastPublishedVersion + 1;
        }
        if (parentVersion != null && ModelVersionOrder.isNumeric(parentVersion) && parentVersion.length() < 18) {
            return Long.parseLong(parentVersion) + 1;
        }
        return 1;
    }

    // ---- state -----------------------------------------------------------------------------------------------------

    /** The learner's state ({@link LearnerStateSerializer}). */
    public byte[] learnerBytes() {
        return LearnerStateSerializer.toBytes(learner.snapshot());
    }

    /** The publication progress: parent, last version, the current window and its counts. */
    public byte[] progressBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(PROGRESS_MAGIC);
            out.writeByte(PROGRESS_VERSION);
            out.writeBoolean(parentVersion != null);
            if (parentVersion != null) {
                out.writeUTF(parentVersion);
            }
            out.writeLong(lastPublishedVersion);
            out.writeLong(updatesAtLastPublish);
            out.writeLong(windowRows);
            out.writeLong(windowPositives);
            out.writeLong(windowStartMillis);
            out.writeLong(windowEndMillis);
            out.writeLong(rejected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Continues from a checkpoint: {@link #learnerBytes()} and {@link #progressBytes()} of a core created with the
     * same settings (and bootstrap).
     *
     * @param progress the progress, or {@code null} to keep this core's (parent: the bootstrap's)
     * @throws IOException if the bytes are not a state, or one that does not fit these settings
     */
    public void restore(byte[] learnerState, byte[] progress) throws IOException {
        Preconditions.checkNotNull(learnerState, "learnerState");
        try {
            learner.restore(LearnerStateSerializer.fromBytes(learnerState));
        } catch (IllegalArgumentException e) {
            throw new IOException("the checkpointed learner does not fit the configured one (restore with the same"
                    + " vigil.learner.* settings): " + e.getMessage(), e);
        }
        if (progress == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(progress))) {
            if (in.readInt() != PROGRESS_MAGIC) {
                throw new IOException("not a learner progress state");
            }
            byte version = in.readByte();
            if (version != PROGRESS_VERSION) {
                throw new IOException("unknown learner progress version " + version);
            }
            parentVersion = in.readBoolean() ? in.readUTF() : null;
            lastPublishedVersion = in.readLong();
            updatesAtLastPublish = in.readLong();
            windowRows = in.readLong();
            windowPositives = in.readLong();
            windowStartMillis = in.readLong();
            windowEndMillis = in.readLong();
            rejected = in.readLong();
        }
        nextCountAttempt = 0;
    }

    // ---- views -----------------------------------------------------------------------------------------------------

    public String modelName() {
        return modelName;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int numFeatures() {
        return numFeatures;
    }

    /** The version the next one derives from (the last published, else the bootstrap's), or {@code null}. */
    public String parentVersion() {
        return parentVersion;
    }

    /** The last version this learner published, 0 before the first. */
    public long lastPublishedVersion() {
        return lastPublishedVersion;
    }

    /** Examples trained on since the start (restored ones included). */
    public long examplesSeen() {
        return learner.examplesSeen();
    }

    /** Optimizer updates since the start. */
    public long updates() {
        return learner.updates();
    }

    /** Examples refused since the start. */
    public long rejected() {
        return rejected;
    }

    /** Examples trained on since the last version. */
    public long examplesSinceLastVersion() {
        return windowRows;
    }

    /** The prequential metrics now. Allocates (AUROC sorts the window). */
    public PrequentialMetrics metrics() {
        return learner.metrics();
    }

    /** The model's {@code P(y = 1)} of raw features (binary models), without learning. */
    public double predictProbability(double[] rawFeatures) {
        return learner.predictProbability(rawFeatures);
    }

    /** The model's parameters now (a copy). */
    public double[] parameters() {
        return learner.modelCopy().parameters().clone();
    }

    private static void putFinite(Map<String, Double> metrics, String key, double value) {
        if (Double.isFinite(value)) {
            metrics.put(key, value);
        }
    }
}
