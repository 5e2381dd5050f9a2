package dev.vigil.operators.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one ONNX Runtime environment of this JVM.
 *
 * <p>ONNX Runtime allows a single {@link OrtEnvironment} per process; it owns the native thread pools, allocators and
 * logging shared by every session. Operators and scorers borrow it from here and <b>never close it</b>: closing it
 * while another operator in the same TaskManager still holds a session breaks that operator. Each {@link OnnxScorer}
 * owns and closes only its own {@code OrtSession}.
 *
 * <p><b>Created on a thread with a large stack.</b> While the environment is created, ONNX Runtime's telemetry runs a
 * recursive {@code std::regex} over {@code /proc/self/cmdline}, about 250 bytes of native stack per character of the
 * JVM command line. A TaskManager's long class path overflows a default 1 MB Flink task thread there, and the JVM
 * dies with SIGSEGV and no hs_err file (measured: a 9K-character command line needs a 2.3 MB stack, 17K needs 8 MB).
 * The environment is therefore created once on a dedicated {@value #INIT_STACK_BYTES}-byte thread. Setting
 * {@code ORT_DISABLE_TELEMETRY=1} in the process environment avoids the regex altogether (see docs/DEPLOYMENT.md).
 *
 * <p>Call this from {@code open()}, never from a static initializer of user code (see FACTS.md: with ONNX Runtime in
 * the user-code class loader, every job restart loads another copy of the native library).
 */
public final class OrtEnvironments {

    /** Stack of the thread that creates the environment: 64 MB covers command lines of about 250K characters. */
    static final long INIT_STACK_BYTES = 64L << 20;

    private static volatile OrtEnvironment environment;

    private OrtEnvironments() {}

    /** The JVM-wide environment, created on first use. Do not close it. */
    public static OrtEnvironment get() {
        OrtEnvironment env = environment;
        if (env != null) {
            return env;
        }
        synchronized (OrtEnvironments.class) {
            if (environment == null) {
                environment = createOnLargeStack();
            }
            return environment;
        }
    }

    private static OrtEnvironment createOnLargeStack() {
        AtomicReference<OrtEnvironment> created = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread init = new Thread(null, () -> {
            try {
                created.set(OrtEnvironment.getEnvironment());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "vigil-ort-environment-init", INIT_STACK_BYTES);
        init.setDaemon(true);
        init.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        init.start();
        try {
            init.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the ONNX Runtime environment", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("cannot create the ONNX Runtime environment", failure.get());
        }
        return created.get();
    }

    /** Execution providers compiled into the ONNX Runtime build on the class path ({@code [CPU]} for the CPU jar). */
    public static EnumSet<OrtProvider> availableProviders() {
        return OrtEnvironment.getAvailableProviders();
    }
}
