package dev.vigil.operators.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;

/**
 * The one ONNX Runtime environment of this JVM.
 *
 * <p>ONNX Runtime allows a single {@link OrtEnvironment} per process; it owns the native thread pools, allocators and
 * logging shared by every session. Operators and scorers borrow it from here and <b>never close it</b>: closing it
 * while another operator in the same TaskManager still holds a session breaks that operator. Each {@link OnnxScorer}
 * owns and closes only its own {@code OrtSession}.
 *
 * <p>Call this from {@code open()}, never from a static initializer of user code (see FACTS.md: with ONNX Runtime in
 * the user-code class loader, every job restart loads another copy of the native library).
 */
public final class OrtEnvironments {

    private OrtEnvironments() {}

    /** The JVM-wide environment, created on first use. Do not close it. */
    public static OrtEnvironment get() {
        return OrtEnvironment.getEnvironment();
    }

    /** Execution providers compiled into the ONNX Runtime build on the class path ({@code [CPU]} for the CPU jar). */
    public static EnumSet<OrtProvider> availableProviders() {
        return OrtEnvironment.getAvailableProviders();
    }
}
