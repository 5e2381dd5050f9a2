package dev.vigil.operators.learn;

import dev.vigil.models.registry.InMemoryModelRegistry;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.operators.registry.FileSystemModelRegistry;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;

/**
 * Creates the {@link ModelRegistry} an operator publishes to. The factory travels in the job graph (it is
 * serializable); the registry is created in the operator's {@code open()}, on the TaskManager.
 *
 * <pre>{@code
 * RegistryFactory registry = RegistryFactory.fromConfig(config);          // vigil.registry.root
 * RegistryFactory inTests = RegistryFactory.of(new InMemoryModelRegistry());
 * }</pre>
 */
@FunctionalInterface
public interface RegistryFactory extends Serializable {

    /** A registry; called once per operator instance, in {@code open()}. */
    ModelRegistry create() throws IOException;

    /**
     * Publishes {@code onnx} as the first version of {@code name} when the registry has none, so a learner that
     * continues from a bootstrap model numbers its versions after it: 1 is the bootstrap, 2 the first learned one.
     */
    default void seedIfEmpty(String name, byte[] onnx) throws IOException {
        ModelRegistry registry = create();
        if (registry.latest(name).isEmpty()) {
            registry.publish(name, onnx, VersionMetadata.empty());
        }
    }

    /** A {@link FileSystemModelRegistry} at {@code rootUri}, on any Flink file system. */
    static RegistryFactory fileSystem(String rootUri) {
        Preconditions.checkArgument(rootUri != null && !rootUri.isBlank(), "registry root must not be blank");
        return new FileSystem(rootUri);
    }

    /**
     * The {@link FileSystemModelRegistry} at {@link LearnerOptions#REGISTRY_ROOT}.
     *
     * @throws IllegalArgumentException if the root is not set
     */
    static RegistryFactory fromConfig(ReadableConfig config) {
        Preconditions.checkNotNull(config, "config");
        String root = config.getOptional(LearnerOptions.REGISTRY_ROOT).orElse(null);
        Preconditions.checkArgument(root != null && !root.isBlank(), "set %s: where the learner publishes models",
                LearnerOptions.REGISTRY_ROOT.key());
        return fileSystem(root);
    }

    /**
     * Always {@code registry}, which travels in the job graph by Java serialization: an {@link InMemoryModelRegistry}
     * (tests, the demo; its serialized form resolves to the same instance in this JVM, also in a MiniCluster task), or
     * a {@link FileSystemModelRegistry} with a custom clock.
     */
    static <R extends ModelRegistry & Serializable> RegistryFactory of(R registry) {
        return new Instance(Preconditions.checkNotNull(registry, "registry"));
    }

    /** {@link #fileSystem(String)}. */
    record FileSystem(String rootUri) implements RegistryFactory {
        @Override
        public ModelRegistry create() {
            return new FileSystemModelRegistry(rootUri);
        }
    }

    /** {@link #of}. */
    record Instance(ModelRegistry registry) implements RegistryFactory {
        @Override
        public ModelRegistry create() {
            return registry;
        }
    }
}
