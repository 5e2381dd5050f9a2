package dev.vigil.operators.chat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.vigil.operators.inference.ExecutionProvider;
import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.inference.OrtEnvironments;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the ONNX Runtime sessions of the chat models (the encoder and the triage head) on the shared {@link
 * OrtEnvironments environment}, with {@link InferenceOptions#EXECUTION_PROVIDER}, {@link
 * InferenceOptions#INTRA_OP_THREADS} and {@link InferenceOptions#CUDA_DEVICE_ID}, the same choices as {@link
 * dev.vigil.operators.inference.OnnxScorer}: CPU, CUDA (fail when unusable) or AUTO (CUDA, else the CPU with one WARN
 * line). The caller owns and closes the session; the environment is never closed.
 */
final class OrtSessions {

    private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

    /** A session and the provider it runs on ({@code CPU} or {@code CUDA}, never {@code AUTO}). */
    record Opened(OrtSession session, ExecutionProvider provider) {}

    private OrtSessions() {}

    static Opened open(byte[] model, String label, ReadableConfig options) throws OrtException {
        int threads = options.get(InferenceOptions.INTRA_OP_THREADS);
        Preconditions.checkArgument(
                threads >= 1, "%s must be at least 1, got %s", InferenceOptions.INTRA_OP_THREADS.key(), threads);
        int device = options.get(InferenceOptions.CUDA_DEVICE_ID);
        Preconditions.checkArgument(
                device >= 0, "%s must not be negative, got %s", InferenceOptions.CUDA_DEVICE_ID.key(), device);
        OrtEnvironment env = OrtEnvironments.get();
        ExecutionProvider requested = options.get(InferenceOptions.EXECUTION_PROVIDER);
        if (requested == ExecutionProvider.CPU) {
            return new Opened(create(env, model, threads, -1), ExecutionProvider.CPU);
        }
        boolean cudaBuilt = OrtEnvironments.availableProviders().contains(OrtProvider.CUDA);
        if (requested == ExecutionProvider.CUDA || cudaBuilt) {
            try {
                return new Opened(create(env, model, threads, device), ExecutionProvider.CUDA);
            } catch (OrtException e) {
                if (requested == ExecutionProvider.CUDA) {
                    OrtException wrapped = new OrtException(e.getCode(), String.format(
                            "Model %s: execution provider CUDA (device %d) cannot be used: %s. This ONNX Runtime"
                                    + " build provides %s; set %s to CPU or AUTO.",
                            label, device, e.getMessage(), OrtEnvironments.availableProviders(),
                            InferenceOptions.EXECUTION_PROVIDER.key()));
                    wrapped.initCause(e);
                    throw wrapped;
                }
                LOG.warn("Model {}: execution provider AUTO fell back to CPU because CUDA is unavailable ({})",
                        label, e.getMessage());
            }
        } else {
            LOG.warn("Model {}: execution provider AUTO fell back to CPU because CUDA is unavailable ({})",
                    label, "this ONNX Runtime build provides " + OrtEnvironments.availableProviders());
        }
        return new Opened(create(env, model, threads, -1), ExecutionProvider.CPU);
    }

    private static OrtSession create(OrtEnvironment env, byte[] model, int threads, int cudaDevice)
            throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(threads);
            if (cudaDevice >= 0) {
                so.addCUDA(cudaDevice);
            }
            return env.createSession(model, so);
        }
    }
}
