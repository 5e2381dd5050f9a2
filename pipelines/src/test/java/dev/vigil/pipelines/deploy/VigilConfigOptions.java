package dev.vigil.pipelines.deploy;

import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.pipelines.icu.IcuPipelineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Vigil's own configuration options, collected by reflection from the {@code public static ConfigOption} constants
 * of every {@code *Options} class of the operators and pipelines modules (wherever their classes come from: a build
 * directory or an installed jar). A {@code vigil.*} key in a manifest or in {@code config.yaml} must be one of them,
 * and its value must parse with the option's type.
 */
final class VigilConfigOptions {

    static final String PREFIX = "vigil.";

    private final Map<String, ConfigOption<?>> options = new TreeMap<>();
    private final Set<String> mapOptions = new TreeSet<>();
    private final Set<String> classes = new TreeSet<>();

    private VigilConfigOptions() {}

    static VigilConfigOptions load() {
        VigilConfigOptions vigil = new VigilConfigOptions();
        for (Class<?> anchor : List.of(InferenceOptions.class, IcuPipelineOptions.class)) {
            for (String className : optionClassNames(anchor)) {
                try {
                    vigil.collect(Class.forName(className, true, VigilConfigOptions.class.getClassLoader()));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return vigil;
    }

    Map<String, ConfigOption<?>> options() {
        return options;
    }

    /** The {@code *Options} classes the options came from. */
    Set<String> classes() {
        return classes;
    }

    /** Why {@code key: value} is not a valid Vigil setting, or empty when it is. */
    Optional<String> problem(String key, String value) {
        ConfigOption<?> option = options.get(key);
        if (option == null) {
            for (String map : mapOptions) {
                if (key.startsWith(map + ".")) {
                    return Optional.empty(); // one entry of a map option, e.g. vigil.kafka.client-properties.x
                }
            }
            return Optional.of(key + " is not an option of Vigil's *Options classes " + classes);
        }
        try {
            Configuration.fromMap(Map.of(key, value)).get(option);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(key + ": cannot parse '" + value + "': " + e.getMessage());
        }
    }

    private void collect(Class<?> optionsClass) {
        for (Field field : optionsClass.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || !ConfigOption.class.isAssignableFrom(field.getType())) {
                continue;
            }
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) field.get(null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            classes.add(optionsClass.getSimpleName());
            options.put(option.key(), option);
            Type type = field.getGenericType();
            if (type instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof ParameterizedType value
                    && value.getRawType() == Map.class) {
                mapOptions.add(option.key());
            }
        }
    }

    /** The {@code dev.vigil...*Options} classes beside {@code anchor} (same build directory or jar). */
    private static List<String> optionClassNames(Class<?> anchor) {
        Path location;
        try {
            location = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> entries = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> walk = Files.walk(location)) {
                    walk.filter(Files::isRegularFile)
                            .map(p -> location.relativize(p).toString().replace('\\', '/'))
                            .forEach(entries::add);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().map(e -> e.getName()).forEach(entries::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries.stream()
                .filter(n -> n.startsWith("dev/vigil/") && n.endsWith("Options.class") && !n.contains("$"))
                .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                .sorted()
                .toList();
    }
}
