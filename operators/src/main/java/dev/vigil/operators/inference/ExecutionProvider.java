package dev.vigil.operators.inference;

/**
 * Where ONNX Runtime executes a model. Chosen with {@link InferenceOptions#EXECUTION_PROVIDER}.
 *
 * <ul>
 *   <li>{@link #CPU}: the default ONNX Runtime CPU provider.
 *   <li>{@link #CUDA}: NVIDIA GPU through the CUDA provider. Needs the {@code onnxruntime_gpu} build and a visible
 *       device; a session that cannot get CUDA fails instead of silently running on the CPU.
 *   <li>{@link #AUTO}: CUDA when it works, otherwise the CPU with one WARN log line. The provider actually in use is
 *       reported by {@link OnnxScorer#activeProvider()} and the {@code activeProvider} metric; it is never {@code
 *       AUTO}.
 * </ul>
 */
public enum ExecutionProvider {
    CPU,
    CUDA,
    AUTO
}
