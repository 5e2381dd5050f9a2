package dev.vigil.pipelines.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.ResourceManagerOptions;

/**
 * The configuration keys Flink 2.2 understands, collected by reflection from its own {@link ConfigOption}s (every
 * options class of {@code org.apache.flink.configuration} in flink-core, and the RocksDB state backend's), so that a
 * manifest or {@code config.yaml} cannot carry a key that Flink silently ignores.
 *
 * <p>A key is accepted when it is the current key of an option, matches a templated option ({@code
 * external-resource.<resource_name>.amount}), or is one of Flink's documented prefix families whose suffixes are free
 * or live in a plugin that is not on this class path:
 *
 * <ul>
 *   <li>{@code containerized.master.env.<VAR>} and {@code containerized.taskmanager.env.<VAR>};
 *   <li>{@code metrics.reporter.<name>.<option>} with a reporter option of {@link MetricOptions} ({@code
 *       factory.class}, {@code interval}, ...) or a parameter of the Prometheus reporter plugin ({@value
 *       #PROMETHEUS_REPORTER_PARAMETERS});
 *   <li>{@code external-resource.<name>.kubernetes.config-key} (flink-kubernetes, not on this class path).
 * </ul>
 *
 * A key that is only a deprecated fallback of a 2.x option (Flink still reads some of them, with a warning), or one
 * of the pre-2.0 keys in {@link #REMOVED}, is rejected with its 2.x replacement.
 */
final class Flink2ConfigKeys {

    /** Pre-2.0 keys still found in blog posts, with the Flink 2.x key that replaced them. */
    static final Map<String, String> REMOVED = Map.of(
            "state.backend", "state.backend.type",
            "state.checkpoints.dir", "execution.checkpointing.dir",
            "state.savepoints.dir", "execution.checkpointing.savepoint-dir",
            "state.backend.incremental", "execution.checkpointing.incremental",
            "state.checkpoint-storage", "execution.checkpointing.storage",
            "state.checkpoints.num-retained", "execution.checkpointing.num-retained",
            "execution.checkpointing.unaligned", "execution.checkpointing.unaligned.enabled",
            "restart-strategy", "restart-strategy.type",
            "high-availability", "high-availability.type",
            "env.java.opts", "env.java.opts.all");

    static final String PROMETHEUS_REPORTER_PARAMETERS = "port, filterLabelValueCharacters";

    private static final Set<String> PROMETHEUS_PARAMETERS = Set.of("port", "filterLabelValueCharacters");

    private static final Pattern REPORTER_KEY = Pattern.compile(
            Pattern.quote(ConfigConstants.METRICS_REPORTER_PREFIX) + "([A-Za-z0-9_-]+)\\.(.+)");

    private static final Pattern EXTERNAL_RESOURCE_CONFIG_KEY =
            Pattern.compile("external-resource\\.[A-Za-z0-9_-]+\\.kubernetes\\.config-key");

    private static final String[] EXTRA_OPTION_CLASSES = {
        "org.apache.flink.state.rocksdb.RocksDBOptions", "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions"
    };

    private final Map<String, ConfigOption<?>> options = new HashMap<>();
    private final Map<String, String> deprecatedKeys = new HashMap<>();
    private final List<Pattern> templates = new ArrayList<>();
    private final Set<String> reporterOptions = new TreeSet<>();

    private Flink2ConfigKeys() {}

    static Flink2ConfigKeys load() {
        Flink2ConfigKeys keys = new Flink2ConfigKeys();
        for (Class<?> optionsClass : flinkOptionClasses()) {
            keys.collect(optionsClass);
        }
        // A deprecated fallback of one option that is the current key of another is not deprecated.
        keys.deprecatedKeys.keySet().removeAll(keys.options.keySet());
        return keys;
    }

    /** The option whose current key is {@code key}, if any. */
    Optional<ConfigOption<?>> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    int size() {
        return options.size();
    }

    /**
     * Why {@code key} (with {@code value}) is not valid Flink 2.x configuration, or empty when it is. A value is
     * checked by parsing it with the key's option (so {@code 10 s} for a duration passes and {@code ten} fails).
     */
    Optional<String> problem(String key, String value) {
        if (REMOVED.containsKey(key)) {
            return Optional.of(key + " is a pre-2.0 key: use " + REMOVED.get(key));
        }
        ConfigOption<?> option = options.get(key);
        if (option != null) {
            try {
                Configuration.fromMap(Map.of(key, value)).get(option);
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(key + ": cannot parse '" + value + "': " + e.getMessage());
            }
        }
        if (deprecatedKeys.containsKey(key)) {
            return Optional.of(key + " is deprecated in Flink 2.x: use " + deprecatedKeys.get(key));
        }
        if (key.startsWith(ResourceManagerOptions.CONTAINERIZED_MASTER_ENV_PREFIX)
                || key.startsWith(ResourceManagerOptions.CONTAINERIZED_TASK_MANAGER_ENV_PREFIX)) {
            return key.substring(key.indexOf(".env.") + 5).matches("[A-Za-z_][A-Za-z0-9_]*")
                    ? Optional.empty()
                    : Optional.of(key + ": not an environment variable name");
        }
        var reporter = REPORTER_KEY.matcher(key);
        if (reporter.matches()) {
            String suffix = reporter.group(2);
            return reporterOptions.contains(suffix) || PROMETHEUS_PARAMETERS.contains(suffix)
                    ? Optional.empty()
                    : Optional.of(key + ": '" + suffix + "' is not a metric reporter option of Flink 2.x (known: "
                            + reporterOptions + " and the Prometheus reporter's " + PROMETHEUS_PARAMETERS + ")");
        }
        if (EXTERNAL_RESOURCE_CONFIG_KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        for (Pattern template : templates) {
            if (template.matcher(key).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(key + " is not a Flink 2.x configuration key");
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
                continue;
            }
            if (field.getName().contains("REPORTER_") || field.getName().equals("DELEGATION_TOKEN_PROVIDER_ENABLED")) {
                // Suffix options, used below a prefix (metrics.reporter.<name>.<option>, ...).
                if (optionsClass == MetricOptions.class && !option.key().contains("<")) {
                    reporterOptions.add(option.key());
                }
                continue;
            }
            if (option.key().contains("<")) {
                templates.add(template(option.key()));
                continue;
            }
            options.put(option.key(), option);
            for (FallbackKey fallback : option.fallbackKeys()) {
                if (fallback.isDeprecated()) {
                    deprecatedKeys.put(fallback.getKey(), option.key());
                }
            }
        }
    }

    /** {@code a.<name>.b.<param>} as a regex: a placeholder is one key segment, the last one may span several. */
    private static Pattern template(String key) {
        StringBuilder regex = new StringBuilder();
        String[] parts = key.split("(?=<)|(?<=>)");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("<")) {
                regex.append(i == parts.length - 1 ? ".+" : "[^.]+");
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static List<Class<?>> flinkOptionClasses() {
        List<Class<?>> classes = new ArrayList<>();
        String pkg = CoreOptions.class.getPackageName().replace('.', '/') + "/";
        File jar;
        try {
            jar = new File(CoreOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar)) {
            file.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.startsWith(pkg) && n.endsWith(".class") && !n.contains("$"))
                    .filter(n -> n.indexOf('/', pkg.length()) < 0)
                    .sorted()
                    .forEach(n -> loadQuietly(n.substring(0, n.length() - 6).replace('/', '.'), byName));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + jar, e);
        }
        for (String name : EXTRA_OPTION_CLASSES) {
            loadQuietly(name, byName);
        }
        classes.addAll(byName.values());
        return classes;
    }

    private static void loadQuietly(String name, Map<String, Class<?>> into) {
        try {
            into.put(name, Class.forName(name, false, Flink2ConfigKeys.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            // Not on this class path, or not loadable on its own: it declares no option Vigil uses.
        }
    }
}
