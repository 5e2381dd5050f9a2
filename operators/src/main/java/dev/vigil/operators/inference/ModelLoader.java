package dev.vigil.operators.inference;

import dev.vigil.models.registry.InMemoryModelRegistry;
import java.io.IOException;
import java.io.Serializable;

/**
 * Reads the bytes of a model version for a scorer, which then checks them against {@link ModelRef#sha256()}. Travels
 * with the job graph, so implementations must be serializable.
 *
 * <p>{@link #fromUri()}, the default, reads {@link ModelRef#uri()} with {@link ModelBytes#read} (any Flink file
 * system, or {@code classpath:}) and resolves the {@code memory://} URIs of an {@link InMemoryModelRegistry} living
 * in the same JVM (tests, the demo).
 */
@FunctionalInterface
public interface ModelLoader extends Serializable {

    /**
     * All bytes of {@code model}'s file, unchecked.
     *
     * @param classLoader the job's class loader, for {@code classpath:} URIs
     * @throws IOException if they cannot be read
     */
    byte[] read(ModelRef model, ClassLoader classLoader) throws IOException;

    /** Reads {@link ModelRef#uri()}: Flink file systems, {@code classpath:} and in-memory registries. */
    static ModelLoader fromUri() {
        return (model, classLoader) -> {
            String uri = model.uri();
            return uri.startsWith(InMemoryModelRegistry.URI_SCHEME + "://")
                    ? InMemoryModelRegistry.readUri(uri)
                    : ModelBytes.read(uri, classLoader);
        };
    }
}
