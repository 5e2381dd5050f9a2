package dev.vigil.operators.inference;

import ai.onnxruntime.OrtException;
import dev.vigil.models.registry.ModelVersionOrder;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servable behind {@link HotSwapScoringOperator}: the model version in use, and the checks a new version must
 * pass before it may replace it. No Flink DataStream dependency.
 *
 * <p>A version is used only if its bytes have the announced sha-256, ONNX Runtime opens them, the model follows the
 * contract (docs/CONTRACTS.md) and it declares exactly the expected {@code vigil.feature.names}. Versions of other
 * models are not for this scorer; a version not newer ({@link ModelVersionOrder}) than the active one is stale. The
 * bootstrap model (the one a job ships with) counts as older than every announced version, whatever its label.
 *
 * <p>{@link #load} may run on any thread; everything else belongs to the operator's task thread.
 */
public final class HotSwapModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HotSwapModel.class);

    /** Message of a model whose features differ; names only, never values. */
    public static final String FEATURE_MISMATCH_FORMAT =
            "Model %s declares %d features %s but the scorer extracts %d features %s";

    /** What to do with an announced version. */
    public enum Verdict {
        /** Newer than the active version and than every version already being loaded: load it. */
        LOAD,
        /** A version of another model. */
        OTHER_MODEL,
        /** Not newer than the active version, or than one already being loaded. */
        STALE
    }

    private final String modelName;
    private final List<String> featureNames;
    private final ModelLoader loader;
    private final ReadableConfig options;
    private final ClassLoader classLoader;

    private OnnxScorer active;
    private boolean bootstrapActive;

    /**
     * @param modelName the model this scorer serves; announcements of others are ignored
     * @param featureNames the features every accepted version must declare, in order
     * @param loader reads model files
     * @param options {@link InferenceOptions} for the ONNX Runtime sessions
     * @param classLoader the job's class loader (for {@code classpath:} URIs)
     */
    public HotSwapModel(
            String modelName,
            List<String> featureNames,
            ModelLoader loader,
            ReadableConfig options,
            ClassLoader classLoader) {
        this.modelName = Preconditions.checkNotNull(modelName, "modelName");
        this.featureNames = List.copyOf(featureNames);
        Preconditions.checkArgument(!this.featureNames.isEmpty(), "featureNames must not be empty");
        this.loader = Preconditions.checkNotNull(loader, "loader");
        this.options = Preconditions.checkNotNull(options, "options");
        this.classLoader = classLoader;
    }

    /** Whether to load {@code announced}, given the newest version already being loaded (or {@code null}). */
    public Verdict judge(ModelRef announced, String newestRequested) {
        if (!announced.name().equals(modelName)) {
            return Verdict.OTHER_MODEL;
        }
        if (!isNewerThanActive(announced)) {
            return Verdict.STALE;
        }
        if (newestRequested != null && !ModelVersionOrder.isNewer(announced.version(), newestRequested)) {
            return Verdict.STALE;
        }
        return Verdict.LOAD;
    }

    /** Whether {@code ref} would replace the active model: there is none, it is the bootstrap, or ref is newer. */
    public boolean isNewerThanActive(ModelRef ref) {
        return active == null
                || bootstrapActive
                || ModelVersionOrder.isNewer(ref.version(), active.modelRef().version());
    }

    /**
     * Reads {@code ref}'s file, checks its sha-256, opens a session and checks the feature names. Thread-safe; the
     * caller owns the returned scorer until it passes it to {@link #activate}.
     *
     * @throws ModelIntegrityException if the sha-256 differs
     * @throws java.io.IOException if the file cannot be read
     * @throws OrtException if ONNX Runtime rejects the model
     * @throws IllegalArgumentException if the model breaks the contract or declares other features
     */
    public OnnxScorer load(ModelRef ref) throws Exception {
        Preconditions.checkArgument(ref.name().equals(modelName), "model %s is not %s", ref.label(), modelName);
        ModelBytes bytes = ModelBytes.verify(ref, loader.read(ref, classLoader));
        OnnxScorer scorer = new OnnxScorer(bytes, options);
        try {
            List<String> declared = scorer.metadata().featureNames();
            if (!declared.equals(featureNames)) {
                throw new IllegalArgumentException(
                        String.format(
                                FEATURE_MISMATCH_FORMAT, ref.label(), declared.size(), declared, featureNames.size(),
                                featureNames));
            }
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
        return scorer;
    }

    /** Makes {@code scorer} (from {@link #load}) the active model and closes the previous one. */
    public void activate(OnnxScorer scorer, boolean bootstrap) {
        Preconditions.checkNotNull(scorer, "scorer");
        OnnxScorer previous = active;
        active = scorer;
        bootstrapActive = bootstrap;
        closeQuietly(previous);
    }

    /** The active scorer, or {@code null} when no model is usable. */
    public OnnxScorer active() {
        return active;
    }

    /** The active version, or {@code null}. */
    public ModelRef activeRef() {
        return active == null ? null : active.modelRef();
    }

    /** Whether the active model is the bootstrap model. */
    public boolean isBootstrapActive() {
        return active != null && bootstrapActive;
    }

    public String modelName() {
        return modelName;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** Closes the active session. */
    @Override
    public void close() {
        OnnxScorer current = active;
        active = null;
        closeQuietly(current);
    }

    /** Closes {@code scorer} if not null, logging (not throwing) a failure. */
    static void closeQuietly(OnnxScorer scorer) {
        if (scorer == null) {
            return;
        }
        try {
            scorer.close();
        } catch (OrtException | RuntimeException e) {
            LOG.warn("Closing model {} failed: {}", scorer.modelRef().label(), e.toString());
        }
    }
}
